//! Which failed index updates are worth retrying. The database being away
//! or busy passes, so the update waits and is tried again; the database
//! refusing the row itself does not, so retrying it would stall the index of
//! every camera behind one bad row.

use vms_catalog::CatalogError;

/// What a failed index update calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The database is away or busy (connection lost, pool timeout,
    /// serialization failure, deadlock, shutdown), or refuses for a reason
    /// an operator fixes for every row at once (a permission, the schema):
    /// retried after a backoff, holding the queue behind it.
    Transient,
    /// The database refuses this row (SQLSTATE class 22, a data exception,
    /// or 23, an integrity constraint violation such as a foreign key to a
    /// deleted row) and always will: dropped, counted and logged.
    Permanent,
}

/// Classifies a failed index update.
pub(crate) fn classify(error: &CatalogError) -> Failure {
    match error {
        CatalogError::Database(sqlx::Error::Database(db)) => db.code().map_or(Failure::Transient, |c| of_sqlstate(&c)),
        CatalogError::Unavailable(_) | CatalogError::Database(_) => Failure::Transient,
        CatalogError::NotFound { .. }
        | CatalogError::Invalid { .. }
        | CatalogError::AlreadyExists(_)
        | CatalogError::Conflict(_) => Failure::Permanent,
        CatalogError::Migration(_) | CatalogError::Crypto(_) => Failure::Transient,
    }
}

/// Classifies a PostgreSQL error code by its class (its first two characters).
fn of_sqlstate(code: &str) -> Failure {
    match code.get(..2) {
        Some("22" | "23") => Failure::Permanent,
        _ => Failure::Transient,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_the_database_refuses_are_permanent_and_an_away_or_busy_database_is_not() {
        for code in ["23503", "23505", "23514", "22001", "22003", "22P02"] {
            assert_eq!(of_sqlstate(code), Failure::Permanent, "{code}");
        }
        // Serialization failure, deadlock, connection lost, admin shutdown, out of memory, permission.
        for code in ["40001", "40P01", "08006", "57P01", "53200", "42501", ""] {
            assert_eq!(of_sqlstate(code), Failure::Transient, "{code}");
        }
        assert_eq!(classify(&CatalogError::Unavailable(sqlx::Error::PoolTimedOut)), Failure::Transient);
        assert_eq!(classify(&CatalogError::Database(sqlx::Error::RowNotFound)), Failure::Transient);
    }
}

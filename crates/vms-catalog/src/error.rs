//! Catalog errors and their mapping from PostgreSQL error codes.

use vms_base::{ErrorCode, ServiceError};

/// Why a catalog operation failed.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The row does not exist in the caller's tenant.
    #[error("{what} {id} not found")]
    NotFound {
        /// Kind of resource, e.g. `camera`.
        what: &'static str,
        /// The id looked up.
        id: String,
    },
    /// A field names a resource that does not exist or breaks a rule.
    #[error("{field}: {message}")]
    Invalid {
        /// The request field at fault, e.g. `site_id`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A unique constraint was violated.
    #[error("{0}")]
    AlreadyExists(String),
    /// The change conflicts with other rows (e.g. a site that still has cameras).
    #[error("{0}")]
    Conflict(String),
    /// Applying or checking migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// Sealing or opening credentials failed.
    #[error("credentials: {0}")]
    Crypto(String),
    /// The database could not be reached.
    #[error("database unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// Any other database error.
    #[error("database error")]
    Database(#[source] sqlx::Error),
}

impl CatalogError {
    pub(crate) fn not_found(what: &'static str, id: impl ToString) -> Self {
        CatalogError::NotFound { what, id: id.to_string() }
    }

    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        CatalogError::Invalid { field: field.into(), message: message.into() }
    }

    /// Returns the name of the violated constraint, if this is a constraint violation.
    pub fn constraint(&self) -> Option<&str> {
        match self {
            CatalogError::Database(sqlx::Error::Database(e)) => e.constraint(),
            _ => None,
        }
    }

    /// Returns the SQLSTATE of a database error.
    pub(crate) fn sqlstate(&self) -> Option<String> {
        match self {
            CatalogError::Database(sqlx::Error::Database(e)) => e.code().map(|c| c.into_owned()),
            _ => None,
        }
    }

    pub(crate) fn is_unique_violation(&self) -> bool {
        self.sqlstate().as_deref() == Some("23505")
    }

    pub(crate) fn is_foreign_key_violation(&self) -> bool {
        self.sqlstate().as_deref() == Some("23503")
    }
}

impl From<sqlx::Error> for CatalogError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => CatalogError::Unavailable(e),
            sqlx::Error::Database(ref db) if db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")) => {
                CatalogError::Unavailable(e)
            }
            other => CatalogError::Database(other),
        }
    }
}

impl ServiceError for CatalogError {
    fn code(&self) -> ErrorCode {
        match self {
            CatalogError::NotFound { .. } => ErrorCode::NotFound,
            CatalogError::Invalid { .. } => ErrorCode::InvalidArgument,
            CatalogError::AlreadyExists(_) => ErrorCode::AlreadyExists,
            CatalogError::Conflict(_) => ErrorCode::FailedPrecondition,
            CatalogError::Unavailable(_) => ErrorCode::Unavailable,
            CatalogError::Migration(_) | CatalogError::Crypto(_) | CatalogError::Database(_) => ErrorCode::Internal,
        }
    }
}

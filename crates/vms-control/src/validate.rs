//! Field checks shared by request models.

use std::{collections::HashSet, hash::Hash};

use vms_catalog::access::Permission;

use crate::error::ApiError;

/// Most grants one user may hold.
pub const MAX_GRANTS: usize = 256;

/// Refuses a list `field` of more than `max` entries, then keeps the first of
/// each repeated entry, in order. Checking the length first bounds the work a
/// request can cause.
pub fn unique<T: Eq + Hash + Clone>(field: &str, items: &[T], max: usize) -> Result<Vec<T>, ApiError> {
    if items.len() > max {
        return Err(ApiError::invalid(field, format!("must have at most {max} entries")));
    }
    let mut seen = HashSet::with_capacity(items.len());
    Ok(items.iter().filter(|item| seen.insert(*item)).cloned().collect())
}

/// Bounds a list of permissions (of a role or an API key) to as many as exist, without repeats.
pub fn permissions(items: &[String]) -> Result<Vec<String>, ApiError> {
    unique("permissions", items, Permission::all().count())
}

/// Trims `value` and requires 1 to `max` characters.
pub fn name(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ApiError::invalid(field, "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(ApiError::invalid(field, format!("must be at most {max} characters")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ApiError::invalid(field, "must not contain control characters"));
    }
    Ok(trimmed.to_owned())
}

/// Limits free text to `max` characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    if value.chars().count() > max {
        return Err(ApiError::invalid(field, format!("must be at most {max} characters")));
    }
    Ok(value.to_owned())
}

/// Accepts time zones the IANA database knows, such as `UTC` or `America/Argentina/Buenos_Aires`.
pub fn timezone(field: &str, value: &str) -> Result<String, ApiError> {
    // Known to the time zone database, since schedules are read on this clock.
    if value.len() <= 64 && jiff::tz::TimeZone::get(value).is_ok() {
        Ok(value.to_owned())
    } else {
        Err(ApiError::invalid(field, "must be an IANA time zone such as Europe/Berlin"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_bounded_before_repeats_are_dropped() {
        assert_eq!(unique("xs", &[3, 1, 3, 2, 1], 5).unwrap(), vec![3, 1, 2]);
        assert!(unique("xs", &[1, 1, 1], 2).is_err(), "the raw length counts, not the distinct one");
        assert!(unique::<u8>("xs", &[], 0).unwrap().is_empty());
    }
}

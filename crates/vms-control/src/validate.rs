//! Field checks shared by request models.

use crate::error::ApiError;

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

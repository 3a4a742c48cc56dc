//! `ETag` and `If-Match` on the resources two operators could both edit
//! (cameras, sites, rules, bookmarks, a camera's recording and analytics
//! settings): a `GET` answers with the resource's version as its `ETag`; an
//! update that sends it back as `If-Match` goes ahead only if nobody changed
//! the resource since, and gets 412 otherwise, so one operator's save never
//! silently undoes another's. The check locks the row until the update
//! commits. An update without `If-Match` goes ahead as before.

use axum::{
    extract::FromRequestParts,
    http::{HeaderName, header, request::Parts},
};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use vms_base::ErrorCode;
use vms_catalog::{
    TenantId,
    version::{self, Versioned},
};

use crate::error::ApiError;

/// Routes answering with an `ETag` (`GET`) and taking `If-Match` (the same
/// path's `PUT` or `PATCH`), for the OpenAPI document.
pub const VERSIONED_ROUTES: &[&str] = &[
    "/api/cameras/{id}",
    "/api/sites/{id}",
    "/api/rules/{id}",
    "/api/bookmarks/{id}",
    "/api/cameras/{id}/recording",
    "/api/cameras/{id}/analytics",
    "/api/users/{id}",
    "/api/webhooks/{id}",
];

/// Most entity tags one `If-Match` may list.
const MAX_TAGS: usize = 16;

/// The `ETag` of a version (`"0"` for settings never set).
pub fn tag(version: Option<DateTime<Utc>>) -> String {
    format!("\"{}\"", version.map_or(0, |v| v.timestamp_micros()))
}

/// An answer with its resource's `ETag`.
pub type Tagged<T> = ([(HeaderName, String); 1], T);

/// `answer` with the `ETag` of `version`.
pub fn tagged<T>(version: Option<DateTime<Utc>>, answer: T) -> Tagged<T> {
    ([(header::ETAG, tag(version))], answer)
}

/// The version of `resource` in `tenant`, as `tx` sees it. A read takes
/// it before the resource itself: should a save land in between, the client
/// holds an older version with newer content, and its next update is
/// refused rather than undoing that save. An update takes it after its
/// write, in the same transaction.
pub async fn version(
    tx: &mut PgConnection,
    tenant: TenantId,
    resource: Versioned,
) -> Result<Option<DateTime<Utc>>, ApiError> {
    Ok(version::of(tx, tenant, resource, false).await?)
}

/// A request's `If-Match`: the versions the client read, `None` without the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IfMatch(Option<Vec<String>>);

impl IfMatch {
    /// Checks, in `tx`, that `resource` is still at a version the client
    /// read, and locks its row until `tx` ends; 412 when it changed.
    pub async fn check(&self, tx: &mut PgConnection, tenant: TenantId, resource: Versioned) -> Result<(), ApiError> {
        if self.0.is_none() {
            return Ok(());
        }
        let current = version::of(tx, tenant, resource, true).await?;
        self.holds_for(current)
    }

    /// Checks the client read `current` (or sent no `If-Match`); 412 otherwise.
    /// `*` matches any version: the handlers have found the resource already.
    pub fn holds_for(&self, current: Option<DateTime<Utc>>) -> Result<(), ApiError> {
        let Some(tags) = &self.0 else { return Ok(()) };
        let now = tag(current);
        if tags.iter().any(|t| *t == now || t == "*") {
            return Ok(());
        }
        Err(ApiError::new(
            ErrorCode::PreconditionFailed,
            format!("changed since it was read (it is now {now}): read it again and reapply the change"),
        ))
    }

    fn parse(value: &str) -> Result<Vec<String>, ApiError> {
        let tags: Vec<String> = value.split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
        let valid = |t: &String| t == "*" || (t.len() >= 2 && t.starts_with('"') && t.ends_with('"'));
        // Weak tags (`W/"…"`) never match under If-Match's strong comparison; they are kept and fail.
        let valid = |t: &String| valid(t) || t.strip_prefix("W/").is_some_and(|rest| valid(&rest.to_owned()));
        if tags.is_empty() || tags.len() > MAX_TAGS || !tags.iter().all(valid) {
            return Err(ApiError::invalid("If-Match", format!("must be `*` or 1 to {MAX_TAGS} quoted entity tags")));
        }
        Ok(tags)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get(header::IF_MATCH) {
            None => Ok(IfMatch(None)),
            Some(value) => {
                let value = value.to_str().map_err(|_| ApiError::invalid("If-Match", "must be visible ASCII"))?;
                Ok(IfMatch(Some(Self::parse(value)?)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_quoted_and_lists_are_bounded() {
        assert_eq!(IfMatch::parse(r#""12", "13""#).unwrap(), vec![r#""12""#, r#""13""#]);
        assert_eq!(IfMatch::parse("*").unwrap(), vec!["*"]);
        assert_eq!(IfMatch::parse(r#"W/"12""#).unwrap(), vec![r#"W/"12""#]);
        assert!(IfMatch::parse("12").is_err());
        assert!(IfMatch::parse("").is_err());
        assert!(IfMatch::parse(&vec![r#""1""#; 17].join(",")).is_err());
    }

    #[test]
    fn a_version_is_its_microseconds_and_no_row_is_zero() {
        let at = DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap();
        assert_eq!(tag(Some(at)), "\"1700000000123456\"");
        assert_eq!(tag(None), "\"0\"");
    }
}

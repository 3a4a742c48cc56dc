//! The API's error body and the one place error codes become HTTP statuses.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;
use vms_base::{ErrorCode, ServiceError};
use vms_catalog::CatalogError;

/// Every error response has this shape.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "invalid_argument", "message": "name: must not be empty"}))]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `invalid_argument`, `not_found`.
    #[schema(example = "invalid_argument")]
    pub code: String,
    /// Human-readable explanation; names the field at fault for bad input.
    #[schema(example = "name: must not be empty")]
    pub message: String,
}

/// An error returned by a handler.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: String,
    /// Logged for server-side errors, never sent to the client.
    detail: Option<String>,
    /// Seconds to wait, sent as `Retry-After`.
    retry_after: Option<u64>,
}

/// Carries an internal error's detail from the handler to the logging middleware.
#[derive(Debug, Clone)]
pub struct ErrorDetail(pub String);

impl ApiError {
    /// Creates an error with a client-facing message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), detail: None, retry_after: None }
    }

    /// 429 with `Retry-After`, rounded up to whole seconds.
    pub fn rate_limited(message: impl Into<String>, wait: std::time::Duration) -> Self {
        Self::new(ErrorCode::ResourceExhausted, message).with_retry_after(wait)
    }

    /// Adds `Retry-After`, rounded up to whole seconds.
    pub fn with_retry_after(mut self, wait: std::time::Duration) -> Self {
        self.retry_after = Some(wait.as_millis().div_ceil(1000).max(1) as u64);
        self
    }

    /// 400 naming the field at fault.
    pub fn invalid(field: &str, problem: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::InvalidArgument, format!("{field}: {problem}"))
    }

    /// 401.
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthenticated, message)
    }

    /// 403, saying which permission is missing and nothing else.
    pub fn forbidden(permission: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::PermissionDenied, format!("missing permission {permission}"))
    }

    /// 500; `detail` goes to the log only.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self { detail: Some(detail.to_string()), ..Self::new(ErrorCode::Internal, "internal error") }
    }

    /// 503; `detail` goes to the log only.
    pub fn unavailable(what: &str, detail: impl std::fmt::Display) -> Self {
        Self { detail: Some(detail.to_string()), ..Self::new(ErrorCode::Unavailable, format!("{what} unavailable")) }
    }

    /// Returns the error code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// Returns the client-facing message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Maps an error code to its HTTP status. This is the only such mapping.
pub fn http_status(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = http_status(self.code);
        let body = ErrorBody { code: self.code.as_str().to_owned(), message: self.message };
        let mut response = (status, Json(body)).into_response();
        if let Some(detail) = self.detail {
            response.extensions_mut().insert(ErrorDetail(detail));
        }
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        if self.code == ErrorCode::Unauthenticated {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<vms_ticket::TicketError> for ApiError {
    fn from(e: vms_ticket::TicketError) -> Self {
        ApiError::new(e.code(), e.to_string())
    }
}

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        match e.code() {
            ErrorCode::Internal => ApiError::internal(format!("{e}: {:?}", std::error::Error::source(&e))),
            ErrorCode::Unavailable => ApiError::unavailable("database", format!("{:?}", std::error::Error::source(&e))),
            code => ApiError::new(code, e.to_string()),
        }
    }
}

/// Returns a request path fit for logs: path segments long enough to be a
/// ticket or token (archive URLs carry one) are replaced by `…`, and the query
/// (which may carry `?ticket=`) is never part of it. Ids (UUIDs) stay.
pub fn loggable_path(path: &str) -> String {
    const LONGEST_KEPT: usize = 40;
    path.split('/')
        .map(|segment| if segment.len() > LONGEST_KEPT { "…" } else { segment })
        .collect::<Vec<_>>()
        .join("/")
}

/// Logs the detail of server-side errors once, where the response leaves.
pub async fn log_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let response = next.run(request).await;
    if let Some(ErrorDetail(detail)) = response.extensions().get::<ErrorDetail>() {
        tracing::error!(%method, %path, status = response.status().as_u16(), detail, "request failed");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loggable_paths_keep_ids_and_drop_tickets() {
        let camera = "0b9e7f44-5c5e-4bd4-9d51-3e1f0f8f2b6a";
        let ticket = "v1.eyJjYW1lcmEiOiIwYjllN2Y0NC01YzVlLTRiZDQtOWQ1MS0zZTFmMGY4ZjJiNmEifQ.c2lnbmF0dXJl";
        assert_eq!(
            loggable_path(&format!("/api/recordings/{camera}/{ticket}/video.mp4")),
            format!("/api/recordings/{camera}/…/video.mp4")
        );
        assert_eq!(loggable_path("/api/cameras"), "/api/cameras");
    }
}

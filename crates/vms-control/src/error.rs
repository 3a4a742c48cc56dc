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
        let secs = wait.as_millis().div_ceil(1000).max(1) as u64;
        Self { retry_after: Some(secs), ..Self::new(ErrorCode::ResourceExhausted, message) }
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
    pub fn forbidden(permission: &str) -> Self {
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

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        match e.code() {
            ErrorCode::Internal => ApiError::internal(format!("{e}: {:?}", std::error::Error::source(&e))),
            ErrorCode::Unavailable => ApiError::unavailable("database", format!("{:?}", std::error::Error::source(&e))),
            code => ApiError::new(code, e.to_string()),
        }
    }
}

/// Logs the detail of server-side errors once, where the response leaves.
pub async fn log_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if let Some(ErrorDetail(detail)) = response.extensions().get::<ErrorDetail>() {
        tracing::error!(%method, %path, status = response.status().as_u16(), detail, "request failed");
    }
    response
}

//! An error answer of a plane's HTTP listener.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use vms_base::ErrorCode;

/// A code, sent as its HTTP status and as the JSON body `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// What went wrong.
    pub code: ErrorCode,
    /// Said to the caller.
    pub message: String,
}

impl Refusal {
    /// A refusal with `code` saying `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(serde_json::json!({"code": self.code.as_str(), "message": self.message}))).into_response()
    }
}

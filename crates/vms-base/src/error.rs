//! Error codes shared by every service.

use serde::Serialize;

/// Coarse classification of a failure, mapped to HTTP status codes here
/// ([`ErrorCode::http_status`], for every HTTP edge) and to gRPC codes in
/// one place at each gRPC edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The addressed resource does not exist (or is not visible to the caller).
    NotFound,
    /// The request is malformed or a field fails validation.
    InvalidArgument,
    /// The resource to create exists already.
    AlreadyExists,
    /// The request conflicts with the current state (e.g. deleting a site that still has cameras).
    FailedPrecondition,
    /// No valid credentials were presented.
    Unauthenticated,
    /// The caller is known but lacks the permission.
    PermissionDenied,
    /// The caller exceeded a rate limit.
    ResourceExhausted,
    /// A dependency (database, bus, plane) is down.
    Unavailable,
    /// An operation did not finish in time.
    Timeout,
    /// The media asked for cannot be served this way (a codec a transport
    /// cannot carry, say).
    UnsupportedMedia,
    /// The resource exists but does not answer this method (the answer names those it does).
    MethodNotAllowed,
    /// A condition the client set (`If-Match`) does not hold: the resource
    /// changed since the client read it.
    PreconditionFailed,
    /// A device (camera, NVR) refused the credentials given for it: the
    /// request was fine, the device's user name or password is not.
    DeviceAuthFailed,
    /// A device (camera, NVR) did not answer in time or could not be reached.
    DeviceUnreachable,
    /// A bug or an unexpected state; details go to the log, not the client.
    Internal,
}

impl ErrorCode {
    /// Returns the stable snake_case name used in API error bodies.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::FailedPrecondition => "failed_precondition",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::PermissionDenied => "permission_denied",
            ErrorCode::ResourceExhausted => "resource_exhausted",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Timeout => "timeout",
            ErrorCode::UnsupportedMedia => "unsupported_media",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PreconditionFailed => "precondition_failed",
            ErrorCode::DeviceAuthFailed => "device_auth_failed",
            ErrorCode::DeviceUnreachable => "device_unreachable",
            ErrorCode::Internal => "internal",
        }
    }
}

impl ErrorCode {
    /// Every code.
    pub const ALL: [ErrorCode; 15] = [
        ErrorCode::NotFound,
        ErrorCode::InvalidArgument,
        ErrorCode::AlreadyExists,
        ErrorCode::FailedPrecondition,
        ErrorCode::Unauthenticated,
        ErrorCode::PermissionDenied,
        ErrorCode::ResourceExhausted,
        ErrorCode::Unavailable,
        ErrorCode::Timeout,
        ErrorCode::UnsupportedMedia,
        ErrorCode::MethodNotAllowed,
        ErrorCode::PreconditionFailed,
        ErrorCode::DeviceAuthFailed,
        ErrorCode::DeviceUnreachable,
        ErrorCode::Internal,
    ];
}

impl std::str::FromStr for ErrorCode {
    type Err = String;

    /// Reads a code by its name (as an error body carries it, from another plane).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| format!("unknown error code `{s}`"))
    }
}

impl ErrorCode {
    /// Returns the HTTP status every HTTP edge answers this code with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::InvalidArgument => 400,
            ErrorCode::AlreadyExists | ErrorCode::FailedPrecondition => 409,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::PermissionDenied => 403,
            ErrorCode::ResourceExhausted => 429,
            ErrorCode::Unavailable => 503,
            ErrorCode::Timeout => 504,
            ErrorCode::UnsupportedMedia => 415,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::PreconditionFailed => 412,
            ErrorCode::DeviceAuthFailed => 400,
            ErrorCode::DeviceUnreachable => 504,
            ErrorCode::Internal => 500,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error that knows its [`ErrorCode`].
pub trait ServiceError: std::error::Error {
    /// Returns the code this error maps to at a service edge.
    fn code(&self) -> ErrorCode;
}

//! The one mapping between the VMS's [`ErrorCode`]s and gRPC status codes,
//! both ways: a plane answers with [`status`], and a caller reads the code
//! back with [`error_code`], so a refusal keeps its meaning across the hop
//! (a stream not pulled stays "not found", a plane without a keyframe stays
//! "unavailable") and is answered over HTTP with the status the API
//! documents for that code.

use tonic::{Code, Status};
use vms_base::ErrorCode;

/// The gRPC code of each error code; [`error_code`] reads it back.
const CODES: [(ErrorCode, Code); 15] = [
    (ErrorCode::NotFound, Code::NotFound),
    (ErrorCode::InvalidArgument, Code::InvalidArgument),
    (ErrorCode::AlreadyExists, Code::AlreadyExists),
    (ErrorCode::FailedPrecondition, Code::FailedPrecondition),
    (ErrorCode::Unauthenticated, Code::Unauthenticated),
    (ErrorCode::PermissionDenied, Code::PermissionDenied),
    (ErrorCode::ResourceExhausted, Code::ResourceExhausted),
    (ErrorCode::Unavailable, Code::Unavailable),
    (ErrorCode::Timeout, Code::DeadlineExceeded),
    (ErrorCode::UnsupportedMedia, Code::Unimplemented),
    (ErrorCode::MethodNotAllowed, Code::Unimplemented),
    // An HTTP precondition (If-Match); no plane answers it.
    (ErrorCode::PreconditionFailed, Code::Aborted),
    // Control's own answers about devices; no plane answers them.
    (ErrorCode::DeviceAuthFailed, Code::Aborted),
    (ErrorCode::DeviceUnreachable, Code::Aborted),
    (ErrorCode::Internal, Code::Internal),
];

/// A gRPC status saying `message` with the code of `code`.
pub fn status(code: ErrorCode, message: impl Into<String>) -> Status {
    let grpc = CODES.iter().find(|(c, _)| *c == code).map_or(Code::Internal, |(_, g)| *g);
    Status::new(grpc, message)
}

/// The error code of a gRPC status a plane answered. A code the planes do
/// not choose (`Cancelled`, `Unknown`, `Aborted`, and `Unimplemented`,
/// which means the two ends run different versions) reads as internal: its
/// message is the transport's, for the log, not for a user.
pub fn error_code(status: &Status) -> ErrorCode {
    match status.code() {
        Code::Unimplemented | Code::Cancelled | Code::Unknown | Code::Aborted => ErrorCode::Internal,
        grpc => CODES.iter().find(|(_, g)| *g == grpc).map_or(ErrorCode::Internal, |(c, _)| *c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_survives_the_hop() {
        for code in ErrorCode::ALL {
            let back = error_code(&status(code, "x"));
            let ambiguous = matches!(
                code,
                ErrorCode::MethodNotAllowed
                    | ErrorCode::UnsupportedMedia
                    | ErrorCode::PreconditionFailed
                    | ErrorCode::DeviceAuthFailed
                    | ErrorCode::DeviceUnreachable
            );
            let expected = if ambiguous { ErrorCode::Internal } else { code };
            assert_eq!(back, expected, "{code:?}");
        }
        assert_eq!(error_code(&Status::cancelled("h2 protocol error")), ErrorCode::Internal, "the transport's words");
    }
}

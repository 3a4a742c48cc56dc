//! Why a ticket is refused, and the one mapping of each reason to an
//! [`ErrorCode`] that control's HTTP edge and the media plane's RTSP, HLS,
//! WebRTC and WebSocket edges all use.

use vms_base::{ErrorCode, ServiceError};

/// Why a ticket was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// Not a ticket at all.
    #[error("malformed ticket")]
    Malformed,
    /// Signed by a key this verifier does not trust.
    #[error("ticket signed by an unknown key")]
    UnknownKey,
    /// The signature does not match.
    #[error("ticket signature is invalid")]
    BadSignature,
    /// Past its expiry.
    #[error("ticket expired")]
    Expired,
    /// A one-use ticket presented again (by another holder).
    #[error("ticket was already used")]
    AlreadyUsed,
    /// Its login ended, or its user was disabled or lost a grant, after it was issued.
    #[error("ticket was revoked")]
    Revoked,
    /// For another camera or stream.
    #[error("ticket is for another camera or stream")]
    WrongStream,
    /// For another purpose.
    #[error("ticket is for another purpose")]
    WrongPurpose,
    /// Asks for recordings outside the window the ticket opens.
    #[error("ticket does not open recordings outside its window")]
    OutsideWindow,
}

impl ServiceError for TicketError {
    /// Not a valid ticket now: `Unauthenticated` (401, get a new ticket);
    /// a valid ticket for something else: `PermissionDenied` (403).
    fn code(&self) -> ErrorCode {
        match self {
            TicketError::Malformed
            | TicketError::UnknownKey
            | TicketError::BadSignature
            | TicketError::Expired
            | TicketError::AlreadyUsed
            | TicketError::Revoked => ErrorCode::Unauthenticated,
            TicketError::WrongStream | TicketError::WrongPurpose | TicketError::OutsideWindow => {
                ErrorCode::PermissionDenied
            }
        }
    }
}

impl From<TicketError> for ErrorCode {
    fn from(e: TicketError) -> Self {
        e.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_ticket_is_unauthenticated_and_a_misused_one_forbidden() {
        for e in [TicketError::Expired, TicketError::AlreadyUsed, TicketError::Revoked, TicketError::BadSignature] {
            assert_eq!(ErrorCode::from(e), ErrorCode::Unauthenticated);
        }
        for e in [TicketError::WrongStream, TicketError::WrongPurpose, TicketError::OutsideWindow] {
            assert_eq!(ErrorCode::from(e), ErrorCode::PermissionDenied);
        }
    }
}

//! What can go wrong talking to a device, in words an operator can act on.
//!
//! No variant carries a URL's user information, a password or a request
//! body: device errors end up in API answers and logs.

use std::time::Duration;

use crate::{alarm::StreamError, xml::XmlError};

/// A failed exchange with a device.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    /// No answer within the request's deadline.
    #[error("the device at {host} did not answer within {secs} s")]
    Timeout {
        /// `host:port` asked.
        host: String,
        /// The deadline.
        secs: u64,
    },
    /// The connection could not be made or broke.
    #[error("could not reach the device at {host}: {reason}")]
    Unreachable {
        /// `host:port` asked.
        host: String,
        /// What the network said.
        reason: String,
    },
    /// The device refused the credentials (HTTP 401, or a SOAP
    /// `NotAuthorized`/`FailedAuthentication` fault).
    #[error("the device refused the user name or password")]
    AuthFailed,
    /// An HTTP status other than success, without a readable fault.
    #[error("the device answered HTTP {status}")]
    Http {
        /// The status code.
        status: u16,
    },
    /// The reply is larger than the request allows.
    #[error("the device's reply is larger than {limit} bytes")]
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The reply is not XML that can be read.
    #[error("the device's reply is not readable XML: {0}")]
    Xml(#[from] XmlError),
    /// The reply is not the JSON expected.
    #[error("the device's reply is not the expected JSON: {0}")]
    Json(String),
    /// A SOAP fault (whatever the HTTP status it came with).
    #[error("the device reported a fault ({code}): {reason}")]
    Fault {
        /// The fault's code and subcode, e.g. `Sender/ter:ActionNotSupported`.
        code: String,
        /// The fault's reason text.
        reason: String,
    },
    /// A field every conforming reply has is missing.
    #[error("the device's reply lacks {0}")]
    Missing(&'static str),
    /// The device does not offer the service asked for.
    #[error("the device does not support {0}")]
    Unsupported(&'static str),
    /// The installation's policy refuses the device's address (loopback,
    /// link-local, one of its own ports).
    #[error("the device address {host} is refused: {reason}")]
    Refused {
        /// `host:port` asked.
        host: String,
        /// The policy's reason.
        reason: String,
    },
    /// An event stream sent nothing, not even a heartbeat, for its bound.
    #[error("the event stream of the device at {host} went silent (nothing for {idle:?})")]
    Silent {
        /// `host:port` asked.
        host: String,
        /// How long nothing came.
        idle: Duration,
    },
    /// The device ended its event stream.
    #[error("the device at {host} closed its event stream")]
    Closed {
        /// `host:port` asked.
        host: String,
    },
    /// An event stream is not the multipart stream expected, or breaks its bounds.
    #[error("the device's event stream cannot be read: {0}")]
    Stream(#[from] StreamError),
    /// The caller's input cannot be sent (bad URL, bad range).
    #[error("{0}")]
    Invalid(String),
}

impl DeviceError {
    /// Whether a retry later might succeed (network trouble rather than a refusal).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            DeviceError::Timeout { .. }
                | DeviceError::Unreachable { .. }
                | DeviceError::Http { status: 500.. }
                | DeviceError::Silent { .. }
                | DeviceError::Closed { .. }
        )
    }
}

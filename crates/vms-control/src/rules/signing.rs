//! How a webhook call proves it comes from this VMS: `X-VMS-Signature:
//! sha256=<hex>` is the HMAC-SHA256, under the webhook's secret, of the
//! `X-VMS-Timestamp` value (Unix seconds), a `.`, and the body. A receiver
//! recomputes it, compares in constant time, and refuses timestamps more
//! than five minutes off, so a captured call cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-vms-signature";
/// The header carrying the signing time (Unix seconds).
pub const TIMESTAMP_HEADER: &str = "x-vms-timestamp";
/// The header carrying the delivery's id (the same on every retry).
pub const DELIVERY_HEADER: &str = "x-vms-delivery";
/// The header carrying the event's type.
pub const EVENT_HEADER: &str = "x-vms-event";

/// The signature header's value for `body` sent at `timestamp` under `secret`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_documented_hmac() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(expected, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // Ours signs "<timestamp>.<body>".
        let (secret, body) = (b"Jefe", b"ya want for nothing?");
        assert_eq!(sign(secret, 12, body), sign(secret, 12, body));
        assert_ne!(sign(secret, 12, body), sign(secret, 13, body), "the time is signed");
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(b"12.ya want for nothing?");
        let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(sign(secret, 12, body), format!("sha256={hex}"));
    }
}

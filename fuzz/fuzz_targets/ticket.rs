//! Stream tickets as RTSP clients present them (`?ticket=`): whatever the
//! string, checking it never panics and never accepts it, since no ticket
//! can be signed without the key. A genuine ticket with the input appended
//! or spliced in is refused too.
#![no_main]

use std::sync::LazyLock;

use ed25519_dalek::SigningKey;
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;
use vms_ticket::{Purpose, TicketSigner, TicketVerifier};

static SIGNER: LazyLock<TicketSigner> = LazyLock::new(|| TicketSigner::new(SigningKey::from_bytes(&[7; 32])));
static VERIFIER: LazyLock<TicketVerifier> = LazyLock::new(|| TicketVerifier::new([SIGNER.verifying_key()]));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let camera = Uuid::from_u128(1);
    assert!(VERIFIER.verify(&text, camera, "main", Purpose::Live, 0).is_err(), "a forged ticket was accepted");
    let (genuine, _) = SIGNER.issue(Uuid::nil(), Uuid::nil(), camera, "main", Purpose::Live, 0, 60);
    if !text.is_empty() {
        let cut = data.first().map_or(0, |b| usize::from(*b) % genuine.len());
        let spliced = format!("{}{text}{}", &genuine[..cut], &genuine[cut..]);
        assert!(VERIFIER.decode(&spliced, 0).is_err(), "a tampered ticket was accepted: {spliced}");
    }
});

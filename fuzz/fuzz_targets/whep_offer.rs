//! A WHEP offer body as a viewer POSTs it to the media plane, through the
//! same UTF-8 check and `Answerer::answer` the handler runs. An odd first
//! byte splices the rest in as lines of a real browser offer, so the fuzzer
//! reaches the answering code, not only the parser. Whatever the body, no
//! panic, and a refusal says one of the fixed messages, never what the
//! parser saw.
//!
//! The module is the media plane's own file, compiled here alone: the fuzz
//! build needs str0m, not the whole media plane.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/vms-media/src/live/webrtc/offer.rs"]
#[allow(dead_code)]
mod offer;

use offer::{Answerer, WhepError};

const OFFER: &str = include_str!("../../crates/vms-media/testdata/whep_offer.sdp");

static ANSWERER: LazyLock<Answerer> =
    LazyLock::new(|| Answerer::new(&["192.0.2.1:8189".parse().expect("a socket address")]).expect("host candidates"));

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else { return };
    let Ok(body) = std::str::from_utf8(body) else { return };
    let offer = if mode & 1 == 0 {
        body.to_owned()
    } else {
        let mut lines: Vec<&str> = OFFER.lines().collect();
        let at = usize::from(mode >> 1) % (lines.len() + 1);
        // Even modes from 2 up replace a line rather than add one.
        if mode & 2 != 0 && at < lines.len() {
            lines.remove(at);
        }
        lines.insert(at.min(lines.len()), body);
        lines.join("\r\n") + "\r\n"
    };
    match ANSWERER.answer(&offer) {
        Ok((_, answer)) => assert!(answer.starts_with("v=0"), "an answer is SDP: {answer}"),
        Err(WhepError::BadOffer(message)) => assert!(
            message == "malformed SDP offer" || message.starts_with("the SDP offer cannot be answered"),
            "a refusal echoed the parser: {message}"
        ),
        Err(e) => panic!("an offer alone cannot be refused with {e}"),
    }
});

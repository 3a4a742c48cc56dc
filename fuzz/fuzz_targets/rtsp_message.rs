//! RTSP requests and interleaved frames as a client sends them, arriving in
//! arbitrary pieces: the reader must never panic, and must consume what it
//! returns.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vms_rtsp::message::{self, Incoming};

fuzz_target!(|data: &[u8]| {
    // The first byte decides where the input is cut, as a TCP read might.
    let Some((&cut, rest)) = data.split_first() else { return };
    let cut = usize::from(cut).min(rest.len());
    let mut buf = Vec::new();
    for piece in [&rest[..cut], &rest[cut..]] {
        buf.extend_from_slice(piece);
        loop {
            let before = buf.len();
            match message::read(&mut buf) {
                Ok(Some(Incoming::Request(request))) => {
                    assert!(buf.len() < before, "a request consumes input");
                    let _ = request.cseq();
                    let _ = message::Response::to(&request, 200).to_bytes();
                }
                Ok(Some(Incoming::Frame { .. })) => assert!(buf.len() < before, "a frame consumes input"),
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
});

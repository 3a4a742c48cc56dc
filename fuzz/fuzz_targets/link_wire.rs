//! Bytes arriving on the frame link, as either side reads them: whole frames
//! taken off a buffer that fills in arbitrary pieces, each decoded as a
//! server message and as a subscription. Whatever arrives, no panic, no
//! frame over the limit, and a message that decodes (other than the leniently
//! read end message) encodes back to the same message.
#![no_main]

use bytes::{BufMut, BytesMut};
use libfuzzer_sys::fuzz_target;
use vms_link::wire::{self, Message, Subscribe};

fuzz_target!(|data: &[u8]| {
    let Some((&step, data)) = data.split_first() else { return };
    let step = usize::from(step).max(1);
    let mut buf = BytesMut::new();
    for piece in data.chunks(step) {
        buf.put_slice(piece);
        loop {
            match wire::take_frame(&mut buf) {
                Ok(Some((kind, payload))) => {
                    assert!(payload.len() <= wire::MAX_PAYLOAD);
                    // An end message's text is read leniently (invalid UTF-8 replaced), so
                    // only the other messages must come back byte for byte.
                    if let Ok(message) = Message::decode(kind, payload.clone())
                        && !matches!(message, Message::End { .. })
                    {
                        let mut out = Vec::new();
                        message.encode(&mut out);
                        let mut again = BytesMut::new();
                        for chunk in out {
                            again.put_slice(&chunk);
                        }
                        let (k, p) = wire::take_frame(&mut again).expect("our own frame").expect("whole");
                        assert_eq!(Message::decode(k, p).expect("our own message"), message);
                    }
                    if let Ok(request) = Subscribe::decode(kind, payload) {
                        assert!(request.batch_ms <= vms_link::MAX_BATCH_MS, "a request cannot ask past the cap");
                    }
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
});

//! A recording file as crash recovery and `vms recorder reindex` read it back
//! from disk (`scan` hands the open file to `fmp4_layout::read`; here the
//! input is the file's content). Whatever the bytes, reading never panics, and
//! the whole fragments it reports lie end to end after the init segment, up
//! to the cut point, inside the file.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use vms_codec::fmp4_layout;

fuzz_target!(|data: &[u8]| {
    let len = data.len() as u64;
    let Ok(Some(layout)) = fmp4_layout::read(&mut Cursor::new(data), len) else { return };
    assert!(layout.whole_len <= len, "the cut point lies past the end of the file");
    let mut end = layout.fragments.first().map_or(layout.whole_len, |f| f.offset);
    for fragment in &layout.fragments {
        assert_eq!(fragment.offset, end, "fragments lie end to end");
        end = fragment.offset + fragment.len;
    }
    assert_eq!(end, layout.whole_len, "the cut point is the end of the last whole fragment");
});

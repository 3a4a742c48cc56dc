//! Reading a recording file back: where its init segment ends and where each
//! whole fragment lies, from box headers and `moof`s alone (never the
//! pictures), so a 10-minute file is read in milliseconds. Crash recovery
//! and `vms recorder reindex` rebuild the index from what this finds, on
//! files a crash may have torn anywhere, so every size in the file is
//! checked against the bytes actually there before it is trusted.
//!
//! The reader is any `Read + Seek` (a file on disk, a `Cursor` over bytes in
//! tests and the `fmp4_layout` fuzz target), and `len` is how many bytes it
//! holds.

use std::io::{Read, Seek, SeekFrom};

use crate::fmp4::{self, InitInfo, MoofInfo};

/// Largest `moov` or `moof` read into memory (a GOP of 300 pictures takes ~5 kB).
pub const MAX_HEADER_BOX: u64 = 4 << 20;

/// What a recording file holds, as far as it is whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Codec and size, from its init segment.
    pub init: InitInfo,
    /// Its whole fragments, in file order.
    pub fragments: Vec<FragmentAt>,
    /// Bytes up to the end of the last whole fragment (or of the init
    /// segment): where a torn file is cut.
    pub whole_len: u64,
}

/// One whole fragment (`moof` then an `mdat` holding all it announces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentAt {
    /// Offset of its `moof`.
    pub offset: u64,
    /// Bytes of its `moof` and `mdat` together.
    pub len: u64,
    /// What its `moof` says.
    pub moof: MoofInfo,
}

/// The init segment's `moov` could not be read (larger than
/// [`MAX_HEADER_BOX`], or the reader failed).
#[derive(Debug, thiserror::Error)]
#[error("unreadable moov")]
pub struct UnreadableMoov;

/// Reads the layout of the `len`-byte file in `file`. `None` when it holds
/// no usable video at all (not even a whole init segment); reading stops at
/// the first box that is torn, malformed or not the expected one.
pub fn read<R: Read + Seek>(file: &mut R, len: u64) -> Result<Option<Layout>, UnreadableMoov> {
    // The init segment: ftyp, then moov.
    let mut at = 0;
    let mut init = None;
    while init.is_none() {
        let Some((kind, size, _)) = header(file, at, len) else { return Ok(None) };
        if &kind == b"moov" {
            let moov = read_box(file, at, size).ok_or(UnreadableMoov)?;
            init = fmp4::parse_init(&moov);
            if init.is_none() {
                return Ok(None);
            }
        }
        at += size;
    }
    let init = init.expect("the loop ends only once the init segment is found");

    // Fragments: a moof, then an mdat holding all it announces.
    let mut fragments = Vec::new();
    let mut whole_len = at;
    while let Some((kind, size, _)) = header(file, at, len) {
        if &kind != b"moof" {
            break;
        }
        let Some(moof) = read_box(file, at, size).and_then(|m| fmp4::parse_moof(&m)) else { break };
        let mdat_at = at + size;
        let Some((mdat, mdat_size, mdat_head)) = header(file, mdat_at, len) else { break };
        if &mdat != b"mdat" || mdat_size - mdat_head < moof.data_len {
            break;
        }
        fragments.push(FragmentAt { offset: at, len: size + mdat_size, moof });
        at = mdat_at + mdat_size;
        whole_len = at;
    }
    Ok(Some(Layout { init, fragments, whole_len }))
}

/// Reads one box header at `at`: type, total size, header size; `None` when
/// the box is not whole within `len` bytes or its size is malformed.
fn header<R: Read + Seek>(file: &mut R, at: u64, len: u64) -> Option<([u8; 4], u64, u64)> {
    if len.checked_sub(at)? < 8 {
        return None;
    }
    let mut head = [0u8; 16];
    file.seek(SeekFrom::Start(at)).ok()?;
    let want = if len - at >= 16 { 16 } else { 8 };
    file.read_exact(&mut head[..want]).ok()?;
    let kind: [u8; 4] = head[4..8].try_into().ok()?;
    match u32::from_be_bytes(head[..4].try_into().ok()?) {
        1 if want == 16 => Some((kind, u64::from_be_bytes(head[8..16].try_into().ok()?), 16)),
        0 | 1 => None,
        n => Some((kind, u64::from(n), 8)),
    }
    .filter(|(_, size, head)| size >= head && at.checked_add(*size).is_some_and(|end| end <= len))
}

/// Reads the whole box of `size` bytes at `at`, if it is small enough to be a header box.
fn read_box<R: Read + Seek>(file: &mut R, at: u64, size: u64) -> Option<Vec<u8>> {
    if size > MAX_HEADER_BOX {
        return None;
    }
    let mut data = vec![0u8; size as usize];
    file.seek(SeekFrom::Start(at)).ok()?;
    file.read_exact(&mut data).ok()?;
    Some(data)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;
    use crate::fmp4::Sample;

    fn file(fragments: u32) -> Vec<u8> {
        // avc1 (a VisualSampleEntry of 64x48) with an avcC for High profile level 4.0.
        let avcc = [0, 0, 0, 13, b'a', b'v', b'c', b'C', 1, 0x64, 0x00, 0x28, 0xff];
        let mut entry = ((8 + 78 + avcc.len()) as u32).to_be_bytes().to_vec();
        entry.extend_from_slice(b"avc1");
        entry.extend_from_slice(&[0; 24]);
        entry.extend_from_slice(&[0, 64, 0, 48]);
        entry.extend_from_slice(&[0; 50]);
        entry.extend_from_slice(&avcc);
        let mut file = fmp4::init_segment(&entry, 64, 48);
        let picture = [0u8, 0, 0, 4, 0x65, 1, 2, 3];
        for i in 0..fragments {
            let sample = Sample { data: &picture, duration: 3600, composition_offset: 0, keyframe: true };
            file.extend_from_slice(&fmp4::fragment(i + 1, u64::from(i) * 3600, &[sample]));
        }
        file
    }

    fn layout(data: &[u8]) -> Option<Layout> {
        read(&mut Cursor::new(data), data.len() as u64).unwrap()
    }

    #[test]
    fn finds_every_whole_fragment() {
        let data = file(3);
        let found = layout(&data).unwrap();
        assert_eq!((found.init.width, found.init.height), (64, 48));
        assert_eq!(found.fragments.len(), 3);
        assert_eq!(found.whole_len, data.len() as u64);
        let last = found.fragments[2];
        assert_eq!(last.offset + last.len, data.len() as u64);
        assert_eq!((last.moof.sequence, last.moof.base_dts), (3, 7200));
    }

    #[test]
    fn stops_at_a_torn_fragment() {
        let whole = file(2);
        let data = &whole[..whole.len() - 3];
        let found = layout(data).unwrap();
        assert_eq!(found.fragments.len(), 1);
        let first = found.fragments[0];
        assert_eq!(found.whole_len, first.offset + first.len);
    }

    #[test]
    fn a_file_torn_in_its_init_segment_holds_nothing() {
        let data = file(1);
        assert_eq!(layout(&data[..20]), None);
        assert_eq!(layout(&[]), None);
    }

    #[test]
    /// Found by the `fmp4_layout` fuzz target: a 64-bit box size near
    /// `u64::MAX` overflowed the end offset (a panic with overflow checks; in
    /// release the offset wrapped back into the file and the walk went on
    /// from there).
    fn a_size_past_the_end_of_the_address_space_is_refused() {
        let mut data = file(1);
        let init_len = layout(&data).unwrap().fragments[0].offset as usize;
        // A 64-bit `moof` size that would overflow the offset.
        data.truncate(init_len);
        data.extend_from_slice(&1u32.to_be_bytes());
        data.extend_from_slice(b"moof");
        data.extend_from_slice(&u64::MAX.to_be_bytes());
        let found = layout(&data).unwrap();
        assert!(found.fragments.is_empty());
        assert_eq!(found.whole_len, init_len as u64);
    }
}

//! Reading an export's footage: the init segment and then every fragment
//! of the window, piece after piece, in order. Every piece must begin with
//! the same init segment (one codec, one resolution), and a fragment must
//! be whole where the index says it lies. Both kinds of export read
//! through here: the remux copies what it reads, the watermark decodes it.

use std::{
    fs::File,
    io::{Read, Seek, SeekFrom},
    path::Path,
};

use chrono::{DateTime, TimeDelta, Utc};
use vms_catalog::recording::Fragment;
use vms_codec::fmp4::{self, BoxRef, MoofInfo};

use super::job::Job;

/// One fragment as read: its bytes (`moof` then `mdat`), where its `moof`
/// lies in them and what it says, and its index entry.
pub(super) struct Found<'a> {
    /// The fragment.
    pub bytes: Vec<u8>,
    /// Its `moof`.
    pub moof: BoxRef,
    /// What its `moof` says.
    pub info: MoofInfo,
    /// Its index entry.
    pub index: &'a Fragment,
    /// The file it is in.
    pub path: &'a Path,
}

/// What [`read`] reads, in order: the init segment, then every fragment.
pub(super) enum Step<'a> {
    /// The init segment (the first piece's; the others' are the same).
    Init(&'a [u8]),
    /// A fragment.
    Fragment(Found<'a>),
}

/// The first and last moment of the footage read: from the first
/// fragment's start to the end of the last.
pub(super) type Span = (DateTime<Utc>, DateTime<Utc>);

fn read_at(file: &mut File, at: u64, len: u64) -> anyhow::Result<Vec<u8>> {
    let mut bytes = vec![0; usize::try_from(len)?];
    file.seek(SeekFrom::Start(at))?;
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// Reads `job`'s footage, handing `each` the init segment and then every
/// fragment in order. Stops, failing, when the job is cancelled.
pub(super) fn read(job: &Job, mut each: impl FnMut(Step<'_>) -> anyhow::Result<()>) -> anyhow::Result<Span> {
    let mut first: Option<Vec<u8>> = None;
    let mut span: Option<Span> = None;
    for piece in &job.request.pieces {
        let mut file = File::open(&piece.path)?;
        let this_init = read_at(&mut file, 0, piece.init_len)?;
        match &first {
            None => {
                each(Step::Init(&this_init))?;
                first = Some(this_init);
            }
            Some(first) if *first != this_init => {
                let at = piece.fragments.first().map(|f| f.start_time.to_rfc3339()).unwrap_or_default();
                anyhow::bail!(
                    "the window spans a change of codec or resolution at {at}; export the parts on either side separately"
                );
            }
            Some(_) => {}
        }
        for f in &piece.fragments {
            if job.is_cancelled() {
                anyhow::bail!("cancelled");
            }
            let bytes = read_at(&mut file, f.byte_offset as u64, f.byte_len as u64)?;
            let (boxes, _) = fmp4::boxes(&bytes);
            let moof = boxes.first().filter(|b| &b.kind == b"moof").copied();
            let info = moof.and_then(|m| fmp4::parse_moof(&bytes[m.start..m.end]));
            let (Some(moof), Some(info)) = (moof, info) else {
                anyhow::bail!("{} has no whole fragment at byte {}", piece.path.display(), f.byte_offset);
            };
            each(Step::Fragment(Found { bytes, moof, info, index: f, path: &piece.path }))?;
            let end = f.start_time + TimeDelta::milliseconds(f.duration_ms.into());
            span = Some(span.map_or((f.start_time, end), |(s, _)| (s, end)));
        }
    }
    span.ok_or_else(|| anyhow::anyhow!("nothing is recorded in this window"))
}

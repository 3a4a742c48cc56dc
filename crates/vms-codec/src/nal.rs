//! NAL units of H.264 and H.265, and Annex B byte streams.

/// A video codec the VMS passes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Codec {
    /// H.264 / AVC.
    H264,
    /// H.265 / HEVC.
    H265,
}

/// A parameter set kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterSet {
    /// Video parameter set (H.265 only).
    Vps,
    /// Sequence parameter set.
    Sps,
    /// Picture parameter set.
    Pps,
}

impl Codec {
    /// Returns the NAL unit type, or `None` for a unit too short to have a header.
    pub fn nal_type(self, nal: &[u8]) -> Option<u8> {
        match self {
            Codec::H264 => nal.first().map(|b| b & 0x1f),
            Codec::H265 => (nal.len() >= 2).then(|| (nal[0] >> 1) & 0x3f),
        }
    }

    /// Returns the length of the NAL unit header.
    pub fn header_len(self) -> usize {
        match self {
            Codec::H264 => 1,
            Codec::H265 => 2,
        }
    }

    /// Answers whether a NAL unit starts a picture that decodes on its own
    /// (H.264 IDR; H.265 IRAP: BLA, IDR, CRA).
    pub fn is_keyframe(self, nal: &[u8]) -> bool {
        match (self, self.nal_type(nal)) {
            (Codec::H264, Some(5)) => true,
            (Codec::H265, Some(t)) => (16..=21).contains(&t),
            _ => false,
        }
    }

    /// Returns which parameter set a NAL unit is, if any.
    pub fn parameter_set(self, nal: &[u8]) -> Option<ParameterSet> {
        match (self, self.nal_type(nal)?) {
            (Codec::H264, 7) | (Codec::H265, 33) => Some(ParameterSet::Sps),
            (Codec::H264, 8) | (Codec::H265, 34) => Some(ParameterSet::Pps),
            (Codec::H265, 32) => Some(ParameterSet::Vps),
            _ => None,
        }
    }

    /// Answers whether the NAL unit carries coded picture data (a VCL unit).
    pub fn is_vcl(self, nal: &[u8]) -> bool {
        match (self, self.nal_type(nal)) {
            (Codec::H264, Some(t)) => (1..=5).contains(&t),
            (Codec::H265, Some(t)) => t <= 31,
            _ => false,
        }
    }

    /// Answers whether other pictures may refer to the picture this VCL NAL
    /// unit belongs to, so it must be decoded even when not shown. H.264
    /// says so in `nal_ref_idc`; for H.265 it depends on the temporal
    /// structure, so every H.265 picture counts as referenced.
    pub fn is_reference(self, nal: &[u8]) -> bool {
        match self {
            Codec::H264 => nal.first().is_none_or(|b| b & 0x60 != 0),
            Codec::H265 => true,
        }
    }

    /// Returns the encoding name used in SDP `rtpmap`.
    pub fn encoding_name(self) -> &'static str {
        match self {
            Codec::H264 => "H264",
            Codec::H265 => "H265",
        }
    }
}

/// Answers whether a VCL NAL unit starts a new picture: its first slice
/// (H.264 `first_mb_in_slice == 0`, H.265 `first_slice_segment_in_pic_flag`).
pub fn starts_picture(codec: Codec, nal: &[u8]) -> bool {
    if !codec.is_vcl(nal) {
        return false;
    }
    match codec {
        // first_mb_in_slice is ue(v); a leading 1 bit encodes 0.
        Codec::H264 => nal.get(1).is_some_and(|b| b & 0x80 != 0),
        Codec::H265 => nal.get(2).is_some_and(|b| b & 0x80 != 0),
    }
}

/// Groups NAL units in decoding order into access units (pictures): a new unit
/// begins at the first slice of a picture, and the non-VCL units (parameter
/// sets, SEI, delimiters) just before it belong to it.
pub fn access_units<'a>(codec: Codec, nals: &[&'a [u8]]) -> Vec<Vec<&'a [u8]>> {
    let mut units: Vec<Vec<&'a [u8]>> = Vec::new();
    let mut pending: Vec<&'a [u8]> = Vec::new();
    let mut current: Vec<&'a [u8]> = Vec::new();
    let mut current_has_vcl = false;
    for nal in nals {
        if codec.is_vcl(nal) {
            if starts_picture(codec, nal) || !current_has_vcl {
                if current_has_vcl {
                    units.push(std::mem::take(&mut current));
                }
                current.append(&mut pending);
                current_has_vcl = true;
            }
            current.push(nal);
        } else {
            pending.push(nal);
        }
    }
    if current_has_vcl {
        current.append(&mut pending);
        units.push(current);
    }
    units
}

/// Splits an Annex B byte stream into NAL units (without start codes).
///
/// Start codes are `00 00 01` or `00 00 00 01`; bytes before the first start
/// code are skipped, and trailing zero bytes of a unit (before the next start
/// code) are trimmed. Empty units are dropped.
pub fn split_annex_b(stream: &[u8]) -> Vec<&[u8]> {
    let mut units = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i + 2 < stream.len() {
        if stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1 {
            if let Some(s) = start {
                push_trimmed(&mut units, &stream[s..i]);
            }
            i += 3;
            start = Some(i);
        } else {
            i += 1;
        }
    }
    if let Some(s) = start {
        push_trimmed(&mut units, &stream[s.min(stream.len())..]);
    }
    units
}

fn push_trimmed<'a>(units: &mut Vec<&'a [u8]>, unit: &'a [u8]) {
    let end = unit.iter().rposition(|b| *b != 0).map_or(0, |p| p + 1);
    if end > 0 {
        units.push(&unit[..end]);
    }
}

/// Splits NAL units with 4-byte big-endian length prefixes (the AVCC/HVCC
/// framing of MP4 samples and of ingested pictures). Empty units are dropped;
/// `None` when a length runs past the end.
pub fn split_length_prefixed(data: &[u8]) -> Option<Vec<&[u8]>> {
    let mut units = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        if len > tail.len() {
            return None;
        }
        let (unit, tail) = tail.split_at(len);
        if !unit.is_empty() {
            units.push(unit);
        }
        rest = tail;
    }
    Some(units)
}

/// Joins NAL units with 4-byte big-endian length prefixes.
pub fn join_length_prefixed<'a>(units: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for unit in units {
        out.extend_from_slice(&(unit.len() as u32).to_be_bytes());
        out.extend_from_slice(unit);
    }
    out
}

/// Joins NAL units into an Annex B stream with 4-byte start codes.
pub fn join_annex_b<'a>(units: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for unit in units {
        out.extend_from_slice(&[0, 0, 0, 1]);
        out.extend_from_slice(unit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h264_says_which_pictures_are_referenced() {
        assert!(Codec::H264.is_reference(&[0x65]), "an IDR slice");
        assert!(Codec::H264.is_reference(&[0x41]), "a P slice with nal_ref_idc 2");
        assert!(!Codec::H264.is_reference(&[0x01]), "a disposable B slice");
        assert!(Codec::H265.is_reference(&[0x02, 0x01]), "H.265 is always kept");
    }

    #[test]
    fn splits_both_start_code_lengths_and_trims() {
        let stream = [0xff, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 9, 9];
        let units = split_annex_b(&stream);
        assert_eq!(units, vec![&[0x67, 1, 2][..], &[0x68, 3][..], &[0x65, 9, 9][..]]);
        assert_eq!(split_annex_b(&join_annex_b(units.iter().copied())), units);
        assert!(split_annex_b(&[0, 0, 1]).is_empty());
        assert!(split_annex_b(&[]).is_empty());
    }

    #[test]
    fn splits_length_prefixed_units_and_refuses_overruns() {
        let joined = join_length_prefixed([&[0x67u8, 1][..], &[0x68], &[0x65, 9, 9]]);
        assert_eq!(split_length_prefixed(&joined).unwrap(), vec![&[0x67, 1][..], &[0x68], &[0x65, 9, 9]]);
        assert_eq!(split_length_prefixed(&[]).unwrap(), Vec::<&[u8]>::new());
        assert!(split_length_prefixed(&[0, 0, 0, 5, 1, 2]).is_none(), "length past the end");
        assert!(split_length_prefixed(&[0, 0, 1]).is_none(), "truncated length");
    }

    proptest::proptest! {
        #[test]
        fn length_prefixed_splitting_never_panics_and_round_trips(data in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            if let Some(units) = split_length_prefixed(&data) {
                let rejoined = join_length_prefixed(units.iter().copied());
                proptest::prop_assert_eq!(split_length_prefixed(&rejoined), Some(units));
            }
        }
    }

    #[test]
    fn groups_units_into_pictures() {
        // SPS, PPS, IDR (first slice), IDR (second slice), non-IDR, SEI, non-IDR.
        let (sps, pps, idr1, idr2, p1, sei, p2) = (
            [0x67u8, 1][..].to_vec(),
            vec![0x68, 2],
            vec![0x65, 0x88],
            vec![0x65, 0x40],
            vec![0x41, 0x9a],
            vec![0x06, 5],
            vec![0x41, 0x9b],
        );
        let nals: Vec<&[u8]> = vec![&sps, &pps, &idr1, &idr2, &p1, &sei, &p2];
        let aus = access_units(Codec::H264, &nals);
        assert_eq!(aus, vec![vec![&sps[..], &pps, &idr1, &idr2], vec![&p1[..]], vec![&sei[..], &p2]]);
        // H.265: first_slice_segment_in_pic_flag is the top bit after the two-byte header.
        let (v, a, b) = (vec![32 << 1, 1, 0], vec![19 << 1, 1, 0x80], vec![1 << 1, 1, 0x80]);
        assert_eq!(access_units(Codec::H265, &[&v, &a, &b]).len(), 2);
    }

    #[test]
    fn classifies_h264_and_h265_units() {
        assert!(Codec::H264.is_keyframe(&[0x65]));
        assert!(!Codec::H264.is_keyframe(&[0x41]));
        assert_eq!(Codec::H264.parameter_set(&[0x67]), Some(ParameterSet::Sps));
        assert_eq!(Codec::H264.parameter_set(&[0x68]), Some(ParameterSet::Pps));
        // H.265 header: forbidden(1) type(6) layer(6) tid(3); IDR_W_RADL = 19, VPS = 32.
        assert!(Codec::H265.is_keyframe(&[19 << 1, 1]));
        assert!(!Codec::H265.is_keyframe(&[1 << 1, 1]));
        assert_eq!(Codec::H265.parameter_set(&[32 << 1, 1]), Some(ParameterSet::Vps));
        assert_eq!(Codec::H265.parameter_set(&[34 << 1, 1]), Some(ParameterSet::Pps));
        assert_eq!(Codec::H265.nal_type(&[0x40]), None, "a one-byte H.265 unit has no header");
        assert!(Codec::H265.is_vcl(&[1 << 1, 1]) && !Codec::H265.is_vcl(&[33 << 1, 1]));
    }
}

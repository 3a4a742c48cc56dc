//! SDP media descriptions for H.264 (RFC 6184 §8.1) and H.265 (RFC 7798 §7.1),
//! carrying the parameter sets so a client can decode from the first keyframe.

use base64::{Engine, engine::general_purpose::STANDARD};

use crate::{Codec, nal::ParameterSet};

/// Writes the `m=video` section of a stream with its `rtpmap`, `fmtp` and `control`.
///
/// `parameter_sets` are NAL units without start codes (VPS, SPS, PPS); those
/// of other types are ignored.
pub fn media_section(codec: Codec, payload_type: u8, parameter_sets: &[&[u8]], control: &str) -> String {
    let of = |kind: ParameterSet| -> Vec<String> {
        parameter_sets.iter().filter(|n| codec.parameter_set(n) == Some(kind)).map(|n| STANDARD.encode(n)).collect()
    };
    let mut fmtp = Vec::new();
    match codec {
        Codec::H264 => {
            fmtp.push("packetization-mode=1".to_owned());
            if let Some(sps) = parameter_sets.iter().find(|n| codec.parameter_set(n) == Some(ParameterSet::Sps))
                && sps.len() >= 4
            {
                fmtp.push(format!("profile-level-id={:02X}{:02X}{:02X}", sps[1], sps[2], sps[3]));
            }
            let sets: Vec<String> = [of(ParameterSet::Sps), of(ParameterSet::Pps)].concat();
            if !sets.is_empty() {
                fmtp.push(format!("sprop-parameter-sets={}", sets.join(",")));
            }
        }
        Codec::H265 => {
            for (name, kind) in
                [("sprop-vps", ParameterSet::Vps), ("sprop-sps", ParameterSet::Sps), ("sprop-pps", ParameterSet::Pps)]
            {
                let sets = of(kind);
                if !sets.is_empty() {
                    fmtp.push(format!("{name}={}", sets.join(",")));
                }
            }
        }
    }
    let mut out =
        format!("m=video 0 RTP/AVP {payload_type}\r\na=rtpmap:{payload_type} {}/90000\r\n", codec.encoding_name());
    if !fmtp.is_empty() {
        out.push_str(&format!("a=fmtp:{payload_type} {}\r\n", fmtp.join(";")));
    }
    out.push_str(&format!("a=control:{control}\r\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h264_section_carries_profile_and_parameter_sets() {
        let sps = [0x67, 0x64, 0x00, 0x1f, 0xac];
        let pps = [0x68, 0xee, 0x3c, 0x80];
        let s = media_section(Codec::H264, 96, &[&sps, &pps, &[0x65, 1]], "trackID=0");
        assert!(s.starts_with("m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"), "{s}");
        assert!(
            s.contains("a=fmtp:96 packetization-mode=1;profile-level-id=64001F;sprop-parameter-sets=Z2QAH6w=,aO48gA=="),
            "{s}"
        );
        assert!(s.ends_with("a=control:trackID=0\r\n"));
    }

    #[test]
    fn h265_section_names_each_parameter_set() {
        let s =
            media_section(Codec::H265, 97, &[&[32 << 1, 1, 0xc], &[33 << 1, 1, 1], &[34 << 1, 1, 0xc1]], "trackID=0");
        assert!(s.contains("a=rtpmap:97 H265/90000"), "{s}");
        assert!(s.contains("sprop-vps=QAEM;sprop-sps=QgEB;sprop-pps=RAHB"), "{s}");
        let bare = media_section(Codec::H265, 97, &[], "x");
        assert!(!bare.contains("fmtp"), "no empty fmtp line: {bare}");
    }
}

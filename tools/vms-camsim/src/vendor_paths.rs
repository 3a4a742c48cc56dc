//! The RTSP paths NVRs serve their channels under, so a simulated NVR's
//! channels play from the simulator's RTSP server:
//!
//! | vendor | main | sub |
//! |---|---|---|
//! | Hikvision | `/Streaming/Channels/101` (channel × 100 + 1) | `/Streaming/Channels/102` |
//! | Dahua | `/cam/realmonitor?channel=1&subtype=0` | `subtype=1` |
//! | simulated ONVIF NVR | `/nvr/ch1/main` | `/nvr/ch1/sub` |
//!
//! Main streams loop `h264_720p`, sub streams `h264_360p` (when the
//! simulator has loaded them). Channels run from 1 to 256.

use crate::{
    camera::{Camera, Options},
    clip::ClipSpec,
};

/// The highest channel number served.
const MAX_CHANNEL: u32 = 256;

/// The camera behind a vendor's channel path, named by its canonical path
/// (`Streaming/Channels/101`), or `None` if `uri` is not one.
pub(crate) fn channel_camera(uri: &url::Url) -> Option<Camera> {
    let (name, main) = channel_path(uri)?;
    let clip = ClipSpec::named(if main { "h264_720p" } else { "h264_360p" })?;
    Some(Camera { name, clip, options: Options::default() })
}

/// The canonical path and whether it is a main stream.
fn channel_path(uri: &url::Url) -> Option<(String, bool)> {
    let segments: Vec<&str> = uri.path_segments()?.collect();
    let channel = |n: u32| (1..=MAX_CHANNEL).contains(&n).then_some(n);
    match segments.as_slice() {
        [streaming, channels, id, ..]
            if streaming.eq_ignore_ascii_case("Streaming") && channels.eq_ignore_ascii_case("Channels") =>
        {
            let id: u32 = id.parse().ok()?;
            let ch = channel(id / 100)?;
            let main = match id % 100 {
                1 => true,
                2 => false,
                _ => return None,
            };
            Some((format!("Streaming/Channels/{}", ch * 100 + id % 100), main))
        }
        ["cam", "realmonitor", ..] => {
            let mut ch = None;
            let mut subtype = 0;
            for (key, value) in uri.query_pairs() {
                // Leading digits only: a client may have appended `/trackID=0`.
                let number: String = value.chars().take_while(char::is_ascii_digit).collect();
                match key.as_ref() {
                    "channel" => ch = number.parse().ok().and_then(channel),
                    "subtype" => subtype = number.parse().ok()?,
                    _ => {}
                }
            }
            let ch = ch?;
            (subtype <= 1).then(|| (format!("cam/realmonitor?channel={ch}&subtype={subtype}"), subtype == 0))
        }
        ["nvr", ch, kind, ..] => {
            let ch = channel(ch.strip_prefix("ch")?.parse().ok()?)?;
            let main = match *kind {
                "main" => true,
                "sub" => false,
                _ => return None,
            };
            Some((format!("nvr/ch{ch}/{kind}"), main))
        }
        _ => None,
    }
}

/// Whether a request for `uri` without a query (SETUP, PLAY: Content-Base
/// drops it) continues the session of the channel camera named `name`.
pub(crate) fn continues(uri: &url::Url, name: &str) -> bool {
    let path = name.split('?').next().unwrap_or(name);
    uri.path().trim_start_matches('/').strip_prefix(path).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(uri: &str) -> Option<(String, bool)> {
        channel_path(&url::Url::parse(uri).unwrap())
    }

    #[test]
    fn vendor_paths_map_to_channels() {
        assert_eq!(path("rtsp://h/Streaming/Channels/101"), Some(("Streaming/Channels/101".into(), true)));
        assert_eq!(path("rtsp://h/Streaming/channels/1602/trackID=1"), Some(("Streaming/Channels/1602".into(), false)));
        assert_eq!(path("rtsp://h/Streaming/Channels/103"), None);
        assert_eq!(path("rtsp://h/Streaming/Channels/1"), None);
        assert_eq!(
            path("rtsp://h/cam/realmonitor?channel=3&subtype=1"),
            Some(("cam/realmonitor?channel=3&subtype=1".into(), false))
        );
        assert_eq!(
            path("rtsp://h/cam/realmonitor?channel=2"),
            Some(("cam/realmonitor?channel=2&subtype=0".into(), true))
        );
        assert_eq!(path("rtsp://h/cam/realmonitor?channel=0&subtype=0"), None);
        assert_eq!(path("rtsp://h/cam/realmonitor?channel=999"), None);
        assert_eq!(path("rtsp://h/nvr/ch4/sub"), Some(("nvr/ch4/sub".into(), false)));
        assert_eq!(path("rtsp://h/nvr/ch4/other"), None);
        assert_eq!(path("rtsp://h/h264_720p"), None);
    }

    #[test]
    fn setup_requests_continue_the_described_channel() {
        let uri = |s: &str| url::Url::parse(s).unwrap();
        assert!(continues(&uri("rtsp://h/cam/realmonitor/trackID=0"), "cam/realmonitor?channel=1&subtype=0"));
        assert!(continues(&uri("rtsp://h/Streaming/Channels/101/trackID=0"), "Streaming/Channels/101"));
        assert!(!continues(&uri("rtsp://h/Streaming/Channels/1011"), "Streaming/Channels/101"));
        assert!(!continues(&uri("rtsp://h/other"), "nvr/ch1/main"));
    }
}

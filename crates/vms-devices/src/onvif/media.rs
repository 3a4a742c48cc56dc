//! The media services: profiles and their stream and snapshot addresses,
//! through Media2 where the device has it (it also reports H.265) and Media
//! otherwise.

use url::Url;

use super::OnvifClient;
use crate::{
    error::DeviceError,
    xml::{Element, escape},
};

/// One media profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// The profile's token, used in every request about it.
    pub token: String,
    /// Its name, if the device gives one.
    pub name: Option<String>,
    /// Video encoding as the device names it (`H264`, `H265`, `JPEG`).
    pub encoding: Option<String>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frame rate limit.
    pub fps: Option<f32>,
    /// Whether the profile has a PTZ configuration.
    pub ptz: bool,
    /// The token of the video source it encodes: an NVR's profiles of one
    /// channel share it.
    pub source: Option<String>,
}

impl Profile {
    fn pixels(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }
}

/// Profiles from a Media (`Profiles` with `VideoEncoderConfiguration`) or
/// Media2 (`Profiles` with `Configurations/VideoEncoder`) reply. A profile
/// without a token cannot be asked about and is skipped; one without a
/// video encoder reads with zero size.
pub fn read_profiles(reply: &Element) -> Vec<Profile> {
    reply
        .find_all("Profiles")
        .into_iter()
        .filter_map(|p| {
            let token = p.attr("token").map(str::trim).filter(|t| !t.is_empty())?.to_owned();
            let encoder = p.find("VideoEncoderConfiguration").or_else(|| p.find("VideoEncoder"));
            let number = |name: &str| {
                encoder.and_then(|e| e.find("Resolution")).and_then(|r| r.text_of(name)).and_then(|t| t.parse().ok())
            };
            Some(Profile {
                token,
                name: p.child("Name").map(|n| n.text.clone()).filter(|n| !n.is_empty()),
                encoding: encoder.and_then(|e| {
                    e.text_of("Encoding").map(str::to_owned).or_else(|| e.attr("Encoding").map(str::to_owned))
                }),
                width: number("Width").unwrap_or(0),
                height: number("Height").unwrap_or(0),
                fps: encoder.and_then(|e| e.text_of("FrameRateLimit")).and_then(|t| t.parse().ok()),
                ptz: p.find("PTZConfiguration").is_some() || p.find_path(&["Configurations", "PTZ"]).is_some(),
                source: p
                    .find("VideoSourceConfiguration")
                    .or_else(|| p.find_path(&["Configurations", "VideoSource"]))
                    .and_then(|c| c.text_of("SourceToken"))
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned),
            })
        })
        .collect()
}

/// The main stream (most pixels) and a sub stream (fewest pixels, if another
/// profile has fewer), among profiles with video; ties go to the first listed.
pub fn pick_streams(profiles: &[Profile]) -> Option<(&Profile, Option<&Profile>)> {
    let video: Vec<&Profile> = profiles.iter().filter(|p| p.pixels() > 0).collect();
    let candidates = if video.is_empty() { profiles.iter().collect() } else { video };
    let main = candidates.iter().copied().reduce(|best, p| if p.pixels() > best.pixels() { p } else { best })?;
    let sub = candidates
        .iter()
        .copied()
        .filter(|p| p.pixels() < main.pixels())
        .reduce(|best, p| if p.pixels() < best.pixels() { p } else { best });
    Some((main, sub))
}

/// A URI from a `GetStreamUri`/`GetSnapshotUri` reply (Media: `MediaUri/Uri`;
/// Media2: `Uri`), always on the host the device was reached on: a device
/// behind NAT reports its inner address, one that says `0.0.0.0` none at
/// all, and a device must not be able to send the camera's credentials (which
/// go with its streams) to another host. The port and path are the device's.
pub fn read_uri(reply: &Element, device: &Url) -> Result<Url, DeviceError> {
    let text = reply.text_of("Uri").ok_or(DeviceError::Missing("a URI"))?;
    let mut url =
        Url::parse(text).map_err(|_| DeviceError::Invalid("the device gave a URI that does not parse".into()))?;
    if url.host_str() != device.host_str() {
        url.set_host(device.host_str())
            .map_err(|_| DeviceError::Invalid("the device gave a URI whose host cannot be replaced".into()))?;
    }
    if !url.username().is_empty() || url.password().is_some() {
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    Ok(url)
}

impl OnvifClient {
    /// The device's media profiles (Media2 first, Media if that fails).
    pub async fn profiles(&self) -> Result<Vec<Profile>, DeviceError> {
        if let Some(media2) = &self.services.media2 {
            match self.call(media2, "<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>").await {
                Ok(reply) => return Ok(read_profiles(&reply)),
                Err(e @ (DeviceError::AuthFailed | DeviceError::Timeout { .. })) => return Err(e),
                Err(e) => tracing::debug!(error = %e, "Media2 GetProfiles failed, trying Media"),
            }
        }
        let media = self.services.media.as_ref().ok_or(DeviceError::Unsupported("media profiles"))?;
        Ok(read_profiles(&self.call(media, "<trt:GetProfiles/>").await?))
    }

    /// The RTSP URI of `profile` (RTP over RTSP, unicast).
    pub async fn stream_uri(&self, profile: &str) -> Result<Url, DeviceError> {
        let token = escape(profile);
        let reply = match (&self.services.media2, &self.services.media) {
            (Some(media2), _) => {
                let body = format!(
                    "<tr2:GetStreamUri><tr2:Protocol>RTSP</tr2:Protocol><tr2:ProfileToken>{token}</tr2:ProfileToken></tr2:GetStreamUri>"
                );
                self.call(media2, &body).await
            }
            (None, Some(media)) => {
                let body = format!(
                    "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>{token}</trt:ProfileToken></trt:GetStreamUri>"
                );
                self.call(media, &body).await
            }
            (None, None) => return Err(DeviceError::Unsupported("media streams")),
        }?;
        read_uri(&reply, self.device_service())
    }

    /// The JPEG snapshot URI of `profile`, if the device offers one.
    pub async fn snapshot_uri(&self, profile: &str) -> Result<Url, DeviceError> {
        let token = escape(profile);
        let (service, body) = match (&self.services.media2, &self.services.media) {
            (Some(media2), _) => (
                media2,
                format!("<tr2:GetSnapshotUri><tr2:ProfileToken>{token}</tr2:ProfileToken></tr2:GetSnapshotUri>"),
            ),
            (None, Some(media)) => (
                media,
                format!("<trt:GetSnapshotUri><trt:ProfileToken>{token}</trt:ProfileToken></trt:GetSnapshotUri>"),
            ),
            (None, None) => return Err(DeviceError::Unsupported("snapshots")),
        };
        read_uri(&self.call(service, &body).await?, self.device_service())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::onvif::tests::testdata;

    #[test]
    fn media1_profiles_with_a_tokenless_one_skipped() {
        let profiles = read_profiles(&testdata("profiles_media1.xml"));
        assert_eq!(profiles.len(), 2, "{profiles:?}");
        assert_eq!(profiles[0].token, "Profile_1");
        assert_eq!((profiles[0].width, profiles[0].height), (2560, 1440));
        assert_eq!(profiles[0].encoding.as_deref(), Some("H264"));
        assert_eq!(profiles[0].fps, Some(25.0));
        assert!(profiles[0].ptz);
        assert_eq!((profiles[1].width, profiles[1].height), (640, 360));
        assert!(!profiles[1].ptz);
        let (main, sub) = pick_streams(&profiles).unwrap();
        assert_eq!((main.token.as_str(), sub.map(|s| s.token.as_str())), ("Profile_1", Some("Profile_2")));
    }

    #[test]
    fn media2_profiles_report_h265() {
        let profiles = read_profiles(&testdata("profiles_media2.xml"));
        assert_eq!(profiles.len(), 3);
        assert_eq!(profiles[0].encoding.as_deref(), Some("H265"));
        assert_eq!(profiles[2].width, 0, "an audio-only profile has no video size");
        let (main, sub) = pick_streams(&profiles).unwrap();
        assert_eq!(main.token, "main");
        assert_eq!(sub.unwrap().token, "sub");
    }

    #[test]
    fn picking_from_one_or_no_profile() {
        assert!(pick_streams(&[]).is_none());
        let one = [Profile { token: "a".into(), width: 1920, height: 1080, ..Profile::default() }];
        let (main, sub) = pick_streams(&one).unwrap();
        assert_eq!((main.token.as_str(), sub), ("a", None));
    }

    #[test]
    fn stream_uris_from_both_media_versions_always_on_the_device_host() {
        let device = Url::parse("http://10.2.0.9/onvif/device_service").unwrap();
        let media1 = crate::xml::parse(b"<GetStreamUriResponse><MediaUri><Uri>rtsp://0.0.0.0:554/Streaming/Channels/101?transportmode=unicast&amp;profile=Profile_1</Uri><InvalidAfterConnect>false</InvalidAfterConnect></MediaUri></GetStreamUriResponse>").unwrap();
        assert_eq!(
            read_uri(&media1, &device).unwrap().as_str(),
            "rtsp://10.2.0.9:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1"
        );
        let media2 = crate::xml::parse(
            b"<tr2:GetStreamUriResponse><tr2:Uri>rtsp://10.2.0.9/main</tr2:Uri></tr2:GetStreamUriResponse>",
        )
        .unwrap();
        assert_eq!(read_uri(&media2, &device).unwrap().as_str(), "rtsp://10.2.0.9/main");
        let empty =
            crate::xml::parse(b"<GetSnapshotUriResponse><MediaUri><Uri></Uri></MediaUri></GetSnapshotUriResponse>")
                .unwrap();
        assert_eq!(read_uri(&empty, &device).unwrap_err(), DeviceError::Missing("a URI"));
    }
}

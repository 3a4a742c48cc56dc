//! An ONVIF NVR's channels: its profiles grouped by the video source they
//! encode, one channel per source in the order the device lists them, each
//! with the largest profile as main stream and the smallest as sub stream.
//! A device whose profiles name no source is one channel.

use url::Url;

use super::{OnvifClient, media::Profile, pick_streams};
use crate::{
    Credentials, DeviceError, Limits,
    nvr::{self, Channel, Identity, Inventory},
};

/// Profiles grouped by video source, in the order each source first
/// appears. Profiles that name no source (an empty template field, common
/// on cameras) join the first channel: they are more often a camera's second
/// profile than a channel of their own.
pub fn channels_of(profiles: &[Profile]) -> Vec<Vec<&Profile>> {
    let mut groups: Vec<(&str, Vec<&Profile>)> = Vec::new();
    let mut unnamed = Vec::new();
    for profile in profiles {
        let Some(source) = profile.source.as_deref() else {
            unnamed.push(profile);
            continue;
        };
        match groups.iter_mut().find(|(s, _)| *s == source) {
            Some((_, group)) => group.push(profile),
            None => groups.push((source, vec![profile])),
        }
    }
    let mut channels: Vec<Vec<&Profile>> = groups.into_iter().map(|(_, g)| g).take(nvr::MAX_CHANNELS).collect();
    match channels.first_mut() {
        Some(first) => first.extend(unnamed),
        None if !unnamed.is_empty() => channels.push(unnamed),
        None => {}
    }
    channels
}

/// Reads the identity and channels of the ONVIF device at `device_url`.
pub async fn inventory(device_url: Url, credentials: &Credentials, limits: Limits) -> Result<Inventory, DeviceError> {
    let client = OnvifClient::connect(device_url, credentials.clone(), limits).await?;
    let info = client.device_information().await?;
    let profiles = client.profiles().await?;
    let mut channels = Vec::new();
    for (index, group) in channels_of(&profiles).into_iter().enumerate() {
        let owned: Vec<Profile> = group.into_iter().cloned().collect();
        let Some((main, sub)) = pick_streams(&owned) else { continue };
        let main_url = client.stream_uri(&main.token).await?;
        let sub_url = match sub {
            Some(sub) => Some(client.stream_uri(&sub.token).await?),
            None => None,
        };
        channels.push(Channel {
            number: index as u32 + 1,
            name: crate::soap::clip_field(main.name.as_deref(), nvr::MAX_NAME),
            online: None,
            main: main_url,
            sub: sub_url,
            source: main.source.clone(),
        });
    }
    if channels.is_empty() {
        return Err(DeviceError::Missing("a media profile"));
    }
    let field = |v: Option<String>| crate::soap::clip_field(v.as_deref(), nvr::MAX_NAME);
    Ok(Inventory {
        identity: Identity {
            manufacturer: field(info.manufacturer),
            model: field(info.model),
            name: None,
            serial: field(info.serial),
            firmware: field(info.firmware),
        },
        channels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_group_by_source_in_order() {
        let profile = |token: &str, source: Option<&str>| Profile {
            token: token.into(),
            source: source.map(str::to_owned),
            width: 640,
            height: 360,
            ..Profile::default()
        };
        let profiles =
            [profile("a1", Some("s1")), profile("b1", Some("s2")), profile("a2", Some("s1")), profile("x", None)];
        let groups = channels_of(&profiles);
        let tokens: Vec<Vec<&str>> = groups.iter().map(|g| g.iter().map(|p| p.token.as_str()).collect()).collect();
        assert_eq!(tokens, vec![vec!["a1", "a2", "x"], vec!["b1"]]);
        let none = [profile("p", None), profile("q", None)];
        assert_eq!(channels_of(&none).len(), 1);
        assert!(channels_of(&[]).is_empty());
    }

    #[test]
    fn a_camera_with_an_empty_source_field_is_one_channel() {
        for name in ["profiles_media1.xml", "profiles_media2.xml"] {
            let profiles = super::super::media::read_profiles(&super::super::tests::testdata(name));
            assert!(profiles.len() >= 2, "{name}");
            assert!(profiles.iter().any(|p| p.source.is_some()), "{name}");
            assert_eq!(channels_of(&profiles).len(), 1, "{name}");
        }
    }
}

//! How what an NVR says meets what the catalog holds, without HTTP or a
//! database: which channels become cameras, what the cameras and the NVR
//! are called, and which stored channel a read channel is (by its source
//! token where the NVR names one, so a channel keeps its number when an
//! ONVIF NVR lists its sources in another order or leaves one out).

use std::collections::{BTreeSet, HashMap};

use vms_catalog::nvr::{ChannelRow, NvrRecord};
use vms_devices::{
    nvr::{Channel, Inventory, Vendor},
    soap::clip,
};

/// The longest identity field kept, in bytes (the catalog's bound).
const MAX_FIELD_BYTES: usize = 256;
/// The longest camera or NVR name, in characters.
const MAX_NAME: usize = 200;

/// Which channels without a camera become cameras (those with one are
/// always kept up to date). Channels the NVR reports offline (no camera
/// connected) are left out of "every channel": they would be cameras that
/// never connect.
pub(crate) enum Selection {
    /// Every online channel: an import without a channel list.
    All,
    /// Channels not seen before, and channels that were offline and now are
    /// not: a sync of an NVR imported with every channel (a channel whose
    /// camera was deleted stays without one).
    New,
    /// These channels, online or not.
    Only(BTreeSet<u32>),
}

impl Selection {
    /// Whether `channel`, stored before as `stored` (if it was), should become a camera.
    pub(crate) fn wants(&self, channel: &Channel, stored: Option<&ChannelRow>) -> bool {
        let offline = channel.online == Some(false);
        match self {
            Selection::All => !offline,
            Selection::New => !offline && stored.is_none_or(|s| s.camera_id.is_none() && s.online == Some(false)),
            Selection::Only(numbers) => numbers.contains(&channel.number),
        }
    }
}

/// Gives each read channel the number it was stored under, matched by its
/// source token; channels with a token not seen before take numbers after
/// every number in use. Channels without a token keep the NVR's number.
pub(crate) fn renumber(channels: &mut [Channel], stored: &[ChannelRow]) {
    let by_source: HashMap<&str, u32> =
        stored.iter().filter_map(|s| Some((s.source.as_deref()?, u32::try_from(s.number).ok()?))).collect();
    if by_source.is_empty() {
        return;
    }
    let mut next = stored.iter().filter_map(|s| u32::try_from(s.number).ok()).max().unwrap_or(0);
    for channel in channels.iter_mut() {
        match channel.source.as_deref().and_then(|s| by_source.get(s)) {
            Some(number) => channel.number = *number,
            None if channel.source.is_some() => {
                next += 1;
                channel.number = next;
            }
            None => {}
        }
    }
}

/// `text` clipped to `max` bytes on a character boundary, control characters dropped; `None` when blank.
pub(crate) fn field(text: Option<&str>, max: usize) -> Option<String> {
    let mut text = vms_devices::soap::clip_field(text, max)?;
    while text.len() > max {
        text.pop();
    }
    Some(text.trim_end().to_owned()).filter(|t| !t.is_empty())
}

/// The catalog's record of what was read.
pub(crate) fn record_of(vendor: Vendor, address: &str, inventory: &Inventory) -> NvrRecord {
    let identity = &inventory.identity;
    let field = |v: &Option<String>| field(v.as_deref(), MAX_FIELD_BYTES);
    NvrRecord {
        vendor: vendor.as_str().to_owned(),
        address: address.to_owned(),
        manufacturer: field(&identity.manufacturer),
        model: field(&identity.model),
        firmware: field(&identity.firmware),
        serial: field(&identity.serial),
    }
}

/// A new NVR's name: what it calls itself, else its manufacturer and model, with its host.
pub(crate) fn default_name(inventory: &Inventory, host: &str) -> String {
    let identity = &inventory.identity;
    let named = identity.name.clone().unwrap_or_else(|| {
        [identity.manufacturer.as_deref(), identity.model.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let named = clip(named.trim(), MAX_NAME - host.chars().count().min(MAX_NAME) - 1);
    let name = if named.trim().is_empty() { format!("NVR {host}") } else { format!("{} {host}", named.trim()) };
    clip(name.trim(), MAX_NAME).trim().to_owned()
}

/// A channel camera's name: the NVR's name, the channel number and its
/// title. The NVR's part is shortened first, so channels never share a name.
pub(crate) fn camera_name(nvr_name: &str, number: u32, title: Option<&str>) -> String {
    let suffix = match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => format!(" {number:02} {}", clip(title, MAX_NAME / 2)),
        None => format!(" channel {number}"),
    };
    let room = MAX_NAME.saturating_sub(suffix.chars().count());
    let prefix = clip(nvr_name.trim(), room);
    format!("{}{suffix}", prefix.trim_end()).trim().to_owned()
}

#[cfg(test)]
mod tests {
    use url::Url;

    use super::*;

    fn channel(number: u32, source: Option<&str>, online: Option<bool>) -> Channel {
        Channel {
            number,
            name: None,
            online,
            main: Url::parse("rtsp://h/").unwrap(),
            sub: None,
            source: source.map(str::to_owned),
        }
    }

    fn row(number: i32, source: Option<&str>, camera: bool, online: Option<bool>) -> ChannelRow {
        ChannelRow {
            number,
            name: None,
            online,
            main_url: "rtsp://h/".into(),
            sub_url: None,
            source: source.map(str::to_owned),
            present: true,
            camera_id: camera.then(uuid::Uuid::new_v4),
        }
    }

    #[test]
    fn channels_keep_their_numbers_by_source() {
        // Stored: src1 as 1, src2 as 2, src3 as 3. The NVR now lists src3 then src1 and a new src9.
        let stored =
            [row(1, Some("src1"), true, None), row(2, Some("src2"), true, None), row(3, Some("src3"), true, None)];
        let mut read = [channel(1, Some("src3"), None), channel(2, Some("src1"), None), channel(3, Some("src9"), None)];
        renumber(&mut read, &stored);
        let numbers: Vec<u32> = read.iter().map(|c| c.number).collect();
        assert_eq!(numbers, [3, 1, 4]);
        // Nothing stored with a source: the NVR's numbers stand.
        let mut plain = [channel(5, None, None)];
        renumber(&mut plain, &[row(1, None, true, None)]);
        assert_eq!(plain[0].number, 5);
    }

    #[test]
    fn selections_leave_out_offline_and_deleted_channels() {
        let online = channel(1, None, Some(true));
        let offline = channel(2, None, Some(false));
        assert!(Selection::All.wants(&online, None));
        assert!(!Selection::All.wants(&offline, None), "no camera connected: no camera made");
        assert!(Selection::Only([2].into()).wants(&offline, None), "asked for by number: made");
        assert!(Selection::New.wants(&online, None), "a new channel");
        assert!(!Selection::New.wants(&online, Some(&row(1, None, false, Some(true)))), "its camera was deleted");
        assert!(Selection::New.wants(&online, Some(&row(1, None, false, Some(false)))), "it came online");
        assert!(!Selection::New.wants(&offline, None));
    }

    #[test]
    fn names_stay_distinct_and_bounded() {
        let long = "N".repeat(250);
        let a = camera_name(&long, 1, Some("Gate"));
        let b = camera_name(&long, 2, Some("Gate"));
        assert_ne!(a, b);
        assert!(a.chars().count() <= MAX_NAME && a.ends_with(" 01 Gate"), "{a}");
        assert_eq!(camera_name("Depot", 3, None), "Depot channel 3");
        assert_eq!(camera_name("Depot", 3, Some("  ")), "Depot channel 3");
        let inventory = Inventory::default();
        assert_eq!(default_name(&inventory, "10.0.0.5:80"), "NVR 10.0.0.5:80");
        let mut named = Inventory::default();
        named.identity.name = Some("x".repeat(300));
        let name = default_name(&named, "10.0.0.5:80");
        assert!(name.chars().count() <= MAX_NAME && name.ends_with(" 10.0.0.5:80"), "{name}");
    }

    #[test]
    fn fields_are_bounded_in_bytes() {
        let wide = "監".repeat(200);
        let kept = field(Some(&wide), MAX_FIELD_BYTES).unwrap();
        assert!(kept.len() <= MAX_FIELD_BYTES, "{}", kept.len());
        assert_eq!(field(Some("  "), 10), None);
        assert_eq!(field(None, 10), None);
    }
}

//! The PTZ service: continuous, absolute and relative moves, stop, status,
//! presets and home. Values are ONVIF's generic spaces: pan and tilt −1..1,
//! zoom 0..1 for positions and −1..1 for velocities.

use super::OnvifClient;
use crate::{
    error::DeviceError,
    xml::{Element, escape},
};

/// Pan, tilt and zoom, as a velocity, a position or a translation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PtzVector {
    /// Pan.
    pub pan: f32,
    /// Tilt.
    pub tilt: f32,
    /// Zoom.
    pub zoom: f32,
}

/// Where the head is and whether it moves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PtzStatus {
    /// The position, if the device reports one.
    pub position: Option<PtzVector>,
    /// Whether pan/tilt or zoom is moving (`MOVING`).
    pub moving: bool,
}

/// A stored preset.
#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// The token used to go to or remove it.
    pub token: String,
    /// Its name.
    pub name: Option<String>,
    /// Its position, if the device reports it.
    pub position: Option<PtzVector>,
}

/// `PanTilt` and `Zoom` elements for a request, inside `wrapper` (`Velocity`, `Position`, `Translation`).
fn vector(wrapper: &str, v: PtzVector) -> String {
    let (pan, tilt, zoom) = (finite(v.pan), finite(v.tilt), finite(v.zoom));
    format!(r#"<tptz:{wrapper}><tt:PanTilt x="{pan}" y="{tilt}"/><tt:Zoom x="{zoom}"/></tptz:{wrapper}>"#)
}

/// NaN and infinities would be refused by the device; send zero instead.
fn finite(x: f32) -> f32 {
    if x.is_finite() { x } else { 0.0 }
}

fn read_vector(at: &Element) -> Option<PtzVector> {
    let pan_tilt = at.find("PanTilt");
    let zoom = at.find("Zoom");
    if pan_tilt.is_none() && zoom.is_none() {
        return None;
    }
    let number = |e: Option<&Element>, name: &str| {
        e.and_then(|e| e.attr(name)).and_then(|v| v.trim().parse().ok()).unwrap_or(0.0)
    };
    Some(PtzVector { pan: number(pan_tilt, "x"), tilt: number(pan_tilt, "y"), zoom: number(zoom, "x") })
}

/// Position and motion from a `GetStatusResponse` (liberal: either may be missing).
pub fn read_status(reply: &Element) -> PtzStatus {
    let position = reply.find("Position").and_then(read_vector);
    let moving = reply
        .find("MoveStatus")
        .map(|m| {
            m.children.iter().any(|c| c.text.eq_ignore_ascii_case("MOVING")) || m.text.eq_ignore_ascii_case("MOVING")
        })
        .unwrap_or(false);
    PtzStatus { position, moving }
}

/// Presets from a `GetPresetsResponse`; entries without a token are skipped.
pub fn read_presets(reply: &Element) -> Vec<Preset> {
    reply
        .find_all("Preset")
        .into_iter()
        .filter_map(|p| {
            let token = p.attr("token").map(str::trim).filter(|t| !t.is_empty())?.to_owned();
            Some(Preset {
                token,
                name: p.child("Name").map(|n| n.text.clone()).filter(|n| !n.is_empty()),
                position: p.find("PTZPosition").and_then(read_vector),
            })
        })
        .collect()
}

/// An ISO 8601 duration for a timeout, whole milliseconds.
fn duration(timeout: std::time::Duration) -> String {
    format!("PT{}.{:03}S", timeout.as_secs(), timeout.subsec_millis())
}

impl OnvifClient {
    /// Moves at `velocity` until stopped or `timeout` passes.
    pub async fn continuous_move(
        &self,
        profile: &str,
        velocity: PtzVector,
        timeout: Option<std::time::Duration>,
    ) -> Result<(), DeviceError> {
        let timeout = timeout.map(|t| format!("<tptz:Timeout>{}</tptz:Timeout>", duration(t))).unwrap_or_default();
        let body = format!(
            "<tptz:ContinuousMove><tptz:ProfileToken>{}</tptz:ProfileToken>{}{timeout}</tptz:ContinuousMove>",
            escape(profile),
            vector("Velocity", velocity)
        );
        self.call(self.ptz_service()?, &body).await.map(drop)
    }

    /// Stops pan/tilt and zoom.
    pub async fn stop(&self, profile: &str) -> Result<(), DeviceError> {
        let body = format!(
            "<tptz:Stop><tptz:ProfileToken>{}</tptz:ProfileToken><tptz:PanTilt>true</tptz:PanTilt><tptz:Zoom>true</tptz:Zoom></tptz:Stop>",
            escape(profile)
        );
        self.call(self.ptz_service()?, &body).await.map(drop)
    }

    /// Moves to `position`.
    pub async fn absolute_move(&self, profile: &str, position: PtzVector) -> Result<(), DeviceError> {
        let body = format!(
            "<tptz:AbsoluteMove><tptz:ProfileToken>{}</tptz:ProfileToken>{}</tptz:AbsoluteMove>",
            escape(profile),
            vector("Position", position)
        );
        self.call(self.ptz_service()?, &body).await.map(drop)
    }

    /// Moves by `translation` from where the head is.
    pub async fn relative_move(&self, profile: &str, translation: PtzVector) -> Result<(), DeviceError> {
        let body = format!(
            "<tptz:RelativeMove><tptz:ProfileToken>{}</tptz:ProfileToken>{}</tptz:RelativeMove>",
            escape(profile),
            vector("Translation", translation)
        );
        self.call(self.ptz_service()?, &body).await.map(drop)
    }

    /// Where the head is and whether it moves.
    pub async fn ptz_status(&self, profile: &str) -> Result<PtzStatus, DeviceError> {
        let body =
            format!("<tptz:GetStatus><tptz:ProfileToken>{}</tptz:ProfileToken></tptz:GetStatus>", escape(profile));
        Ok(read_status(&self.call(self.ptz_service()?, &body).await?))
    }

    /// The stored presets.
    pub async fn presets(&self, profile: &str) -> Result<Vec<Preset>, DeviceError> {
        let body =
            format!("<tptz:GetPresets><tptz:ProfileToken>{}</tptz:ProfileToken></tptz:GetPresets>", escape(profile));
        Ok(read_presets(&self.call(self.ptz_service()?, &body).await?))
    }

    /// Stores the current position as a preset named `name` (replacing
    /// `token` when given); returns the preset's token.
    pub async fn set_preset(&self, profile: &str, name: &str, token: Option<&str>) -> Result<String, DeviceError> {
        let token = token.map(|t| format!("<tptz:PresetToken>{}</tptz:PresetToken>", escape(t))).unwrap_or_default();
        let body = format!(
            "<tptz:SetPreset><tptz:ProfileToken>{}</tptz:ProfileToken><tptz:PresetName>{}</tptz:PresetName>{token}</tptz:SetPreset>",
            escape(profile),
            escape(name)
        );
        let reply = self.call(self.ptz_service()?, &body).await?;
        reply.text_of("PresetToken").map(str::to_owned).ok_or(DeviceError::Missing("the preset's token"))
    }

    /// Moves to preset `token`.
    pub async fn goto_preset(&self, profile: &str, token: &str) -> Result<(), DeviceError> {
        let body = format!(
            "<tptz:GotoPreset><tptz:ProfileToken>{}</tptz:ProfileToken><tptz:PresetToken>{}</tptz:PresetToken></tptz:GotoPreset>",
            escape(profile),
            escape(token)
        );
        self.call(self.ptz_service()?, &body).await.map(drop)
    }

    /// Removes preset `token`.
    pub async fn remove_preset(&self, profile: &str, token: &str) -> Result<(), DeviceError> {
        let body = format!(
            "<tptz:RemovePreset><tptz:ProfileToken>{}</tptz:ProfileToken><tptz:PresetToken>{}</tptz:PresetToken></tptz:RemovePreset>",
            escape(profile),
            escape(token)
        );
        self.call(self.ptz_service()?, &body).await.map(drop)
    }

    /// Moves to the home position.
    pub async fn goto_home(&self, profile: &str) -> Result<(), DeviceError> {
        let body = format!(
            "<tptz:GotoHomePosition><tptz:ProfileToken>{}</tptz:ProfileToken></tptz:GotoHomePosition>",
            escape(profile)
        );
        self.call(self.ptz_service()?, &body).await.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    #[test]
    fn status_with_and_without_move_status_wrappers() {
        let reply = parse(br#"<GetStatusResponse><PTZStatus><tt:Position><tt:PanTilt x="0.25" y="-0.5" space="x"/><tt:Zoom x="0.1"/></tt:Position>
            <tt:MoveStatus><tt:PanTilt>MOVING</tt:PanTilt><tt:Zoom>IDLE</tt:Zoom></tt:MoveStatus><tt:UtcTime>2026-12-03T10:00:00Z</tt:UtcTime></PTZStatus></GetStatusResponse>"#).unwrap();
        assert_eq!(
            read_status(&reply),
            PtzStatus { position: Some(PtzVector { pan: 0.25, tilt: -0.5, zoom: 0.1 }), moving: true }
        );
        // Some firmwares put the state straight in MoveStatus, and omit Position.
        let reply =
            parse(b"<GetStatusResponse><PTZStatus><MoveStatus>IDLE</MoveStatus></PTZStatus></GetStatusResponse>")
                .unwrap();
        assert_eq!(read_status(&reply), PtzStatus { position: None, moving: false });
    }

    #[test]
    fn presets_skip_tokenless_entries() {
        let reply = parse(br#"<GetPresetsResponse><Preset token="1"><Name>Gate</Name><PTZPosition><PanTilt x="0.5" y="0"/></PTZPosition></Preset>
            <Preset token=""><Name>template</Name></Preset><Preset token="2"/></GetPresetsResponse>"#).unwrap();
        let presets = read_presets(&reply);
        assert_eq!(presets.len(), 2);
        assert_eq!(presets[0].name.as_deref(), Some("Gate"));
        assert_eq!(presets[0].position, Some(PtzVector { pan: 0.5, tilt: 0.0, zoom: 0.0 }));
        assert_eq!(presets[1], Preset { token: "2".into(), name: None, position: None });
    }

    #[test]
    fn requests_carry_finite_numbers_and_iso_durations() {
        assert_eq!(
            vector("Velocity", PtzVector { pan: 0.5, tilt: f32::NAN, zoom: -1.0 }),
            r#"<tptz:Velocity><tt:PanTilt x="0.5" y="0"/><tt:Zoom x="-1"/></tptz:Velocity>"#
        );
        assert_eq!(duration(std::time::Duration::from_millis(1500)), "PT1.500S");
    }
}

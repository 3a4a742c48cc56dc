//! `vms up --demo`: simulated cameras, and four demo cameras in the catalog
//! pointing at them, so a newcomer sees working streams at once.

use anyhow::Context;
use tokio_util::sync::CancellationToken;
use vms_camsim::{
    Camsim,
    camera::Camera,
    hikvision::HikvisionNvr,
    nvr::NvrConfig,
    onvif::{OnvifConfig, OnvifDevice},
};
use vms_catalog::{
    Scope,
    camera::{self, CredentialsChange, NewCamera, StreamRole, StreamSpec, Transport},
    credentials::CredentialKey,
    scope, site, tenant,
};
use vms_config::Config;

use crate::connections;

/// Name of the site the demo cameras belong to.
const DEMO_SITE: &str = "Demo site";

/// The demo cameras: name, and the simulator clips of the main and sub
/// streams. A sub stream is like a real camera's: small, and H.264, which
/// every browser decodes (and the analytics plane looks at).
const DEMO_CAMERAS: &[(&str, &str, &str)] = &[
    ("Lobby (H.264 720p)", "h264_720p", "h264_360p"),
    ("Parking (H.265 720p)", "h265_720p", "h264_360p"),
    ("Gate (H.264 1080p)", "h264_1080p", "h264_360p"),
    ("Yard (H.265 1080p)", "h265_1080p", "h264_360p"),
    // Real people walking, for detections; only where the footage is installed.
    ("Walkway (people, H.264 576p)", "walkway_576p", "walkway_576p"),
];

/// The demo cameras whose clips this machine can make.
fn demo_cameras() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    DEMO_CAMERAS.iter().filter(|(_, main, _)| {
        vms_camsim::clip::ClipSpec::named(main)
            .is_some_and(|c| c.footage.is_none_or(|f| std::path::Path::new(f).is_file()))
    })
}

/// What the demo sets on a camera's analytics: on the walkway, a line across
/// it and a zone at its west end (those of the hand count in
/// crates/vms-ai/testdata/walkway-crossings.toml), so crossings and zone
/// entries show among the events within a minute. The synthetic cameras
/// are not analysed: their test patterns move all over, so every picture
/// looked at would go to the person detector whole, and on a small machine
/// they would keep it from the walkway (and each would fall behind).
fn demo_analytics(clip: &str) -> vms_base::analytics::CameraAnalytics {
    use vms_base::analytics::{CameraAnalytics, Line, Zone};
    if clip != "walkway_576p" {
        return CameraAnalytics { enabled: false, ..Default::default() };
    }
    CameraAnalytics {
        lines: vec![Line { name: "Walkway".into(), a: [0.30, 0.75], b: [0.30, 0.25], labels: Vec::new() }],
        zones: vec![Zone {
            name: "West end".into(),
            points: vec![[0.0, 0.25], [0.2, 0.25], [0.2, 0.75], [0.0, 0.75]],
            labels: Vec::new(),
            loiter_secs: Some(20),
        }],
        ..Default::default()
    }
}

/// The person detector the demo finds people with, when scripts/setup.sh
/// has fetched it (`VMS_PERSON_MODEL`, its labels beside it) and the
/// configuration names no model of its own.
pub fn person_model(config: &Config) -> Option<String> {
    if config.analytics.model.is_some() {
        return None;
    }
    let model = std::env::var("VMS_PERSON_MODEL").ok()?;
    std::path::Path::new(&model).is_file().then_some(model)
}

/// The demo's simulated ONVIF camera: a PTZ dome whose streams are the
/// simulator's, to find with a scan of `127.0.0.1` and onboard (user
/// `admin`, password `camsim`).
pub const DEMO_ONVIF: &str = "demo-ptz?ptz&model=Demo%20PTZ%20dome";

/// The demo's simulated NVR: a Hikvision NVR of four channels (one without
/// its camera), to import from the Cameras screen (user `admin`, password
/// `camsim`). Its channels stream from the simulator's RTSP server.
pub const DEMO_NVR: &str = "demo-nvr?channels=4&offline=4&names=Entrance,Corridor,Store%20room&model=DS-7604NI-K1";

/// Runs the simulator (one camera per clip, the ONVIF PTZ camera and the
/// NVR) until SIGINT or SIGTERM; `vms up --demo` supervises it.
pub async fn serve_cameras(config: &Config) -> anyhow::Result<()> {
    let shutdown = CancellationToken::new();
    vms_base::shutdown::cancel_on_signal(shutdown.clone());
    let clips = config.demo_clips_dir();
    let sim = Camsim::start(config.demo.camsim_listen, &clips, Camera::defaults())
        .await
        .context("failed to start the simulated cameras")?;
    let onvif = start_onvif(config).await.context("failed to start the simulated ONVIF camera")?;
    let nvr =
        HikvisionNvr::start(NvrConfig::parse(DEMO_NVR)?, config.demo.nvr_listen, config.demo.camsim_listen.port())
            .await
            .context("failed to start the simulated NVR")?;
    sim.serve_until(shutdown).await;
    onvif.stop().await;
    nvr.stop().await;
    Ok(())
}

/// Starts the ONVIF camera; its discovery responder only if the port is free
/// (a WS-Discovery daemon of the host's own may hold it).
async fn start_onvif(config: &Config) -> anyhow::Result<OnvifDevice> {
    let onvif = OnvifConfig::parse(DEMO_ONVIF)?;
    let rtsp = format!("rtsp://{}", config.demo.camsim_listen);
    let http = config.demo.onvif_listen;
    let discovery = std::net::SocketAddr::new(http.ip(), vms_devices::discovery::PORT);
    match OnvifDevice::start(onvif.clone(), http, Some(discovery), &rtsp).await {
        Ok(device) => Ok(device),
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "the demo ONVIF camera answers no discovery probes; onboard it by address");
            OnvifDevice::start(onvif, http, None, &rtsp).await
        }
    }
}

/// Adds the demo site and those of its cameras it lacks to the default
/// tenant; returns the cameras' names.
pub async fn seed(config: &Config) -> anyhow::Result<Vec<String>> {
    let pool = connections::database(config, &connections::owner_database(config)?).await?;
    let key = CredentialKey::load_or_create(&config.secrets_dir())?;
    let mut tx = scope::begin(&pool, Scope::AllTenants).await?;
    let tenant = tenant::find_by_name(&mut *tx, tenant::DEFAULT_TENANT).await?.context("no default tenant")?;
    let names: Vec<String> = demo_cameras().map(|(n, _, _)| n.to_string()).collect();
    // An installation seeded before a demo camera was added gets it now.
    let existing = site::list(&mut *tx, tenant.id).await?.into_iter().find(|s| s.name == DEMO_SITE);
    let (demo, have) = match existing {
        Some(demo) => {
            let have: Vec<String> =
                camera::list(&mut tx, tenant.id, Some(demo.id)).await?.into_iter().map(|c| c.name).collect();
            (demo, have)
        }
        None => {
            let demo = site::create(
                &mut *tx,
                tenant.id,
                &site::NewSite {
                    name: DEMO_SITE.into(),
                    description: "Simulated cameras of `vms up --demo`".into(),
                    timezone: "UTC".into(),
                },
            )
            .await?;
            (demo, Vec::new())
        }
    };
    for (name, clip, sub) in demo_cameras().filter(|(name, _, _)| !have.iter().any(|h| h == name)) {
        let new = NewCamera {
            site_id: demo.id,
            name: name.to_string(),
            description: format!("vms-camsim clip {clip}"),
            enabled: true,
            streams: vec![
                StreamSpec {
                    role: StreamRole::Main,
                    url: format!("rtsp://{}/{clip}", config.demo.camsim_listen),
                    transport: Transport::Tcp,
                    credentials: CredentialsChange::Keep,
                },
                StreamSpec {
                    role: StreamRole::Sub,
                    url: format!("rtsp://{}/{sub}", config.demo.camsim_listen),
                    transport: Transport::Tcp,
                    credentials: CredentialsChange::Keep,
                },
            ],
        };
        let created = camera::create(&mut tx, &key, tenant.id, &new).await?;
        vms_catalog::analytics::set_settings(&mut *tx, tenant.id, created.id, &demo_analytics(clip)).await?;
    }
    tx.commit().await?;
    pool.close().await;
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_demo_draws_is_a_valid_setting() {
        for clip in ["walkway_576p", "h264_720p"] {
            let drawn = demo_analytics(clip);
            drawn.validate().unwrap();
            assert_eq!(drawn.clone().normalised(), drawn, "stored as the API would store it");
        }
        let walkway = demo_analytics("walkway_576p");
        assert!(walkway.enabled && walkway.lines.len() == 1 && walkway.zones.len() == 1);
        assert!(!demo_analytics("h264_720p").enabled);
    }
}

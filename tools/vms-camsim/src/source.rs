//! What the simulator's RTSP server serves: each camera's clip, its
//! credentials and faults, with options from the URL's query.

use std::{
    collections::HashMap,
    future::Future,
    sync::{Arc, Mutex},
};

use tokio_util::sync::CancellationToken;
use vms_rtsp::{
    auth,
    message::Request,
    server::{Challenge, Connection, Description, Ended, Refusal, Sink, Source, Start},
};

use crate::{
    camera::{AuthMode, Camera},
    clip::Clip,
    sent::SendLog,
    silent::Silenced,
    stream,
};

/// The simulator's cameras and the clips they loop.
pub(crate) struct Cameras {
    pub(crate) cameras: Vec<Camera>,
    pub(crate) clips: HashMap<&'static str, Arc<Clip>>,
    pub(crate) playing: Playing,
    pub(crate) sent: SendLog,
    pub(crate) silenced: Silenced,
    /// Cancelled when the simulator stops: the end of a silent camera's wait.
    pub(crate) shutdown: CancellationToken,
}

/// How many sessions are playing each camera now.
#[derive(Clone, Default)]
pub(crate) struct Playing(Arc<Mutex<HashMap<String, usize>>>);

impl Playing {
    /// Returns how many sessions play `camera`.
    pub(crate) fn count(&self, camera: &str) -> usize {
        self.0.lock().expect("playing lock should not be poisoned").get(camera).copied().unwrap_or(0)
    }

    /// Counts a session of `camera` until the returned guard is dropped.
    fn start(&self, camera: &str) -> PlayingGuard {
        *self.0.lock().expect("playing lock should not be poisoned").entry(camera.to_owned()).or_default() += 1;
        PlayingGuard { playing: self.clone(), camera: camera.to_owned() }
    }
}

struct PlayingGuard {
    playing: Playing,
    camera: String,
}

impl Drop for PlayingGuard {
    fn drop(&mut self) {
        let mut counts = self.playing.0.lock().expect("playing lock should not be poisoned");
        if let Some(n) = counts.get_mut(&self.camera) {
            *n = n.saturating_sub(1);
        }
    }
}

impl Source for Cameras {
    type Media = (Camera, Arc<Clip>);

    /// Resolves `/<camera>[/trackID=0][?options]`. Options given on DESCRIBE
    /// carry over to the SETUP and PLAY of the same camera, whose URIs (built
    /// from Content-Base) have no query.
    /// NVR channel paths (`/Streaming/Channels/101`, `/cam/realmonitor?...`)
    /// resolve to the channel cameras of [`crate::vendor_paths`].
    fn resolve(&self, uri: &url::Url, current: Option<&Self::Media>) -> Result<Self::Media, u16> {
        let name = uri.path_segments().and_then(|mut s| s.next()).filter(|s| !s.is_empty()).ok_or(404u16)?;
        if uri.query().is_none()
            && let Some((camera, clip)) = current
            && (camera.name == name || crate::vendor_paths::continues(uri, &camera.name))
        {
            return Ok((camera.clone(), clip.clone()));
        }
        if let Some(camera) = crate::vendor_paths::channel_camera(uri) {
            let clip = self.clips.get(camera.clip.name).cloned().ok_or(404u16)?;
            return Ok((camera, clip));
        }
        let mut camera = self.cameras.iter().find(|c| c.name == name).cloned().ok_or(404u16)?;
        if let Some(query) = uri.query() {
            camera.options.apply(query).map_err(|_| 400u16)?;
        }
        let clip = self.clips.get(camera.clip.name).cloned().ok_or(404u16)?;
        Ok((camera, clip))
    }

    fn authorize(
        &self,
        request: &Request,
        (camera, _): &Self::Media,
        connection: Connection<'_>,
    ) -> impl Future<Output = Result<(), Refusal>> + Send {
        let o = &camera.options;
        let verdict = match o.auth.or(o.auth_fail.then_some(AuthMode::Basic)) {
            None => Ok(()),
            Some(mode) => {
                let ok = !o.auth_fail
                    && match request.header("Authorization").and_then(auth::parse) {
                        Some(presented @ auth::Presented::Digest { .. }) => {
                            mode == AuthMode::Digest
                                && auth::digest_matches(
                                    &presented,
                                    &request.method,
                                    connection.realm,
                                    connection.nonce,
                                    &o.password,
                                )
                        }
                        Some(auth::Presented::Basic { username, password }) => {
                            auth::constant_time_eq(username.as_bytes(), o.username.as_bytes())
                                && auth::constant_time_eq(password.as_bytes(), o.password.as_bytes())
                        }
                        None => false,
                    };
                match (ok, mode) {
                    (true, _) => Ok(()),
                    (false, AuthMode::Basic) => Err(Refusal::Challenge(Challenge::Basic)),
                    (false, AuthMode::Digest) => Err(Refusal::Challenge(Challenge::Digest)),
                }
            }
        };
        // A silent camera holds the request (and its connection) until the simulator stops.
        let hang = (o.silent || self.silenced.contains(&camera.name)).then(|| self.shutdown.clone());
        async move {
            if let Some(stop) = hang {
                stop.cancelled().await;
                return Err(Refusal::Unavailable);
            }
            verdict
        }
    }

    fn describe(&self, (camera, clip): &Self::Media) -> Result<Description, u16> {
        Ok(Description {
            title: format!("vms-camsim {}", camera.name),
            codec: clip.spec.codec,
            parameter_sets: clip.parameter_sets.clone(),
            first_rtp_offset: clip.units.first().map(|u| u.pts as u32).unwrap_or(0),
        })
    }

    fn play(
        &self,
        (camera, clip): &Self::Media,
        sink: Sink,
        start: Start,
        cancel: CancellationToken,
    ) -> impl Future<Output = Ended> + Send + 'static {
        let alternate = camera.clip.other_resolution().and_then(|c| self.clips.get(c.name).cloned());
        let sent = self.sent.camera(&camera.name);
        let run = stream::run(clip.clone(), alternate, camera.options.clone(), sink, start, sent, cancel);
        let name = camera.name.clone();
        let guard = self.playing.start(&name);
        async move {
            let _playing = guard;
            let ended = run.await;
            if ended == Ended::Dropped {
                tracing::info!(camera = %name, "dropping the connection (fault)");
            }
            ended
        }
    }
}

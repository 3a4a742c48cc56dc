//! The `Assignments` gRPC service: tells each plane which streams it serves
//! (and the media plane which devices' alarms to subscribe to), and tells it
//! again whenever the catalog changes.
//!
//! Changes arrive as PostgreSQL notifications (see the catalog's
//! `notify_catalog_change` trigger), with a periodic resync in case one is
//! missed while the listener reconnects.

use std::time::Duration;

use sqlx::{PgPool, postgres::PgListener};
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};
use vms_base::{Plane, backoff::Backoff};
use vms_catalog::{
    camera::StreamRole,
    plane_devices,
    plane_streams::{self, PlaneStream},
};
use vms_proto::v1;

/// Serves `Assignments.Watch`.
pub struct AssignmentService {
    db: PgPool,
    changes: watch::Receiver<u64>,
    shutdown: CancellationToken,
}

impl AssignmentService {
    /// Creates the service; `changes` ticks on every catalog change.
    pub fn new(db: PgPool, changes: watch::Receiver<u64>, shutdown: CancellationToken) -> Self {
        Self { db, changes, shutdown }
    }
}

/// Picks the streams a plane serves: media pulls every stream; the recorder
/// records each camera's main stream; analytics use, for each camera
/// whose analytics are enabled, the stream its settings name, or the sub
/// stream, or the main stream of a camera that has no other.
pub fn streams_for(plane: Plane, all: &[PlaneStream]) -> Vec<&PlaneStream> {
    match plane {
        Plane::Control => Vec::new(),
        Plane::Media => all.iter().collect(),
        Plane::Recorder => all.iter().filter(|s| s.role == StreamRole::Main).collect(),
        Plane::Ai => {
            let mut roles: std::collections::HashMap<uuid::Uuid, Vec<StreamRole>> = Default::default();
            for s in all {
                roles.entry(s.camera_id).or_default().push(s.role);
            }
            all.iter()
                .filter(|s| {
                    let Some(settings) = s.analytics.as_ref().filter(|a| a.enabled) else { return false };
                    let has = |role: StreamRole| roles.get(&s.camera_id).is_some_and(|r| r.contains(&role));
                    let wanted = match settings.stream {
                        Some(role) if has(role) => role,
                        _ if has(StreamRole::Sub) => StreamRole::Sub,
                        _ => StreamRole::Main,
                    };
                    s.role == wanted
                })
                .collect()
        }
    }
}

/// The assignment set `plane` should follow now.
pub async fn build_set(db: &PgPool, plane: Plane) -> Result<v1::AssignmentSet, Status> {
    let unavailable = |e: vms_catalog::CatalogError| {
        tracing::warn!(error = %e, "failed to read assignments");
        vms_proto::status::status(vms_base::ErrorCode::Unavailable, "catalog unavailable")
    };
    // Planes serve every tenant's cameras: this read spans tenants by design.
    let mut tx = vms_catalog::scope::begin(db, vms_catalog::Scope::AllTenants).await.map_err(unavailable)?;
    let revision = plane_streams::revision(&mut *tx).await.map_err(unavailable)?;
    let all = plane_streams::enabled_streams(&mut *tx).await.map_err(unavailable)?;
    // The media plane subscribes to devices' own alarms.
    let devices = match plane {
        Plane::Media => plane_devices::enabled_devices(&mut *tx).await.map_err(unavailable)?,
        _ => Vec::new(),
    };
    drop(tx);
    let streams = streams_for(plane, &all)
        .into_iter()
        .map(|s| v1::StreamAssignment {
            camera_id: s.camera_id.to_string(),
            stream_id: s.stream_id.to_string(),
            camera_name: s.camera_name.clone(),
            role: s.role.to_string(),
            source_url: s.url.clone(),
            transport: s.transport.to_string(),
            sealed_credentials: s.sealed_credentials.clone().unwrap_or_default(),
            tenant_id: s.tenant_id.to_string(),
            // Only the analytics plane reads them; sent to no other, so
            // editing them restarts nothing there.
            analytics: match (plane, &s.analytics) {
                (Plane::Ai, Some(settings)) => serde_json::to_string(settings).unwrap_or_default(),
                _ => String::new(),
            },
        })
        .collect();
    let devices = devices
        .into_iter()
        .map(|d| v1::DeviceAssignment {
            device_id: d.device_id.to_string(),
            tenant_id: d.tenant_id.to_string(),
            protocol: d.protocol,
            address: d.address,
            sealed_credentials: d.sealed_credentials.unwrap_or_default(),
            cameras: d
                .cameras
                .into_iter()
                .map(|(camera_id, camera_name, channel)| v1::DeviceCamera {
                    camera_id: camera_id.to_string(),
                    channel: channel.unwrap_or(0),
                    camera_name,
                })
                .collect(),
        })
        .collect();
    let set = v1::AssignmentSet { revision, streams, devices };
    let size = prost::Message::encoded_len(&set);
    if size > vms_proto::MAX_ASSIGNMENT_MESSAGE {
        // The plane keeps its last set; better said loudly than cut short.
        tracing::error!(%plane, size, "the assignment set is too large to send");
        return Err(vms_proto::status::status(vms_base::ErrorCode::ResourceExhausted, "assignment set too large"));
    }
    Ok(set)
}

#[tonic::async_trait]
impl v1::assignments_server::Assignments for AssignmentService {
    type WatchStream = ReceiverStream<Result<v1::AssignmentSet, Status>>;

    async fn watch(&self, request: Request<v1::WatchRequest>) -> Result<Response<Self::WatchStream>, Status> {
        let req = request.into_inner();
        let plane: Plane =
            req.plane.parse().map_err(|e| vms_proto::status::status(vms_base::ErrorCode::InvalidArgument, e))?;
        if plane == Plane::Control {
            return Err(vms_proto::status::status(vms_base::ErrorCode::InvalidArgument, "control has no assignments"));
        }
        tracing::info!(%plane, node_id = %req.node_id, "plane is following assignments");
        let (tx, rx) = mpsc::channel(2);
        let db = self.db.clone();
        let mut changes = self.changes.clone();
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            loop {
                changes.borrow_and_update();
                let set = build_set(&db, plane).await;
                let failed = set.is_err();
                if tx.send(set).await.is_err() || failed {
                    return;
                }
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tx.closed() => return,
                    changed = changes.changed() => if changed.is_err() { return },
                }
            }
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }
}

/// Ticks `changes` on every catalog notification, after every reconnect of the
/// listener, and every `resync` as a safety net.
pub async fn follow_catalog(
    db: PgPool,
    changes: watch::Sender<u64>,
    resync: Duration,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let bump = || changes.send_modify(|v| *v += 1);
    let mut backoff = Backoff::new(Duration::from_millis(250), Duration::from_secs(10));
    loop {
        let listener = async {
            let mut listener = PgListener::connect_with(&db).await?;
            listener.listen(plane_streams::CHANGE_CHANNEL).await?;
            Ok::<_, sqlx::Error>(listener)
        };
        let mut listener = tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            l = listener => match l {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "catalog listener unavailable; retrying");
                    tokio::select! {
                        _ = shutdown.cancelled() => return Ok(()),
                        _ = tokio::time::sleep(backoff.next_delay()) => continue,
                    }
                }
            },
        };
        backoff.reset();
        bump();
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return Ok(()),
                _ = tokio::time::sleep(resync) => bump(),
                n = listener.try_recv() => match n {
                    Ok(Some(_)) => bump(),
                    // The connection dropped; the next call reconnects. Resync, since
                    // notifications sent meanwhile are lost.
                    Ok(None) => bump(),
                    Err(e) => {
                        tracing::warn!(error = %e, "catalog listener failed; reconnecting");
                        break;
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;
    use vms_catalog::camera::Transport;

    use super::*;

    fn stream(camera: Uuid, role: StreamRole) -> PlaneStream {
        PlaneStream {
            tenant_id: Uuid::nil(),
            camera_id: camera,
            camera_name: "c".into(),
            stream_id: Uuid::new_v4(),
            role,
            url: "rtsp://cam/".into(),
            transport: Transport::Tcp,
            sealed_credentials: None,
            analytics: Some(Default::default()),
        }
    }

    #[test]
    fn each_plane_gets_its_streams() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let all = vec![stream(a, StreamRole::Main), stream(a, StreamRole::Sub), stream(b, StreamRole::Main)];
        assert_eq!(streams_for(Plane::Media, &all).len(), 3);
        let rec = streams_for(Plane::Recorder, &all);
        assert!(rec.len() == 2 && rec.iter().all(|s| s.role == StreamRole::Main));
        let ai = streams_for(Plane::Ai, &all);
        assert_eq!(ai.len(), 2);
        assert!(ai.iter().any(|s| s.camera_id == a && s.role == StreamRole::Sub));
        assert!(ai.iter().any(|s| s.camera_id == b && s.role == StreamRole::Main));
        assert!(streams_for(Plane::Control, &all).is_empty());
    }

    #[test]
    fn analytics_follow_each_cameras_settings() {
        use vms_base::analytics::CameraAnalytics;
        let (a, b, c, d) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let with = |mut s: PlaneStream, analytics: Option<CameraAnalytics>| {
            s.analytics = analytics;
            s
        };
        let main_please = Some(CameraAnalytics { stream: Some(StreamRole::Main), ..Default::default() });
        let sub_please = Some(CameraAnalytics { stream: Some(StreamRole::Sub), ..Default::default() });
        let off = Some(CameraAnalytics { enabled: false, ..Default::default() });
        let all = vec![
            // Asks for its main stream.
            with(stream(a, StreamRole::Main), main_please.clone()),
            with(stream(a, StreamRole::Sub), main_please),
            // Asks for a sub stream it does not have: its main one it is.
            with(stream(b, StreamRole::Main), sub_please),
            // Analytics off.
            with(stream(c, StreamRole::Main), off.clone()),
            with(stream(c, StreamRole::Sub), off),
            // Settings this version cannot read: left alone.
            with(stream(d, StreamRole::Sub), None),
        ];
        let ai: Vec<(Uuid, StreamRole)> = streams_for(Plane::Ai, &all).iter().map(|s| (s.camera_id, s.role)).collect();
        assert_eq!(ai, [(a, StreamRole::Main), (b, StreamRole::Main)]);
        assert_eq!(streams_for(Plane::Media, &all).len(), 6, "analytics settings never touch live view");
    }
}

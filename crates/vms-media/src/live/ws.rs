//! fMP4 over WebSocket, for Media Source Extensions.
//!
//! The socket carries, in order: a text message describing the stream
//! (`{"type":"init","mime":…,"codec":…,"width":…,"height":…}`), a binary
//! init segment, then one binary `prft`+`moof`+`mdat` per picture as it
//! arrives, so nothing waits for a group of pictures to finish. The `prft`
//! says when the picture reached the media plane, so the player can tell
//! when it falls behind (buffers on a slow link) and measure its latency;
//! it is not for the browser's MSE and the player strips it. A change of codec or
//! resolution repeats the text message and the init segment. The viewer
//! starts at the GOP cache's keyframe; one that cannot keep up loses its
//! backlog and resumes at the next keyframe.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket};
use futures::{SinkExt, StreamExt};
use serde_json::json;
use tokio_util::sync::CancellationToken;
use vms_codec::{fmp4, ntp};

use super::mux::{self, Timeline};
use crate::{fanout::Hub, video::VideoParams};

/// Pictures a viewer may fall behind by before it skips to the next keyframe.
const BACKLOG: usize = 50;

/// Streams `hub` to one viewer until it leaves, the stream ends or `cancel` fires.
pub(crate) async fn serve(socket: WebSocket, hub: Arc<Hub>, cancel: CancellationToken) {
    let (mut tx, mut rx) = socket.split();
    let mut frames = hub.subscribe(BACKLOG);
    let mut timeline = Timeline::default();
    let mut params: Option<Arc<VideoParams>> = None;
    let mut sequence = 0u32;
    loop {
        let frame = tokio::select! {
            _ = cancel.cancelled() => break,
            incoming = rx.next() => match incoming {
                // The viewer sends nothing but pings and the close.
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => continue,
            },
            frame = frames.next() => match frame {
                Some(frame) => frame,
                None => {
                    let _ = tx.send(Message::Text(json!({"type": "end", "reason": "the stream stopped"}).to_string().into())).await;
                    break;
                }
            },
        };
        if params.as_ref().is_none_or(|p| !Arc::ptr_eq(p, &frame.params) && **p != *frame.params) {
            if !frame.keyframe {
                continue;
            }
            let Some(init) = mux::init(&frame.params) else {
                let reason = format!("{} cannot be carried in MP4", frame.params.codec_string);
                let _ = tx.send(Message::Text(json!({"type": "end", "reason": reason}).to_string().into())).await;
                break;
            };
            let p = &frame.params;
            let describe = json!({"type": "init", "mime": mux::mime(p), "codec": p.codec_string, "width": p.width, "height": p.height});
            if tx.send(Message::Text(describe.to_string().into())).await.is_err()
                || tx.send(Message::Binary(init.into())).await.is_err()
            {
                break;
            }
            params = Some(frame.params.clone());
        }
        let timed = timeline.place(frame);
        let arrived = ntp::from_unix_micros(timed.frame.arrived_at.timestamp_micros().max(0) as u64);
        let prft = fmp4::producer_reference_time(arrived, timed.dts.max(0) as u64);
        let message = mux::fragment_after(prft, sequence, std::slice::from_ref(&timed), timeline.nominal());
        sequence = sequence.wrapping_add(1);
        if tx.send(Message::Binary(message.into())).await.is_err() {
            break;
        }
    }
    let _ = tx.close().await;
}

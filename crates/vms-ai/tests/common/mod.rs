//! Runs a clip through one camera's analysis thread as the frame link would
//! deliver it: a description, then every picture 40 ms apart (25 fps), then
//! the end of the stream.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::mpsc;
use vms_ai::analyse::{self, Input, Output};
use vms_bus::status::StreamAnalytics;
use vms_link::{Description, Picture};
use vms_plane::link::LinkEvent;
use vms_testkit::media::{Clip, FRAME_TICKS};

/// What the analysis reported, in order, and its counters at the end.
pub fn analyse_clip(clip: &Clip, settings: analyse::Settings) -> (Vec<Output>, StreamAnalytics) {
    let (inputs, queued) = mpsc::channel(clip.pictures.len() + 4);
    let (outputs, mut produced) = mpsc::channel(4096);
    let description = Description {
        codec: clip.codec,
        width: clip.width,
        height: clip.height,
        timescale: 90_000,
        codec_string: String::new(),
        parameter_sets: clip.parameter_sets.iter().map(|p| Bytes::from(p.clone())).collect(),
        sample_entry: Bytes::new(),
    };
    inputs.try_send(Input::Link(LinkEvent::Description(description))).unwrap();
    for (n, p) in clip.pictures.iter().enumerate() {
        let picture = Picture {
            pts: n as i64 * i64::from(FRAME_TICKS),
            arrived_at_us: n as i64 * 40_000,
            keyframe: p.keyframe,
            lost: 0,
            data: Bytes::from(p.data.clone()),
        };
        inputs.try_send(Input::Link(LinkEvent::Picture(picture))).unwrap();
    }
    inputs.try_send(Input::Stop).unwrap();
    drop(inputs);
    let stats = Arc::new(Mutex::new(StreamAnalytics::default()));
    let worker_stats = stats.clone();
    std::thread::spawn(move || analyse::run(queued, outputs, settings, worker_stats)).join().unwrap();
    let mut seen = Vec::new();
    while let Ok(output) = produced.try_recv() {
        seen.push(output);
    }
    let stats = stats.lock().unwrap().clone();
    (seen, stats)
}

//! Motion on real encoded video: an H.264 and an H.265 clip of a still,
//! noisy scene where a box moves for two seconds, then the lights brighten,
//! go through the analysis thread (decode at 5 fps, motion, debounce) as
//! the frame link would deliver them. Motion starts when the box starts,
//! ends when it stops, and the brightness change is no motion.

mod common;

use vms_ai::{
    analyse::{self, Output},
    motion::events::{Change, Debounce},
};
use vms_bus::status::StreamAnalytics;
use vms_codec::Codec;
use vms_testkit::media::{self, FPS};

/// Still for 2 s, a box moving from 2 s to 4 s, still again, a little
/// brighter from 6 s; 8 s in all, with grain that changes every picture.
const SCENE: &str = "color=c=0x606060:size=320x240:rate=25,drawgrid=w=32:h=32:t=2:c=0x303030[bg];\
    color=c=0xe0e0e0:size=40x40:rate=25[box];\
    [bg][box]overlay=x='if(between(t,2,4),20+(t-2)*100,if(lt(t,2),20,220))':y=100:shortest=1,\
    eq=brightness='if(gte(t,6),0.15,0)':eval=frame,\
    noise=alls=8:allf=t";

fn run_clip(codec: Codec) -> (Vec<Change>, StreamAnalytics) {
    let clip = media::clip_of(codec, SCENE, 320, 240, 8 * FPS);
    let settings = analyse::Settings {
        debounce: Debounce { start_pictures: 2, end_after_us: 1_000_000 },
        ..analyse::Settings::new(5, None)
    };
    let (outputs, stats) = common::analyse_clip(&clip, settings);
    let changes = outputs
        .into_iter()
        .map(|output| match output {
            Output::Motion(change) => change,
            other => panic!("without a model, only motion: {other:?}"),
        })
        .collect();
    (changes, stats)
}

fn check(codec: Codec) {
    let (changes, stats) = run_clip(codec);
    assert_eq!(changes.len(), 2, "{codec:?}: one motion, started and ended: {changes:?} {stats:?}");
    let Change::Started { at_us, .. } = changes[0] else { panic!("{codec:?}: {changes:?}") };
    assert!((2_000_000..=2_600_000).contains(&at_us), "{codec:?}: motion started at {at_us} µs, the box at 2 s");
    let Change::Ended { started_us, ended_us, area, .. } = changes[1] else { panic!("{codec:?}: {changes:?}") };
    assert_eq!(started_us, at_us);
    // A box that stops joins the background after five pictures (1 s at 5 fps).
    assert!((3_600_000..=5_200_000).contains(&ended_us), "{codec:?}: motion ended at {ended_us} µs, the box at 4 s");
    // The box travelled from x = 20 to 220 of 320, at y = 100–140 of 240.
    assert!(area.x < 0.2 && area.x + area.w > 0.65, "{codec:?}: {area:?}");
    assert!(area.y > 0.3 && area.y + area.h < 0.65, "{codec:?}: {area:?}");
    assert_eq!(stats.received, u64::from(8 * FPS));
    assert_eq!(stats.analysed, 40, "{codec:?}: 5 pictures a second for 8 s: {stats:?}");
    assert_eq!(stats.decode_errors, 0, "{stats:?}");
    if codec == Codec::H264 {
        assert!(stats.decoded <= stats.received, "{stats:?}");
    }
}

#[test]
fn h264_motion_starts_and_ends_with_the_box() {
    check(Codec::H264);
}

#[test]
fn h265_motion_starts_and_ends_with_the_box() {
    check(Codec::H265);
}

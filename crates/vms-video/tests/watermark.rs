//! Watermarked re-encoding of real H.264 and H.265 footage (made by the
//! machine's ffmpeg), checked with ffprobe: the output is H.264, has every
//! picture at its time, and the watermark's box differs from the source
//! while the rest of the picture does not.

use std::{path::Path, process::Command};

use vms_codec::{Codec, nal};
use vms_testkit::media::{self, Clip, FRAME_TICKS};
use vms_video::{
    decode::DecodeError,
    watermark::{Picture, Reencoder, Settings, Summary, Text, WatermarkError},
};

const FRAMES: u32 = 50;
const WIDTH: u32 = 320;
const HEIGHT: u32 = 240;

fn text() -> Text {
    Text { user: "alice".into(), time: "2030-01-01T12:00:00Z".into(), camera: "Gate (north)".into() }
}

fn settings() -> Settings {
    Settings { frame_rate: media::FPS, max_bit_rate: 1_000_000, threads: 1 }
}

/// Re-encodes `pictures` (decoding order, one frame apart) of `clip` into `out`.
fn reencode(clip: &Clip, pictures: &[media::Picture], out: &Path) -> Result<Summary, WatermarkError> {
    let mut reencoder = Reencoder::new(out, clip.codec, &clip.parameter_sets, &text(), settings())?;
    for (i, p) in pictures.iter().enumerate() {
        let t = i as i64 * i64::from(FRAME_TICKS);
        reencoder.push(&Picture { data: &p.data, dts: t, pts: t, duration: FRAME_TICKS, keyframe: p.keyframe })?;
    }
    reencoder.finish()
}

fn ffprobe(path: &Path, entries: &str) -> serde_json::Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", entries, "-of", "json"])
        .arg(path)
        .output()
        .expect("failed to run ffprobe; install ffmpeg");
    assert!(out.status.success(), "ffprobe failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Picture `n` of the video in `path` (read as `format`, or guessed), as 8-bit luma.
fn luma(path: &Path, format: Option<&str>, n: u32) -> Vec<u8> {
    let mut ffmpeg = Command::new("ffmpeg");
    ffmpeg.args(["-v", "error"]);
    if let Some(format) = format {
        ffmpeg.args(["-f", format]);
    }
    let out = ffmpeg
        .arg("-i")
        .arg(path)
        .args(["-vf", &format!("select=eq(n\\,{n})"), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"])
        .output()
        .expect("failed to run ffmpeg");
    assert!(out.status.success(), "ffmpeg failed: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout.len(), (WIDTH * HEIGHT) as usize);
    out.stdout
}

/// Mean absolute difference of two luma pictures inside (`true`) or outside a box.
fn difference(a: &[u8], b: &[u8], (left, top, w, h): (u32, u32, u32, u32), inside: bool) -> f64 {
    let (mut sum, mut count) = (0u64, 0u64);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            let within = x >= left && x < left + w && y >= top && y < top + h;
            if within == inside {
                let i = (y * WIDTH + x) as usize;
                sum += u64::from(a[i].abs_diff(b[i]));
                count += 1;
            }
        }
    }
    sum as f64 / count as f64
}

fn watermarks_a_clip(codec: Codec) {
    let clip = media::clip(codec, WIDTH, HEIGHT, FRAMES);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.mp4");
    let summary = reencode(&clip, &clip.pictures, &out).unwrap();
    assert_eq!((summary.pictures, summary.width, summary.height), (u64::from(FRAMES), WIDTH, HEIGHT));

    let probe = ffprobe(&out, "stream=codec_name,width,height,nb_read_frames:format=duration:frame=pts_time");
    let stream = &probe["streams"][0];
    assert_eq!(stream["codec_name"], "h264", "{probe}");
    assert_eq!((stream["width"].as_u64(), stream["height"].as_u64()), (Some(320), Some(240)), "{probe}");
    assert_eq!(stream["nb_read_frames"], FRAMES.to_string(), "every picture decodes: {probe}");
    let duration: f64 = probe["format"]["duration"].as_str().unwrap().parse().unwrap();
    assert!((duration - 2.0).abs() < 0.05, "{duration} s: {probe}");
    let times: Vec<f64> =
        probe["frames"].as_array().unwrap().iter().map(|f| f["pts_time"].as_str().unwrap().parse().unwrap()).collect();
    let expected: Vec<f64> = (0..FRAMES).map(|i| f64::from(i) * 0.04).collect();
    assert!(times.iter().zip(&expected).all(|(a, b)| (a - b).abs() < 0.001), "{times:?}");

    // The source as an elementary stream, for ffmpeg to decode as it is.
    let source = dir.path().join("source.es");
    let mut stream = nal::join_annex_b(clip.parameter_sets.iter().map(Vec::as_slice));
    for p in &clip.pictures {
        stream.extend(nal::join_annex_b(nal::split_length_prefixed(&p.data).unwrap()));
    }
    std::fs::write(&source, stream).unwrap();
    let format = match codec {
        Codec::H264 => "h264",
        Codec::H265 => "hevc",
    };
    let area = summary.area.expect("a 320x240 picture has room for the watermark");
    for n in [0, 37] {
        let (plain, marked) = (luma(&source, Some(format), n), luma(&out, None, n));
        let inside = difference(&plain, &marked, area, true);
        let outside = difference(&plain, &marked, area, false);
        assert!(inside > 40.0, "picture {n}: the watermark's box differs by only {inside}");
        assert!(outside < 6.0, "picture {n}: the rest of the picture differs by {outside}");
    }
}

#[test]
fn h264_footage_is_watermarked_into_h264() {
    watermarks_a_clip(Codec::H264);
}

#[test]
fn h265_footage_is_watermarked_into_h264() {
    watermarks_a_clip(Codec::H265);
}

#[test]
fn damaged_footage_fails_with_a_reason() {
    let clip = media::clip(Codec::H264, WIDTH, HEIGHT, 30);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.mp4");

    // A picture whose NAL unit length runs past its end.
    let mut torn = clip.pictures.clone();
    let half = torn[10].data.len() / 2;
    torn[10].data.truncate(half);
    let e = reencode(&clip, &torn, &out).unwrap_err();
    assert!(matches!(e, WatermarkError::Decode(DecodeError::Malformed { pts: 36_000, .. })), "{e}");

    // Pictures whose coded data is noise.
    let mut noisy = clip.pictures.clone();
    for p in &mut noisy[5..8] {
        let keep = 4 + 4;
        for (i, b) in p.data.iter_mut().enumerate().skip(keep) {
            *b = (i as u8).wrapping_mul(151).wrapping_add(7);
        }
    }
    let e = reencode(&clip, &noisy, &out).unwrap_err();
    assert!(matches!(e, WatermarkError::Decode(_) | WatermarkError::Missing { .. }), "{e}");
    assert!(e.to_string().contains("damaged") || e.to_string().contains("did not decode"), "{e}");

    // Without the parameter sets nothing decodes.
    let bare = Clip { parameter_sets: Vec::new(), ..clip.clone() };
    let e = reencode(&bare, &bare.pictures, &out).unwrap_err();
    assert!(matches!(e, WatermarkError::Missing { decoded: 0, pictures: 30 } | WatermarkError::Decode(_)), "{e}");
}

#[test]
fn a_picture_too_small_for_the_text_fails_rather_than_going_out_unmarked() {
    // 16 × 16: not even one glyph of the text fits, so nothing could be burnt in.
    let clip = media::clip(Codec::H264, 16, 16, 5);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.mp4");
    match reencode(&clip, &clip.pictures, &out) {
        Err(WatermarkError::TooSmall { width: 16, height: 16 }) => {}
        other => panic!("a picture without room for the watermark must fail the export, got {other:?}"),
    }
}

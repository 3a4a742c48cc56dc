//! What the recording tests share: reading the recorder's files back with
//! ffprobe and ffmpeg, checking the index against them, and a small disk.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Duration,
};

use chrono::{DateTime, NaiveDateTime, Utc};
use uuid::Uuid;
use vms_catalog::{Scope, recording, scope};

use vms_sandbox::Sandbox;

/// Every `.mp4` under `dir`, sorted by name (which is by start time).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "mp4") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The start time a segment's file name carries.
pub fn started_at(path: &Path) -> DateTime<Utc> {
    let stem = path.file_stem().unwrap().to_str().unwrap();
    NaiveDateTime::parse_from_str(stem, "%Y%m%dT%H%M%S%.3fZ").expect("a start time").and_utc()
}

/// Duration (s) and number of pictures of a file, by ffprobe; fails on any error.
pub fn probe(path: &Path) -> (f64, u64) {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-count_packets", "-select_streams", "v"])
        .args(["-show_entries", "format=duration:stream=nb_read_packets", "-of", "default=nw=1:nk=1"])
        .arg(path)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines = text.lines();
    let packets = lines.next().unwrap().parse().unwrap();
    let duration = lines.next().unwrap().parse().unwrap();
    (duration, packets)
}

/// Decodes a whole file; returns what ffmpeg complained about.
pub fn decode_errors(path: &Path) -> String {
    let out = Command::new("ffmpeg").args(["-v", "error", "-i"]).arg(path).args(["-f", "null", "-"]).output().unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The index holds one closed segment per file, whose fragments tile the
/// file after its init segment.
pub async fn check_index(stack: &Sandbox, camera: Uuid, files: &[PathBuf]) {
    let mut tx = scope::begin(&stack.db.pool, Scope::Tenant(stack.tenant)).await.unwrap();
    let (from, to) = (Utc::now() - chrono::TimeDelta::hours(1), Utc::now());
    let segments = recording::segments(&mut *tx, camera, "main", from, to).await.unwrap();
    let indexed: Vec<PathBuf> = segments.iter().map(|s| Path::new(&s.root).join(&s.path)).collect();
    assert_eq!(indexed, files, "one index entry per file, in order");
    for (segment, file) in segments.iter().zip(files) {
        let size = std::fs::metadata(file).unwrap().len() as i64;
        assert!(!segment.open, "{}: closed when the recorder stopped", segment.path);
        assert_eq!(segment.bytes, size, "{}", segment.path);
        let fragments = recording::fragments(&mut *tx, segment.id).await.unwrap();
        assert!(fragments.iter().all(|f| f.keyframe), "every fragment starts with a keyframe");
        assert!(fragments.windows(2).all(|w| w[0].byte_offset + i64::from(w[0].byte_len) == w[1].byte_offset));
        let last = fragments.last().unwrap();
        assert_eq!(last.byte_offset + i64::from(last.byte_len), size, "{}: fragments reach the end", segment.path);
        let (_, pictures) = probe(file);
        assert_eq!(fragments.iter().map(|f| f.pictures as u64).sum::<u64>(), pictures, "{}", segment.path);
        assert_eq!(fragments[0].start_time, segment.start_time);
    }
}

/// Stops a plane process the way a service manager does (SIGINT) and waits.
pub fn interrupt(mut child: std::process::Child) {
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    for _ in 0..200 {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A small tmpfs, unmounted when dropped.
pub struct SmallDisk(pub PathBuf);

impl SmallDisk {
    /// Mounts `megabytes` of tmpfs, if this machine lets the test (root, or
    /// CAP_SYS_ADMIN); otherwise says why not.
    pub fn mount(megabytes: u32) -> Result<Self, String> {
        let dir = tempfile::Builder::new().prefix("vms-small-disk-").tempdir_in("/tmp").unwrap().keep();
        let size = format!("size={megabytes}m");
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &size, "tmpfs"]).arg(&dir).output();
        let why = match mounted {
            Ok(o) if o.status.success() => return Ok(Self(dir)),
            Ok(o) => format!("mount failed: {}", String::from_utf8_lossy(&o.stderr).trim()),
            Err(e) => format!("cannot run mount: {e}"),
        };
        let _ = std::fs::remove_dir(&dir);
        Err(why)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Says loudly that a test did not run, and why (a bare `return` would pass unnoticed).
pub fn skipped(test: &str, because: &str) {
    eprintln!("SKIPPED: {test} because {because}");
}

/// Decodes pictures of `input` to 64×36 grey, one buffer each (all, or the first `frames`).
pub fn grey_pictures(input: &str, frames: Option<u32>) -> Vec<Vec<u8>> {
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-v", "error", "-i", input]);
    if let Some(n) = frames {
        cmd.args(["-frames:v", &n.to_string()]);
    }
    let out = cmd.args(["-vf", "scale=64:36,format=gray", "-f", "rawvideo", "-"]).output().unwrap();
    assert!(out.status.success(), "{input}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout.chunks(64 * 36).map(<[u8]>::to_vec).collect()
}

/// Which picture of the clip `picture` is (they decode identically: nothing is re-encoded).
pub fn clip_index(clip: &[Vec<u8>], picture: &[u8]) -> usize {
    let distance = |a: &[u8]| a.iter().zip(picture).map(|(x, y)| x.abs_diff(*y) as u64).sum::<u64>();
    (0..clip.len()).min_by_key(|i| distance(&clip[*i])).unwrap()
}

/// Writes a finished recording of `camera` that started `age` ago under
/// `root` (a playable init segment and one fragment, named by its start
/// like the recorder's files) and indexes it for `tenant`, as the recorder
/// of whichever node owns `root` would. Returns the file.
pub async fn recorded(stack: &Sandbox, tenant: Uuid, camera: Uuid, root: &Path, age: chrono::TimeDelta) -> PathBuf {
    use vms_codec::fmp4;
    let start = Utc::now() - age;
    let relative = PathBuf::from(camera.to_string())
        .join("main")
        .join(start.format("%Y/%m/%d").to_string())
        .join(format!("{}.mp4", start.format("%Y%m%dT%H%M%S%.3fZ")));
    // The smallest sample entry the recorder's scanner reads back.
    let mut entry = vec![0u8; 86];
    entry[..4].copy_from_slice(&86u32.to_be_bytes());
    entry[4..8].copy_from_slice(b"hvc1");
    let mut bytes = fmp4::init_segment(&entry, 64, 64);
    let picture = [0u8, 0, 0, 4, 0x26, 1, 2, 3];
    let sample = fmp4::Sample { data: &picture, duration: 3600, composition_offset: 0, keyframe: true };
    let fragment_at = bytes.len();
    bytes.extend(fmp4::fragment(1, 0, &[sample]));
    let path = root.join(&relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &bytes).unwrap();
    let segment = recording::NewSegment {
        id: Uuid::new_v4(),
        tenant_id: tenant,
        camera_id: camera,
        stream_id: Uuid::new_v4(),
        stream_role: "main".into(),
        root: root.to_string_lossy().into_owned(),
        path: relative.to_string_lossy().into_owned(),
        start_time: start,
        codec: "hvc1".into(),
        width: 64,
        height: 64,
        bytes: bytes.len() as i64,
        kind: vms_catalog::recording::FootageKind::Continuous,
    };
    let fragment = recording::Fragment {
        seq: 1,
        start_time: start,
        duration_ms: 40,
        byte_offset: fragment_at as i64,
        byte_len: (bytes.len() - fragment_at) as i32,
        keyframe: true,
        pictures: 1,
    };
    let mut tx = scope::begin(&stack.db.pool, Scope::Tenant(tenant)).await.unwrap();
    let end = start + chrono::TimeDelta::milliseconds(40);
    recording::index_file(&mut tx, &segment, end, &[fragment], &stack.config.node_id).await.unwrap();
    tx.commit().await.unwrap();
    path
}

/// The paths (root joined with path) the index lists, across tenants.
pub async fn indexed_paths(stack: &Sandbox) -> Vec<PathBuf> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT root, path FROM recording_segments ORDER BY root, path")
        .fetch_all(&stack.db.owner_pool)
        .await
        .unwrap();
    rows.into_iter().map(|(root, path)| Path::new(&root).join(path)).collect()
}

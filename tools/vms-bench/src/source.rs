//! Where the benchmark's cameras come from: the project's simulator, or
//! GStreamer's RTSP server looping the same clip (a third-party sender, to
//! check the simulator does not flatter an ingest).

use std::{
    io::{BufRead, BufReader, Write},
    path::Path,
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
    time::Duration,
};

use anyhow::{Context, bail};
use vms_camsim::{Camsim, camera::Camera, clip::ClipSpec};

/// The script serving GStreamer's cameras, beside this crate's sources.
const GST_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/gst_rtsp_source.py");

/// Which sender feeds the cameras.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Kind {
    /// vms-camsim, in this process.
    Camsim,
    /// GStreamer's RTSP server (gst-rtsp-server through python3-gi), in its own process.
    Gstreamer,
}

impl Kind {
    /// How the report names it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Camsim => "camsim",
            Kind::Gstreamer => "gstreamer",
        }
    }
}

/// `count` cameras named `c0`, `c1`, … looping one clip.
pub(crate) enum Source {
    Camsim(Camsim),
    Gstreamer(Gstreamer),
}

impl Source {
    /// Starts `count` cameras of `kind` looping `clip` (prepared in `clips` first).
    pub(crate) async fn start(kind: Kind, clip: &str, count: usize, clips: &Path) -> anyhow::Result<Self> {
        let cameras = (0..count).map(|i| Camera::parse(&format!("c{i}={clip}"))).collect::<anyhow::Result<Vec<_>>>()?;
        // The simulator prepares the clip either way: GStreamer loops the same file.
        let sim = Camsim::start("127.0.0.1:0".parse()?, clips, cameras).await?;
        match kind {
            Kind::Camsim => Ok(Source::Camsim(sim)),
            Kind::Gstreamer => {
                sim.stop().await;
                let spec = ClipSpec::named(clip).context("unknown clip")?;
                let stream = spec.stream_path(clips);
                let gst = tokio::task::spawn_blocking(move || Gstreamer::start(&stream, count)).await??;
                Ok(Source::Gstreamer(gst))
            }
        }
    }

    /// The RTSP URL of camera `name`.
    pub(crate) fn url(&self, name: &str) -> String {
        match self {
            Source::Camsim(sim) => sim.url(name),
            Source::Gstreamer(gst) => format!("rtsp://127.0.0.1:{}/{name}", gst.port),
        }
    }

    /// The simulator, when it is the source (it knows when each picture left).
    pub(crate) fn camsim(&self) -> Option<&Camsim> {
        match self {
            Source::Camsim(sim) => Some(sim),
            Source::Gstreamer(_) => None,
        }
    }

    /// Pictures every camera has sent so far, all sessions together.
    pub(crate) fn pictures_sent(&mut self) -> anyhow::Result<u64> {
        match self {
            Source::Camsim(sim) => Ok(sim.pictures_sent()),
            Source::Gstreamer(gst) => gst.pictures_sent(),
        }
    }

    pub(crate) async fn stop(self) {
        match self {
            Source::Camsim(sim) => sim.stop().await,
            Source::Gstreamer(gst) => drop(gst),
        }
    }
}

/// The GStreamer RTSP server process, asked for its count over stdin.
pub(crate) struct Gstreamer {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    port: u16,
}

impl Gstreamer {
    fn start(clip: &Path, count: usize) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        // Debian's interpreter: python3-gi and the GStreamer bindings are installed for it.
        let mut child = Command::new("/usr/bin/python3")
            .arg(GST_SCRIPT)
            .arg("--clip")
            .arg(clip)
            .args(["--count", &count.to_string(), "--port", &port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .context(
                "cannot start GStreamer's RTSP server (scripts/bench.sh installs gstreamer1.0-rtsp and python3-gi)",
            )?;
        let stdin = child.stdin.take().context("no stdin")?;
        let mut stdout = BufReader::new(child.stdout.take().context("no stdout")?);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        if line.trim() != "ready" {
            let _ = child.kill();
            bail!("GStreamer's RTSP server did not start (said {line:?})");
        }
        // The server is up; give the main loop a moment before the first DESCRIBE.
        std::thread::sleep(Duration::from_millis(200));
        Ok(Self { child, stdin, stdout, port })
    }

    fn pictures_sent(&mut self) -> anyhow::Result<u64> {
        self.stdin.write_all(b"\n")?;
        self.stdin.flush()?;
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        line.trim().parse().with_context(|| format!("GStreamer's count: {line:?}"))
    }
}

impl Drop for Gstreamer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

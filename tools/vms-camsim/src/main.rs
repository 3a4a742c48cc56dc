//! `vms-camsim`: simulated cameras.
//!
//! Run with `vms-camsim serve --listen 127.0.0.1:8554 --clips ./camsim-clips`,
//! then open e.g. `rtsp://127.0.0.1:8554/h264_720p` in VLC or ffprobe.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;
use vms_camsim::{Camsim, camera::Camera, clip::CATALOGUE};

/// Simulated RTSP cameras looping pre-encoded clips.
#[derive(Parser)]
#[command(name = "vms-camsim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generates the clips (with ffmpeg) into DIR if they are missing.
    Prepare {
        /// Where clips are kept.
        #[arg(long, default_value = "camsim-clips")]
        clips: PathBuf,
    },
    /// Serves cameras until Ctrl-C.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8554")]
        listen: SocketAddr,
        /// Where clips are kept (generated on first use).
        #[arg(long, default_value = "camsim-clips")]
        clips: PathBuf,
        /// A camera, `name=clip[?options]`; repeatable. Default: one camera per clip.
        #[arg(long = "camera")]
        cameras: Vec<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    vms_base::tracing_setup::install();
    match Cli::parse().command {
        Command::Prepare { clips } => {
            for spec in CATALOGUE {
                spec.prepare(&clips)?;
                println!("{} ready", spec.name);
            }
            Ok(())
        }
        Command::Serve { listen, clips, cameras } => {
            let cameras = if cameras.is_empty() {
                Camera::defaults()
            } else {
                cameras.iter().map(|c| Camera::parse(c)).collect::<anyhow::Result<_>>()?
            };
            let names: Vec<String> = cameras.iter().map(|c| c.name.clone()).collect();
            let sim = Camsim::start(listen, &clips, cameras).await?;
            for name in names {
                println!("{}", sim.url(&name));
            }
            let shutdown = CancellationToken::new();
            vms_base::shutdown::cancel_on_signal(shutdown.clone());
            sim.serve_until(shutdown).await;
            Ok(())
        }
    }
}

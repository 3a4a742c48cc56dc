//! `vms export verify`: checks an exported file against its signed manifest.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use vms_config::Config;
use vms_recorder::archive::export::manifest;

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Checks that FILE is the export MANIFEST describes and that the
    /// manifest was signed by this server's export key (or --public-key).
    Verify {
        /// The exported MP4.
        file: PathBuf,
        /// Its manifest (`*.manifest.json`).
        manifest: PathBuf,
        /// The signer's public key, hex; default: this installation's
        /// (`<data_dir>/secrets/export-signing.pub`).
        #[arg(long)]
        public_key: Option<String>,
    },
}

pub fn run(command: &ExportCommand, config: &Config) -> anyhow::Result<()> {
    match command {
        ExportCommand::Verify { file, manifest: manifest_path, public_key } => {
            let key_text = match public_key {
                Some(hex) => hex.clone(),
                None => {
                    let path = config.secrets_dir().join(manifest::EXPORT_PUBLIC_KEY_FILE);
                    std::fs::read_to_string(&path).with_context(|| {
                        format!("cannot read {}; pass the server's key with --public-key", path.display())
                    })?
                }
            };
            let trusted = manifest::parse_public_key(&key_text)?;
            let manifest_json =
                std::fs::read(manifest_path).with_context(|| format!("cannot read {}", manifest_path.display()))?;
            let video = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let m = manifest::verify(&manifest_json, &video, &trusted)
                .with_context(|| format!("{} does NOT verify", file.display()))?;
            println!("{}: verified", file.display());
            println!("  camera {} ({}), {} stream", m.camera_name, m.camera_id, m.stream);
            println!("  video {} to {}", m.video_start.to_rfc3339(), m.video_end.to_rfc3339());
            println!("  {} bytes, SHA-256 {}", m.bytes, m.sha256);
            println!("  exported by {} at {}", m.username, m.created_at.to_rfc3339());
            match &m.watermark {
                Some(w) => println!(
                    "  watermarked (re-encoded): user {}, time {}, camera {}",
                    w.user,
                    w.time.to_rfc3339(),
                    w.camera
                ),
                None => println!("  pictures as recorded (not re-encoded)"),
            }
            Ok(())
        }
    }
}

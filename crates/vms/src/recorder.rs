//! `vms recorder`: maintenance of the recordings.

use clap::Subcommand;
use vms_config::Config;

use crate::connections;

#[derive(Subcommand, Debug)]
pub enum RecorderCommand {
    /// Rebuilds the recording index from the files in every storage root
    /// (run it with the recorder stopped).
    Reindex,
}

pub async fn run(command: &RecorderCommand, config: &Config) -> anyhow::Result<()> {
    match command {
        RecorderCommand::Reindex => {
            let urls = connections::resolve(config)?;
            let db = connections::database(config, &urls.database).await?;
            let report = vms_recorder::reindex(config, &db).await?;
            println!("indexed {} files ({} fragments)", report.files, report.fragments);
            for path in &report.torn {
                println!("torn tail (indexed up to its last whole fragment): {}", path.display());
            }
            for path in &report.empty {
                println!("no video (left out): {}", path.display());
            }
            for path in &report.refused {
                println!("refused by the database (left out, see the log): {}", path.display());
            }
            if report.forgotten > 0 {
                println!("removed {} index entries whose files are gone", report.forgotten);
            }
            Ok(())
        }
    }
}

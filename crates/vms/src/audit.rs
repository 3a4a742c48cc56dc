//! `vms audit verify`: walks the audit chain and reports tampering.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use vms_catalog::audit::{self, ChainProblem, checkpoint};
use vms_config::Config;

use crate::connections;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Checks that no audit entry was edited, deleted or reordered, and that
    /// the trail still holds the head recorded in the signed checkpoint (so
    /// the newest entries were not deleted). Exits 1 if anything is wrong.
    Verify {
        /// Checkpoint to check against, e.g. a copy kept off this machine
        /// (default: `<data_dir>/audit/checkpoint.json`).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// Public key the checkpoint must be signed with, e.g. a copy of
        /// `audit_checkpoint.pub` kept off this machine (default: this
        /// installation's key).
        #[arg(long)]
        public_key: Option<PathBuf>,
    },
}

pub async fn run(command: &AuditCommand, config: &Config) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify { checkpoint, public_key } => {
            let key = match public_key {
                Some(path) => Some(checkpoint::read_public_key(path)?),
                None => checkpoint::load_verifying_key(&config.secrets_dir())
                    .context("failed to read the checkpoint key")?,
            };
            verify(config, checkpoint.as_deref(), key).await
        }
    }
}

async fn verify(
    config: &Config,
    explicit: Option<&std::path::Path>,
    key: Option<ed25519_dalek::VerifyingKey>,
) -> anyhow::Result<()> {
    // Verification reads every tenant's entries: it runs as the schema owner.
    let pool = connections::database(config, &connections::owner_database(config)?).await?;
    let mut conn = pool.acquire().await?;
    let report = audit::verify(&mut conn).await?;
    let mut problems: Vec<String> = report.problems.iter().map(ChainProblem::to_string).collect();

    let path = explicit.map_or_else(|| config.data_dir.join("audit").join(checkpoint::CHECKPOINT_FILE), Into::into);
    let head = match key.map(|key| checkpoint::read(&path, &key)) {
        Some(Ok((head, written_at))) => Some((head, written_at)),
        // The writer keeps a checkpoint once it has written an entry: a key
        // and entries without one means it was deleted, perhaps with the
        // newest entries. A fresh installation has written nothing yet.
        Some(Err(checkpoint::CheckpointError::Missing(_))) if explicit.is_none() && report.entries > 0 => {
            problems.push(format!(
                "the checkpoint {} is missing, though the trail holds {} entries: the newest may have been deleted",
                path.display(),
                report.entries
            ));
            None
        }
        None if explicit.is_none() && report.entries > 0 => {
            problems.push(format!(
                "the checkpoint key is missing from {}, though the trail holds {} entries: control creates it at \
                 start, so it was deleted (or --data-dir names another installation)",
                config.secrets_dir().display(),
                report.entries
            ));
            None
        }
        Some(Err(checkpoint::CheckpointError::Missing(_))) | None if explicit.is_none() => {
            println!("note: no checkpoint at {}: deletion of the newest entries cannot be detected", path.display());
            None
        }
        Some(Err(e)) => {
            problems.push(e.to_string());
            None
        }
        None => {
            anyhow::bail!("no checkpoint key in {}: cannot check {}", config.secrets_dir().display(), path.display())
        }
    };
    if let Some((head, _)) = &head
        && let Some(problem) = audit::verify_head(&mut conn, head).await?
    {
        problems.push(problem.to_string());
    }

    if problems.is_empty() {
        println!("audit trail intact: {} entries, chain unbroken", report.entries);
        if let Some((head, written_at)) = head {
            println!("checkpoint {} matches: entry {} (written {written_at})", path.display(), head.seq);
        }
        Ok(())
    } else {
        for problem in &problems {
            println!("TAMPERED: {problem}");
        }
        println!("audit trail NOT intact: {} problems in {} entries", problems.len(), report.entries);
        std::process::exit(1);
    }
}

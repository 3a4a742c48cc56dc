//! `vms audit verify`: walks the audit chain and reports tampering.

use clap::Subcommand;
use vms_config::Config;

use crate::connections;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Checks that no audit entry was edited, deleted or reordered. Exits 1 if any was.
    Verify,
}

pub async fn run(command: &AuditCommand, config: &Config) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify => {
            // Verification reads every tenant's entries: it runs as the schema owner.
            let pool = connections::database(config, &connections::owner_database(config)?).await?;
            let mut conn = pool.acquire().await?;
            let report = vms_catalog::audit::verify(&mut conn).await?;
            if report.problems.is_empty() {
                println!("audit trail intact: {} entries, chain unbroken", report.entries);
                Ok(())
            } else {
                for problem in &report.problems {
                    println!("TAMPERED: {problem}");
                }
                println!("audit trail NOT intact: {} problems in {} entries", report.problems.len(), report.entries);
                std::process::exit(1);
            }
        }
    }
}

//! `vms migrate` and `vms admin …`.

use clap::Subcommand;
use vms_config::Config;

use crate::connections;

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Sets a new password for a user and prints it once. Uses
    /// `VMS_NEW_PASSWORD` when set, otherwise generates one.
    ResetPassword {
        /// The user's login name.
        username: String,
    },
    /// Starts a new access-token signing key at the next start of control;
    /// tokens signed by the old key stay valid until they expire.
    RotateTokenKey,
}

pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let pool = connections::database(config, &connections::owner_database(config)?).await?;
    vms_catalog::migrate(&pool).await?;
    println!("database schema is up to date");
    Ok(())
}

pub async fn run(command: &AdminCommand, config: &Config) -> anyhow::Result<()> {
    match command {
        AdminCommand::RotateTokenKey => {
            let retired = vms_control::rotate_token_key(&config.secrets_dir())?;
            println!(
                "retired signing key {retired}; restart the control plane (vms up, or the vms-control service) to sign with the new one."
            );
            println!(
                "tokens of the old key stay valid until they expire; to withdraw it sooner, delete {}",
                config.secrets_dir().join("jwt-keys").join(format!("{retired}.pem")).display()
            );
            Ok(())
        }
        AdminCommand::ResetPassword { username } => {
            // An operator's tool on the server: it acts as the schema owner, across tenants.
            let pool = connections::database(config, &connections::owner_database(config)?).await?;
            vms_catalog::ensure_migrated(&pool).await?;
            let requested = std::env::var("VMS_NEW_PASSWORD").ok().filter(|p| !p.is_empty());
            let password = match requested {
                Some(p) => {
                    if let Some(problem) = vms_catalog::password::policy_violation(&p) {
                        anyhow::bail!("VMS_NEW_PASSWORD {problem}");
                    }
                    p
                }
                None => vms_catalog::password::generate(),
            };
            let hash = {
                let p = password.clone();
                tokio::task::spawn_blocking(move || vms_catalog::password::hash(&p)).await?
            };
            if !vms_catalog::user::set_password_hash(&pool, username, &hash).await? {
                anyhow::bail!("no user named `{username}`");
            }
            println!("new password for {username}: {password}");
            Ok(())
        }
    }
}

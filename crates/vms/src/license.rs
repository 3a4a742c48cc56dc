//! `vms license keygen|sign|show`: the vendor side of licensing, and a look
//! at the licence of this installation.

use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use ed25519_dalek::SigningKey;
use vms_config::Config;
use vms_license::{Entitlement, LicenseTerms, LicenseVerifier};

#[derive(Subcommand, Debug)]
pub enum LicenseCommand {
    /// Creates a vendor signing keypair: <out>/license-signing.key (secret) and .pub.
    Keygen {
        /// Directory for the two files.
        #[arg(long)]
        out: PathBuf,
    },
    /// Signs a licence with a vendor key.
    Sign {
        /// The secret key from `keygen`.
        #[arg(long)]
        key: PathBuf,
        /// Licensee.
        #[arg(long)]
        customer: String,
        /// Cameras allowed.
        #[arg(long)]
        max_cameras: u32,
        /// A licensed feature; repeatable.
        #[arg(long = "feature")]
        features: Vec<String>,
        /// Last day of validity (YYYY-MM-DD); none for a perpetual licence.
        #[arg(long)]
        expires: Option<NaiveDate>,
        /// Binds the licence to one installation (`vms license show` prints its id).
        #[arg(long)]
        installation_id: Option<String>,
        /// Where to write the licence file; default standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Shows the licence of this installation (or of a file) and what it allows.
    Show {
        /// A licence file; default the installed one (<data>/license.json).
        #[arg(long)]
        file: Option<PathBuf>,
        /// Verify with this public key (hex) instead of the built-in one.
        #[arg(long)]
        public_key: Option<PathBuf>,
    },
}

fn read_key(path: &PathBuf) -> anyhow::Result<SigningKey> {
    let text = std::fs::read_to_string(path).with_context(|| format!("failed to read {}", path.display()))?;
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .context("the signing key must be 32 bytes in hex (as written by `vms license keygen`)")?;
    Ok(SigningKey::from_bytes(&bytes))
}

pub fn run(command: &LicenseCommand, config: &Config) -> anyhow::Result<()> {
    match command {
        LicenseCommand::Keygen { out } => {
            std::fs::create_dir_all(out)?;
            let key = SigningKey::generate(&mut rand::rngs::OsRng);
            let secret = out.join("license-signing.key");
            vms_base::secret_file::load_or_create(&secret, || hex::encode(key.to_bytes()).into_bytes())?;
            let key = read_key(&secret)?;
            let public = hex::encode(key.verifying_key().as_bytes());
            std::fs::write(out.join("license-signing.pub"), &public)?;
            println!("secret key: {} (keep it offline)", secret.display());
            println!("public key: {public}");
            println!("build servers that trust it with VMS_LICENSE_PUBLIC_KEY={public}");
            Ok(())
        }
        LicenseCommand::Sign { key, customer, max_cameras, features, expires, installation_id, out } => {
            let expires_at: Option<DateTime<Utc>> =
                expires.map(|d| d.succ_opt().unwrap_or(d).and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
            let terms = LicenseTerms {
                license_id: uuid::Uuid::new_v4(),
                customer: customer.clone(),
                max_cameras: *max_cameras,
                features: features.clone(),
                issued_at: Utc::now(),
                expires_at,
                installation_id: installation_id.clone(),
            };
            let text = vms_license::sign(&terms, &read_key(key)?);
            match out {
                Some(path) => {
                    std::fs::write(path, &text).with_context(|| format!("failed to write {}", path.display()))?
                }
                None => println!("{text}"),
            }
            Ok(())
        }
        LicenseCommand::Show { file, public_key } => {
            let verifier = match public_key {
                Some(path) => {
                    LicenseVerifier::with_keys(vec![vms_license::parse_public_key(&std::fs::read_to_string(path)?)?])
                }
                None => LicenseVerifier::builtin(),
            };
            let path = file.clone().unwrap_or_else(|| config.data_dir.join("license.json"));
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => Some(t),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && file.is_none() => None,
                Err(e) => return Err(e).with_context(|| format!("failed to read {}", path.display())),
            };
            let installation = std::fs::read_to_string(config.data_dir.join("installation-id"))
                .map(|s| s.trim().to_owned())
                .unwrap_or_else(|_| "(not created yet: start the system once)".to_owned());
            let e = Entitlement::evaluate(&verifier, text.as_deref(), &installation, Utc::now());
            println!("installation: {installation}");
            println!("status:       {}", serde_json::to_value(e.status)?.as_str().unwrap_or_default());
            if let Some(t) = &e.terms {
                println!("customer:     {}", t.customer);
                println!("licence id:   {}", t.license_id);
                println!("expires:      {}", t.expires_at.map(|d| d.to_rfc3339()).unwrap_or_else(|| "never".into()));
                if let Some(id) = &t.installation_id {
                    println!("bound to:     {id}");
                }
            }
            println!("max cameras:  {}", e.max_cameras);
            println!("features:     {}", if e.features.is_empty() { "-".to_owned() } else { e.features.join(", ") });
            if let Some(m) = &e.message {
                println!("note:         {m}");
            }
            if file.is_some() && matches!(e.status, vms_license::LicenseStatus::Invalid) {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

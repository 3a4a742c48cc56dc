//! HTTPS for the API and web UI (rustls).
//!
//! In the default `self_signed` mode a local certificate authority and a
//! server certificate it signs are generated on first run in
//! `<data_dir>/tls/` and renewed 30 days before they expire. Browsers and
//! scripts trust the server by importing `ca.pem` (a bare self-signed server
//! certificate cannot be trusted that way).

use std::{
    path::{Path, PathBuf},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use anyhow::Context;
use axum_server::tls_rustls::RustlsConfig;
use chrono::Datelike;
use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use vms_config::{Config, TlsMode};

const VALID_DAYS: i64 = 825;
const RENEW_BEFORE_DAYS: i64 = 30;

/// The files of the generated certificates.
pub struct GeneratedTls {
    /// The local CA certificate clients should trust.
    pub ca: PathBuf,
    /// The server certificate chain.
    pub cert: PathBuf,
    /// The server key.
    pub key: PathBuf,
}

impl GeneratedTls {
    /// Returns the paths under `<data_dir>/tls`.
    pub fn in_dir(data_dir: &Path) -> Self {
        let dir = data_dir.join("tls");
        Self { ca: dir.join("ca.pem"), cert: dir.join("cert.pem"), key: dir.join("key.pem") }
    }
}

/// Returns the rustls configuration control serves with, or `None` for plain HTTP.
pub async fn server_config(config: &Config) -> anyhow::Result<Option<RustlsConfig>> {
    // Several rustls providers may be linked; pick ring explicitly (ignored if already chosen).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let tls = &config.control.tls;
    let (cert, key) = match tls.mode {
        TlsMode::Off => return Ok(None),
        TlsMode::Files => (
            tls.cert_file.clone().context("control.tls.cert_file is required")?,
            tls.key_file.clone().context("control.tls.key_file is required")?,
        ),
        TlsMode::SelfSigned => {
            let files = GeneratedTls::in_dir(&config.data_dir);
            ensure_generated(&files).context("failed to generate the TLS certificate")?;
            (files.cert, files.key)
        }
    };
    let rustls = RustlsConfig::from_pem_file(&cert, &key)
        .await
        .with_context(|| format!("failed to load TLS certificate {} and key {}", cert.display(), key.display()))?;
    Ok(Some(rustls))
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_secs() as i64
}

/// Generates the CA and server certificate unless valid ones exist.
pub fn ensure_generated(files: &GeneratedTls) -> anyhow::Result<()> {
    let expiry_file = files.cert.with_extension("expires");
    let expires: Option<i64> = std::fs::read_to_string(&expiry_file).ok().and_then(|s| s.trim().parse().ok());
    let fresh = expires.is_some_and(|e| e - now_secs() > RENEW_BEFORE_DAYS * 86_400);
    if fresh && files.cert.exists() && files.key.exists() && files.ca.exists() {
        return Ok(());
    }
    let dir = files.cert.parent().expect("tls files live in a directory");
    std::fs::create_dir_all(dir)?;
    let today = chrono::Utc::now().date_naive();
    let until = today + chrono::Duration::days(VALID_DAYS);
    let date = |d: chrono::NaiveDate| rcgen::date_time_ymd(d.year(), d.month() as u8, d.day() as u8);

    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, format!("Techno Support VMS local CA ({})", hostname()));
    ca_params.distinguished_name = ca_name;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca_params.not_before = date(today - chrono::Duration::days(1));
    ca_params.not_after = date(until);
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
    let host = hostname();
    if !host.is_empty() && host != "localhost" {
        names.push(host);
    }
    let mut params = CertificateParams::new(names)?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "Techno Support VMS");
    params.distinguished_name = name;
    params.not_before = date(today - chrono::Duration::days(1));
    params.not_after = date(until);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;

    let _ = std::fs::remove_file(&files.key);
    vms_base::secret_file::load_or_create(&files.key, || key.serialize_pem().into_bytes())?;
    std::fs::write(&files.cert, format!("{}{}", cert.pem(), ca_cert.pem()))?;
    std::fs::write(&files.ca, ca_cert.pem())?;
    std::fs::write(&expiry_file, (now_secs() + VALID_DAYS * 86_400).to_string())?;
    tracing::info!(ca = %files.ca.display(), "generated a TLS certificate; import ca.pem into browsers to trust it");
    Ok(())
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default()
}

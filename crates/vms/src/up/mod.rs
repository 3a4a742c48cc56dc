//! `vms up`: the embedded default.
//!
//! Starts PostgreSQL, Redis and NATS from the machine's binaries (unless the
//! config names servers), applies migrations, creates the bootstrap admin on
//! first run, runs every plane as a supervised `vms run <plane>` child and, on
//! Ctrl-C or SIGTERM, stops the planes first and the infrastructure last.

pub mod demo;
mod infra;
mod supervisor;

use std::{fs::File, time::Duration};

use anyhow::Context;
use tokio_util::sync::CancellationToken;
use vms_config::{Config, TlsMode};

use crate::connections;

pub async fn run(config: &Config, mut child_args: Vec<String>, with_demo: bool) -> anyhow::Result<()> {
    for dir in [config.data_dir.clone(), config.data_dir.join("logs"), config.run_dir(), config.state_dir()] {
        std::fs::create_dir_all(&dir).with_context(|| format!("failed to create {}", dir.display()))?;
    }
    let _lock = lock_data_dir(config)?;
    let shutdown = CancellationToken::new();
    vms_base::shutdown::cancel_on_signal(shutdown.clone());
    let timeout = Duration::from_secs(config.supervisor.stop_timeout_secs.into());

    let (mut embedded, _urls) = tokio::select! {
        started = infra::Embedded::start(config) => started?,
        _ = shutdown.cancelled() => return Ok(()),
    };
    let admin_password = match prepare_catalog(config, &embedded.role_passwords).await {
        Ok(p) => p,
        Err(e) => {
            embedded.stop(timeout, &config.run_dir()).await;
            return Err(e);
        }
    };
    let mut children: Vec<supervisor::ChildSpec> = config
        .supervisor
        .planes
        .iter()
        .map(|p| supervisor::ChildSpec { name: p.to_string(), args: vec!["run".into(), p.to_string()], watched: true })
        .collect();
    if with_demo {
        children.push(supervisor::ChildSpec { name: "camsim".into(), args: vec!["camsim".into()], watched: false });
        // The demo cameras are camsim's, on loopback, which cameras may not use by default.
        child_args.extend(["--set".to_owned(), "devices.allow_loopback=true".to_owned()]);
        // People are found on the walkway camera with the test person detector, where setup fetched it.
        if let Some(model) = demo::person_model(config) {
            child_args.extend(["--set".to_owned(), format!("analytics.model={model}")]);
        }
    }
    let mut planes = supervisor::Supervisor::start(config, child_args, children)?;
    let banner = async {
        tokio::select! {
            _ = wait_ready(config) => {
                let demo = if with_demo {
                    match demo::seed(config).await {
                        Ok(cameras) => Some(cameras),
                        Err(e) => {
                            eprintln!("warning: failed to add the demo cameras: {e:#}");
                            None
                        }
                    }
                } else {
                    None
                };
                print_banner(config, admin_password.as_deref(), demo.as_deref());
            }
            _ = shutdown.cancelled() => {}
        }
    };
    let run_dir = config.run_dir();
    tokio::join!(planes.supervise(&shutdown), embedded.watch(&run_dir, &shutdown), banner);

    eprintln!("stopping planes");
    planes.stop(timeout).await;
    eprintln!("stopping infrastructure");
    embedded.stop(timeout, &config.run_dir()).await;
    eprintln!("stopped");
    Ok(())
}

/// Holds an exclusive lock on the data directory so two `vms up` never share it.
fn lock_data_dir(config: &Config) -> anyhow::Result<File> {
    let path = config.run_dir().join("vms-up.lock");
    let file = File::create(&path).with_context(|| format!("failed to create {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            anyhow::bail!("another `vms up` is already running on {}", config.data_dir.display())
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e).context("failed to lock the data directory"),
    }
}

/// Applies migrations as the schema owner, lets the embedded application and
/// audit roles log in, and creates the bootstrap admin; returns its password if it was created now.
async fn prepare_catalog(config: &Config, role_passwords: &[(&str, String)]) -> anyhow::Result<Option<String>> {
    let pool = connections::database(config, &connections::owner_database(config)?).await?;
    vms_catalog::migrate(&pool).await?;
    for (role, password) in role_passwords {
        vms_catalog::enable_login(&pool, role, password).await?;
    }
    let requested = std::env::var("VMS_ADMIN_PASSWORD").ok().filter(|p| !p.is_empty());
    let created = vms_catalog::bootstrap::ensure_admin(&pool, requested.as_deref()).await?;
    pool.close().await;
    // A password the operator chose is theirs already; only a generated one is shown.
    Ok(created.filter(|_| requested.is_none()))
}

/// Builds the client that probes control on loopback: it trusts the generated
/// CA, or, for an operator's certificate (issued for a public name, not for
/// 127.0.0.1), skips verification of this one loopback connection to our own child.
fn probe_client(config: &Config) -> Option<reqwest::Client> {
    let builder = reqwest::Client::builder().timeout(Duration::from_secs(3));
    let builder = match config.control.tls.mode {
        TlsMode::Off => builder,
        TlsMode::SelfSigned => {
            let ca = std::fs::read(vms_control::generated_ca_path(&config.data_dir)).ok()?;
            builder.add_root_certificate(reqwest::Certificate::from_pem(&ca).ok()?)
        }
        TlsMode::Files => builder.danger_accept_invalid_certs(true),
    };
    builder.build().ok()
}

/// Polls `/health/ready` until every component is ready (or gives up after two minutes).
async fn wait_ready(config: &Config) {
    let url = format!("{}://{}/health/ready", config.control.scheme(), loopback(config.control.listen));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    let mut last = String::new();
    let mut client = None;
    while tokio::time::Instant::now() < deadline {
        // The CA appears once control has started; the client is built once it has.
        if client.is_none() {
            client = probe_client(config);
        }
        let Some(client) = &client else {
            tokio::time::sleep(Duration::from_millis(250)).await;
            continue;
        };
        match client.get(&url).send().await {
            Ok(r) if r.status().is_success() => return,
            Ok(r) => last = r.text().await.unwrap_or_default(),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    eprintln!("warning: the system is not ready yet: {last}");
}

fn loopback(addr: std::net::SocketAddr) -> std::net::SocketAddr {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    addr
}

fn print_banner(config: &Config, admin_password: Option<&str>, demo: Option<&[String]>) {
    let url = config.control.public_url();
    println!();
    println!("Techno Support VMS {} is running.", vms_base::VERSION);
    println!("  Web UI and API:  {url}/");
    println!("  API docs:        {url}/api/docs");
    println!(
        "  Live over RTSP:  {}/<camera id>/main (VMS user name and password, e.g. in VLC)",
        config.restream.local_url()
    );
    let roots: Vec<String> = config.recording_roots().iter().map(|r| r.path.display().to_string()).collect();
    println!("  Recordings:      {}", roots.join(", "));
    println!("  Data directory:  {}", config.data_dir.display());
    println!("  Logs:            {}", config.data_dir.join("logs").display());
    if config.control.tls.mode == TlsMode::SelfSigned {
        let ca = vms_control::generated_ca_path(&config.data_dir);
        println!("  TLS:             certificate from a local CA; trust it by importing {}", ca.display());
    }
    match admin_password {
        Some(password) => {
            println!("  Sign in as:      admin / {password}");
            println!("                   (shown only this once: store it now)");
        }
        None => println!(
            "  Sign in as:      admin (password shown on first start; reset it with `vms admin reset-password admin`)"
        ),
    }
    if let Some(cameras) = demo {
        println!("  Demo cameras:    {} simulated cameras on rtsp://{}/", cameras.len(), config.demo.camsim_listen);
        for name in cameras {
            println!("                   {name}");
        }
        println!(
            "  ONVIF PTZ camera: http://{}/onvif/device_service (admin / camsim): add it from Cameras,",
            config.demo.onvif_listen
        );
        println!("                   \"Add by discovery\", scanning {}", config.demo.onvif_listen.ip());
        println!(
            "  Hikvision NVR:   http://{} (admin / camsim, 4 channels): import it from Cameras, \"NVRs\"",
            config.demo.nvr_listen
        );
    }
    println!("Press Ctrl-C to stop.");
    println!();
}

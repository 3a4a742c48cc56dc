//! The `vms` command: the one program a person types.
//!
//! Run with `vms up` to start the whole system on its embedded default, or
//! `vms run <plane>` to run one plane (what `vms up` and the service units do).

mod admin;
mod audit;
mod connections;
mod export;
mod license;
mod recorder;
mod run;
mod up;

use std::{collections::HashMap, path::PathBuf};

use clap::{Parser, Subcommand};
use vms_base::Plane;
use vms_config::{Config, Override};

/// Techno Support VMS: an offline-first video management system.
#[derive(Parser, Debug)]
#[command(name = "vms", version, about)]
struct Cli {
    /// Config file (TOML). Default: none, so built-in defaults apply.
    #[arg(long, global = true, env = "VMS_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (overrides `data_dir`).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Sets any config key, e.g. `--set control.listen=0.0.0.0:9000`. Repeatable.
    #[arg(long = "set", global = true, value_name = "KEY=VALUE")]
    overrides: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Starts PostgreSQL, Redis and NATS (unless configured elsewhere), applies
    /// migrations and runs every plane under supervision until Ctrl-C.
    Up {
        /// Also run simulated cameras and add four demo cameras on first start.
        #[arg(long)]
        demo: bool,
    },
    /// Runs the simulated cameras of `vms up --demo` (one per clip).
    #[command(hide = true)]
    Camsim,
    /// Runs one plane in the foreground.
    Run {
        /// control, media, recorder or ai.
        plane: Plane,
    },
    /// Applies pending database migrations.
    Migrate,
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Licences: vendor keys and signing, and this installation's licence.
    License {
        #[command(subcommand)]
        command: license::LicenseCommand,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Exports: checking a file against its signed manifest.
    Export {
        #[command(subcommand)]
        command: export::ExportCommand,
    },
    /// Recordings: rebuilding their index.
    Recorder {
        #[command(subcommand)]
        command: recorder::RecorderCommand,
    },
    /// Prints the API's OpenAPI document (what `/api/openapi.json` serves),
    /// for client generators; no server or configuration needed.
    Openapi,
}

impl Cli {
    fn load_config(&self) -> anyhow::Result<Config> {
        let env: HashMap<String, String> = std::env::vars().collect();
        let mut flags = self.overrides.iter().map(|raw| Override::parse(raw)).collect::<Result<Vec<_>, _>>()?;
        if let Some(dir) = &self.data_dir {
            flags.push(Override::new("data_dir", dir.to_string_lossy()));
        }
        Ok(vms_config::load(self.config.as_deref(), &env, &flags)?)
    }

    /// Arguments that make a child `vms` process see the same configuration.
    fn config_args(&self, config: &Config) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(file) = &self.config {
            args.push("--config".to_owned());
            args.push(file.to_string_lossy().into_owned());
        }
        args.push("--data-dir".to_owned());
        args.push(config.data_dir.to_string_lossy().into_owned());
        for raw in &self.overrides {
            args.push("--set".to_owned());
            args.push(raw.clone());
        }
        args
    }
}

/// Writes the OpenAPI document to stdout, pretty-printed with a final newline.
fn print_openapi() -> anyhow::Result<()> {
    let doc = vms_control::openapi_document().to_pretty_json()?;
    println!("{doc}");
    Ok(())
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    vms_base::tracing_setup::install();
    if let Command::Openapi = cli.command {
        // Needs no configuration: a generator's run must not depend on one.
        return match print_openapi() {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let config = match cli.load_config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e:#}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match &cli.command {
        // The supervisor forks children from its one thread, which lives as long as
        // the process; Linux ties the parent-death signal to the forking thread.
        Command::Up { .. } => tokio::runtime::Builder::new_current_thread().enable_all().build(),
        _ => tokio::runtime::Builder::new_multi_thread().enable_all().build(),
    }
    .expect("tokio runtime should build");
    let result = runtime.block_on(async {
        match &cli.command {
            Command::Up { demo } => up::run(&config, cli.config_args(&config), *demo).await,
            Command::Camsim => up::demo::serve_cameras(&config).await,
            Command::Run { plane } => run::run(*plane, config).await,
            Command::Migrate => admin::migrate(&config).await,
            Command::Admin { command } => admin::run(command, &config).await,
            Command::Audit { command } => audit::run(command, &config).await,
            Command::License { command } => license::run(command, &config),
            Command::Recorder { command } => recorder::run(command, &config).await,
            Command::Export { command } => export::run(command, &config),
            Command::Openapi => unreachable!("handled before the configuration is loaded"),
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

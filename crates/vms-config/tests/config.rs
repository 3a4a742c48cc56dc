//! Loading the configuration: the example file, precedence and named errors.

use std::collections::HashMap;

use vms_config::{Config, ConfigError, Override, load};

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn example_file_parses_to_the_defaults() {
    let text = include_str!("../../../config/vms.example.toml");
    let parsed = vms_config::from_str(text).expect("example config should parse");
    assert_eq!(parsed, Config::default(), "the example documents the defaults; keep them in step");
}

#[test]
fn precedence_is_default_then_file_then_env_then_flag() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vms.toml");
    std::fs::write(
        &file,
        "[control]\nlisten = \"127.0.0.1:1001\"\ngrpc_listen = \"127.0.0.1:1002\"\n\
         [media]\ngrpc_listen = \"127.0.0.1:1003\"\n",
    )
    .unwrap();
    let env = env(&[
        ("VMS_CONTROL_GRPC_LISTEN", "127.0.0.1:2002"),
        ("VMS_MEDIA_GRPC_LISTEN", "127.0.0.1:2003"),
        ("UNRELATED", "x"),
    ]);
    let flags = [Override::new("media.grpc_listen", "127.0.0.1:3003")];

    let c = load(Some(&file), &env, &flags).unwrap();

    assert_eq!(c.node_id, "local", "default survives");
    assert_eq!(c.control.listen.port(), 1001, "file beats default");
    assert_eq!(c.control.grpc_listen.port(), 2002, "env beats file");
    assert_eq!(c.media.grpc_listen.port(), 3003, "flag beats env");
    assert!(c.data_dir.is_absolute(), "paths are made absolute");
}

#[test]
fn env_sets_lists_and_integers() {
    let env = env(&[("VMS_SUPERVISOR_PLANES", "control, media"), ("VMS_DATABASE_EMBEDDED_PORT", "6000")]);
    let c = load(None, &env, &[]).unwrap();
    assert_eq!(c.supervisor.planes, vec![vms_base::Plane::Control, vms_base::Plane::Media]);
    assert_eq!(c.database.embedded_port, 6000);
}

fn invalid_key(err: ConfigError) -> String {
    match err {
        ConfigError::Invalid { key, .. } => key,
        other => panic!("expected an invalid-key error, got {other}"),
    }
}

#[test]
fn errors_name_the_key() {
    let bad_type = vms_config::from_str("[control]\nlisten = 12\n").unwrap_err();
    assert_eq!(invalid_key(bad_type), "control.listen");

    let unknown = vms_config::from_str("[control]\nlisen = \"0.0.0.0:1\"\n").unwrap_err();
    assert!(unknown.to_string().contains("lisen"), "{unknown}");

    let bad_addr = vms_config::from_str("[media]\ngrpc_listen = \"nowhere\"\n").unwrap_err();
    assert_eq!(invalid_key(bad_addr), "media.grpc_listen");

    let bad_url = load(None, &env(&[("VMS_DATABASE_URL", "mysql://u:pw@h/db")]), &[]).unwrap_err();
    let shown = bad_url.to_string();
    assert!(shown.contains("database.url") && !shown.contains("pw"), "{shown}");

    let bad_int = load(None, &env(&[("VMS_NATS_EMBEDDED_PORT", "lots")]), &[]).unwrap_err();
    assert_eq!(invalid_key(bad_int), "nats.embedded_port");

    let unknown_flag = load(None, &HashMap::new(), &[Override::new("control.nope", "1")]).unwrap_err();
    assert_eq!(invalid_key(unknown_flag), "control.nope");

    let bad_plane = vms_config::from_str("[supervisor]\nplanes = [\"control\", \"tv\"]\n").unwrap_err();
    assert!(invalid_key(bad_plane).starts_with("supervisor.planes"));
}

#[test]
fn url_file_is_read_and_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("db_url");
    std::fs::write(&secret, "postgres://vms:pw@db/vms\n").unwrap();
    let c = load(None, &env(&[("VMS_DATABASE_URL_FILE", secret.to_str().unwrap())]), &[]).unwrap();
    assert_eq!(c.database.resolve_url().unwrap().as_deref(), Some("postgres://vms:pw@db/vms"));
}

#[test]
fn a_partial_section_keeps_the_other_defaults() {
    let env = env(&[("VMS_REDIS_URL", "redis://elsewhere:6379/"), ("VMS_NATS_URL", "nats://elsewhere:4222")]);
    let c = load(None, &env, &[Override::new("media.grpc_listen", "127.0.0.1:7000")]).unwrap();
    assert_eq!(c.redis.embedded_port, 56379);
    assert_eq!(c.nats.embedded_port, 54222);
    let c = vms_config::from_str("[recorder]\nstatus_interval_secs = 2\n").unwrap();
    assert_eq!(c.recorder.grpc_listen.port(), 50062);
    assert_eq!(c.media.grpc_listen.port(), 50061);
}

//! The vendor's licence tools: keygen, sign, show; a tampered file is refused.

use std::process::Command;

fn vms(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vms")).args(args).env("VMS_LOG", "warn").output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn keygen_sign_and_show_round_trip_and_tampering_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let d = |p: &str| dir.path().join(p).to_string_lossy().into_owned();
    let (code, out) = vms(&["license", "keygen", "--out", &d("vendor")]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = vms(&[
        "license",
        "sign",
        "--key",
        &d("vendor/license-signing.key"),
        "--customer",
        "Acme Security",
        "--max-cameras",
        "48",
        "--feature",
        "analytics",
        "--expires",
        "2099-12-31",
        "--out",
        &d("acme.json"),
    ]);
    assert_eq!(code, 0, "{out}");
    let show = |file: &str| {
        vms(&[
            "license",
            "show",
            "--file",
            file,
            "--public-key",
            &d("vendor/license-signing.pub"),
            "--data-dir",
            &d("data"),
        ])
    };
    let (code, out) = show(&d("acme.json"));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("status:       valid") && out.contains("Acme Security") && out.contains("max cameras:  48"),
        "{out}"
    );

    let mut file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(d("acme.json")).unwrap()).unwrap();
    let sig = file["signature"].as_str().unwrap().to_owned();
    file["signature"] = serde_json::json!(format!("A{}", &sig[1..]));
    std::fs::write(d("tampered.json"), file.to_string()).unwrap();
    let (code, out) = show(&d("tampered.json"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("status:       invalid") && out.contains("max cameras:  16"), "{out}");

    // The built-in key does not trust a key made here.
    let (code, out) = vms(&["license", "show", "--file", &d("acme.json"), "--data-dir", &d("data")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("unknown key"), "{out}");
}

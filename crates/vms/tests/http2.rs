//! Every error reaches an HTTP/2 client (what browsers speak) as a proper
//! response, as it does over HTTP/1.1: the JSON 404 for a path the API does
//! not have, and the 400 for a body over the size limit, even when the body
//! is still being sent (issue 11, points 20 and 32). Checked with reqwest and
//! with curl, which reported such answers as no response at all over HTTP/2.

mod common;

use std::time::Duration;

use common::{stack::sandbox, wait_until};
use reqwest::{Client, Method, Version};
use vms_sandbox::Service;

/// Three megabytes: over the API's 2 MB body limit.
const BIG: usize = 3 << 20;

fn client(ca: &reqwest::Certificate, http2: bool) -> Client {
    let builder = Client::builder().add_root_certificate(ca.clone()).timeout(Duration::from_secs(20));
    let builder = if http2 { builder.http2_prior_knowledge() } else { builder.http1_only() };
    builder.build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_reach_http2_clients_as_responses_like_http1() {
    let stack = sandbox(|c| c.control.tls.mode = vms_config::TlsMode::SelfSigned).await;
    let deps = stack.control_deps().await;
    let config = stack.config.clone();
    let control = Service::spawn(|token| vms_control::serve(config, deps, token));
    let origin = format!("https://localhost:{}", stack.config.control.listen.port());
    let ca_file = stack.config.data_dir.join("tls/ca.pem");
    let ca = wait_until("control's certificate", Duration::from_secs(20), || async {
        std::fs::read(&ca_file).ok().and_then(|pem| reqwest::Certificate::from_pem(&pem).ok())
    })
    .await;
    let probe = client(&ca, false);
    wait_until("control's HTTPS API", Duration::from_secs(20), || async {
        probe.get(format!("{origin}/health/live")).send().await.ok().filter(|r| r.status().is_success())
    })
    .await;
    let token = "not-a-token";

    let small = br#"{"name": "x"}"#.to_vec();
    let big = vec![b' '; BIG];
    let cases: [(&str, Method, &str, &Vec<u8>, u16); 5] = [
        ("unknown path, small body", Method::POST, "/api/no-such-thing", &small, 404),
        ("unknown path, big body", Method::POST, "/api/no-such-thing", &big, 400),
        ("unknown path, PUT", Method::PUT, "/api/no-such/thing", &small, 404),
        ("public route, big body", Method::POST, "/api/auth/login", &big, 400),
        ("public route, big body again", Method::POST, "/api/auth/reset-password", &big, 400),
    ];
    let mut failures = Vec::new();
    for http2 in [true, false] {
        let client = client(&ca, http2);
        for (what, method, path, body, expected) in &cases {
            let response = client
                .request(method.clone(), format!("{origin}{path}"))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body.to_vec())
                .send()
                .await;
            let response = match response {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{what} over HTTP/{}: no response: {e:?}", if http2 { 2 } else { 1 }));
                    continue;
                }
            };
            let version = response.version();
            assert_eq!(version, if http2 { Version::HTTP_2 } else { Version::HTTP_11 }, "{what}");
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            assert_eq!(status, *expected, "{what} over {version:?}: {text}");
            let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            assert!(json["code"].is_string() && json["message"].is_string(), "{what} over {version:?}: {text}");
        }
    }
    // curl, an independent client, over both versions.
    let dir = tempfile::tempdir().unwrap();
    for (what, method, path, body, expected) in &cases {
        let file = dir.path().join("body");
        std::fs::write(&file, body).unwrap();
        for version in ["--http2", "--http1.1"] {
            let out = std::process::Command::new("curl")
                .args(["-s", "--cacert"])
                .arg(&ca_file)
                .args([version, "-o", "-", "-w", "\n%{http_code} %{http_version}", "-X", method.as_str()])
                .args(["-H", "content-type: application/json", "-H", "authorization: Bearer not-a-token"])
                .arg("--data-binary")
                .arg(format!("@{}", file.display()))
                .arg(format!("{origin}{path}"))
                .output()
                .unwrap();
            let printed = String::from_utf8_lossy(&out.stdout).into_owned();
            let last = printed.lines().last().unwrap_or_default().to_owned();
            eprintln!("curl {version} {what}: {last} (exit {:?})", out.status.code());
            if !last.starts_with(&expected.to_string()) || !printed.contains("\"code\"") {
                failures.push(format!("curl {version} {what}: got {last:?} (exit {:?}): {printed}", out.status.code()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    control.stop().await;
}

//! Delivering webhook calls from the outbox: due deliveries are claimed
//! (leased, so another control does not send them too), signed
//! ([`super::signing`]) and POSTed; a 2xx marks one delivered, anything
//! else is tried again after a delay that doubles each time (with jitter),
//! until `events.webhook_max_attempts`, after which it is dead-lettered for
//! an operator to see and redeliver. Receivers get `events.webhook_timeout_secs`
//! to answer, redirects are followed only on the same host (at most 3), and
//! TLS is verified against the system's roots and `events.webhook_ca_file`.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use rand::Rng;
use sqlx::PgPool;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use vms_catalog::{CatalogError, Scope, credentials::CredentialKey, scope, webhook};
use vms_config::EventsConfig;

use super::signing;

/// Deliveries claimed at once.
const CLAIM: i64 = 16;
/// The system's CA bundle (Debian's ca-certificates).
const SYSTEM_ROOTS: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Builds the HTTP client calls go out with.
pub fn client(config: &EventsConfig) -> anyhow::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .timeout(Duration::from_secs(config.webhook_timeout_secs.into()))
        .connect_timeout(Duration::from_secs(config.webhook_timeout_secs.into()))
        .user_agent("techno-support-vms-webhooks")
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            let same_host = attempt.previous().first().is_some_and(|first| {
                first.host_str() == attempt.url().host_str()
                    && first.port_or_known_default() == attempt.url().port_or_known_default()
            });
            if attempt.previous().len() > 3 || !same_host { attempt.stop() } else { attempt.follow() }
        }));
    let mut bundles = vec![std::path::PathBuf::from(SYSTEM_ROOTS)];
    bundles.extend(config.webhook_ca_file.clone());
    for path in bundles {
        match std::fs::read(&path) {
            Ok(pem) => {
                for cert in reqwest::Certificate::from_pem_bundle(&pem)? {
                    builder = builder.add_root_certificate(cert);
                }
            }
            Err(e) if Some(&path) == config.webhook_ca_file.as_ref() => {
                anyhow::bail!("cannot read events.webhook_ca_file {}: {e}", path.display())
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "no system CA bundle; only events.webhook_ca_file is trusted")
            }
        }
    }
    Ok(builder.build()?)
}

/// What the sender works with.
pub struct Sender {
    /// The catalog, where the outbox is.
    pub db: PgPool,
    /// Opens the webhooks' signing secrets.
    pub key: Arc<CredentialKey>,
    /// Timeouts, tries and the proxy rules.
    pub config: EventsConfig,
    /// Where each call's outcome is counted.
    pub metrics: Arc<crate::events::metrics::EventMetrics>,
}

/// Sends due deliveries until `cancel`; `wake` says new ones were queued.
pub async fn run(sender: Sender, wake: Arc<Notify>, cancel: CancellationToken) -> anyhow::Result<()> {
    let http = client(&sender.config)?;
    let lease = Duration::from_secs(u64::from(sender.config.webhook_timeout_secs) * 2 + 5);
    loop {
        let claimed = async {
            let mut tx = scope::begin(&sender.db, Scope::AllTenants).await?;
            let due = webhook::claim_due(&mut *tx, CLAIM, lease).await?;
            tx.commit().await?;
            Ok::<_, CatalogError>(due)
        };
        let due = match claimed.await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the webhook outbox; retrying");
                Vec::new()
            }
        };
        if due.is_empty() {
            tokio::select! {
                _ = cancel.cancelled() => return Ok(()),
                _ = wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
            continue;
        }
        let sends = due.into_iter().map(|d| deliver(&sender, &http, d));
        tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            _ = futures::future::join_all(sends) => {}
        }
    }
}

/// Tries one delivery and records the outcome.
async fn deliver(sender: &Sender, http: &reqwest::Client, d: webhook::Delivery) {
    let (db, config) = (&sender.db, &sender.config);
    let outcome = attempt(db, &sender.key, http, &d).await;
    let (delivered, status, error) = match &outcome {
        Ok(status) if (200..300).contains(status) => (true, Some(*status), None),
        Ok(status) => (false, Some(*status), Some(format!("the receiver answered {status}"))),
        Err(e) => (false, None, Some(e.clone())),
    };
    let tries = u32::try_from(d.attempts).unwrap_or(0) + 1;
    let retry_at = (!delivered && tries < config.webhook_max_attempts).then(|| {
        let base = f64::from(config.webhook_retry_secs) * 2f64.powi(tries.saturating_sub(1).min(20) as i32);
        let jittered = base.min(3600.0) * rand::thread_rng().gen_range(0.8..1.2);
        Utc::now() + chrono::TimeDelta::milliseconds((jittered * 1000.0) as i64)
    });
    use crate::events::metrics::Delivery;
    sender.metrics.delivery(match (delivered, retry_at) {
        (true, _) => Delivery::Delivered,
        (false, Some(_)) => Delivery::Failed,
        (false, None) => Delivery::Dead,
    });
    if let Some(error) = &error {
        let dead = retry_at.is_none();
        tracing::warn!(delivery = %d.id, webhook = %d.webhook_id, tries, dead, error = %error, "webhook delivery failed");
    }
    let recorded = async {
        let mut tx = scope::begin(db, Scope::AllTenants).await?;
        webhook::record_attempt(&mut *tx, d.id, delivered, status, error.as_deref(), retry_at).await?;
        tx.commit().await.map_err(CatalogError::from)
    };
    if let Err(e) = recorded.await {
        // The lease runs out and the delivery is tried again: at least once.
        tracing::warn!(delivery = %d.id, error = %e, "cannot record a webhook delivery's outcome");
    }
}

/// POSTs the delivery; the receiver's status, or why there was none.
async fn attempt(
    db: &PgPool,
    key: &CredentialKey,
    http: &reqwest::Client,
    d: &webhook::Delivery,
) -> Result<u16, String> {
    let hook = async {
        let mut tx = scope::begin(db, Scope::Tenant(d.tenant_id)).await?;
        webhook::get(&mut *tx, d.tenant_id, d.webhook_id).await
    };
    let hook = hook.await.map_err(|e| format!("cannot read the webhook: {e}"))?;
    let secret =
        key.open_bytes(&hook.secret, hook.id.as_bytes()).map_err(|_| "cannot open the webhook's secret".to_owned())?;
    let body = serde_json::to_vec(&d.body).map_err(|e| e.to_string())?;
    let timestamp = Utc::now().timestamp();
    let kind = d.body["event"]["type"].as_str().unwrap_or_default().to_owned();
    let response = http
        .post(&hook.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(signing::TIMESTAMP_HEADER, timestamp.to_string())
        .header(signing::SIGNATURE_HEADER, signing::sign(&secret, timestamp, &body))
        .header(signing::DELIVERY_HEADER, d.id.to_string())
        .header(signing::EVENT_HEADER, kind)
        .body(body)
        .send()
        .await
        .map_err(|e| describe(&e))?;
    Ok(response.status().as_u16())
}

/// Says why a call failed, without the URL (which may carry a token).
fn describe(e: &reqwest::Error) -> String {
    let mut source = std::error::Error::source(e);
    let (mut detail, mut unresolved) = (String::new(), false);
    while let Some(s) = source {
        detail = s.to_string();
        unresolved |= detail.contains("dns error") || detail.contains("failed to lookup address");
        source = s.source();
    }
    let what = if e.is_timeout() {
        "the receiver did not answer in time"
    } else if unresolved {
        "cannot resolve the receiver's host name"
    } else if e.is_connect() {
        "cannot connect to the receiver"
    } else if e.is_redirect() {
        "the receiver redirected to another host"
    } else {
        "the call failed"
    };
    if detail.is_empty() { what.to_owned() } else { format!("{what}: {detail}") }
}

//! Applying the Redis-backed limits to logins and API calls.
//!
//! When Redis is unreachable the limits are not enforced (requests go ahead)
//! and a warning is logged: availability of the VMS beats rate limiting.

use std::time::Duration;

use vms_bus::ratelimit::Decision;

use crate::{error::ApiError, state::AuthState};

const MINUTE: Duration = Duration::from_secs(60);

fn open_on_error(result: anyhow::Result<Decision>) -> Decision {
    result.unwrap_or_else(|e| {
        tracing::warn!(error = %format!("{e:#}"), "rate limiting unavailable; allowing the request");
        Decision::Allowed
    })
}

/// How long an account remembers an address it signed in from.
const KNOWN_ADDRESS_TTL: Duration = Duration::from_secs(90 * 24 * 3600);
/// Most addresses remembered per account.
const KNOWN_ADDRESSES: usize = 64;

/// Counts a login attempt from `ip` and refuses it if the address is over its
/// limit, or the account is locked for this address.
///
/// Failures lock an account per address, never everywhere: a guesser locks
/// only themselves out, and an address the account signed in from before is
/// never locked (its attempts are still limited per minute like any other).
pub async fn check_login(auth: &AuthState, ip: &str, username: &str) -> Result<(), ApiError> {
    let ip = &address(ip);
    let c = &auth.config.control;
    if let Decision::Limited(wait) =
        open_on_error(auth.hot.hit("login_ip", ip, c.login_attempts_per_ip_per_minute, MINUTE).await)
    {
        return Err(ApiError::rate_limited("too many login attempts from this address", wait));
    }
    if known_address(auth, ip, username).await {
        return Ok(());
    }
    if let Decision::Limited(wait) = open_on_error(auth.hot.lockout("login_user", &account_at(username, ip)).await) {
        return Err(ApiError::rate_limited("too many failed logins for this account; try again later", wait));
    }
    Ok(())
}

/// Counts an attempt to redeem a password reset token from `ip`, with the same budget as logins.
pub async fn check_reset(auth: &AuthState, ip: &str) -> Result<(), ApiError> {
    let ip = &address(ip);
    let limit = auth.config.control.login_attempts_per_ip_per_minute;
    match open_on_error(auth.hot.hit("reset_ip", ip, limit, MINUTE).await) {
        Decision::Allowed => Ok(()),
        Decision::Limited(wait) => {
            Err(ApiError::rate_limited("too many password reset attempts from this address", wait))
        }
    }
}

async fn known_address(auth: &AuthState, ip: &str, username: &str) -> bool {
    match auth.hot.remembers("login_known", &account(username), ip, KNOWN_ADDRESS_TTL).await {
        Ok(known) => known,
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), "failed to read an account's known addresses");
            false
        }
    }
}

/// Records a failed login from `ip`; the configured number of them lock the
/// account for that address for a growing while.
pub async fn login_failed(auth: &AuthState, ip: &str, username: &str) {
    let ip = &address(ip);
    let c = &auth.config.control;
    let result = auth
        .hot
        .record_failure(
            "login_user",
            &account_at(username, ip),
            c.login_failures_before_lockout,
            Duration::from_secs(c.login_lockout_base_secs.into()),
            Duration::from_secs(c.login_lockout_max_secs.into()),
        )
        .await;
    match result {
        Ok(lock) if !lock.is_zero() => {
            tracing::warn!(lock_secs = lock.as_secs(), %ip, "account locked for an address after failed logins")
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %format!("{e:#}"), "failed to record a failed login"),
    }
}

/// Forgets the failures of an account at `ip` after a successful login, and
/// remembers the address as one the account signs in from.
pub async fn login_succeeded(auth: &AuthState, ip: &str, username: &str) {
    let ip = &address(ip);
    if let Err(e) = auth.hot.clear_failures("login_user", &account_at(username, ip)).await {
        tracing::warn!(error = %format!("{e:#}"), "failed to clear login failures");
    }
    if let Err(e) = auth.hot.remember("login_known", &account(username), ip, KNOWN_ADDRESS_TTL, KNOWN_ADDRESSES).await {
        tracing::warn!(error = %format!("{e:#}"), "failed to remember a login address");
    }
}

/// Counts an API request by its principal (`user:<id>` or `key:<id>`).
pub async fn check_api(auth: &AuthState, principal: &str) -> Result<(), ApiError> {
    let limit = auth.config.control.api_requests_per_minute;
    match open_on_error(auth.hot.hit("api", principal, limit, MINUTE).await) {
        Decision::Allowed => Ok(()),
        Decision::Limited(wait) => Err(ApiError::rate_limited("too many requests", wait)),
    }
}

fn account(username: &str) -> String {
    username.to_lowercase()
}

/// The unit an address is limited in (see [`vms_base::conn_limit::address_key`]):
/// one IPv6 host cannot spread its guesses across the addresses of its /64.
fn address(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(ip) => vms_base::conn_limit::address_key(ip).to_string(),
        Err(_) => ip.to_owned(),
    }
}

fn account_at(username: &str, ip: &str) -> String {
    format!("{}|{ip}", account(username))
}

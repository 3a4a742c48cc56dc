//! Connecting to NATS.

use std::time::Duration;

use anyhow::Context;

/// Connects to `url`, taking credentials from its user-info part (`user:password@`
/// for user/password, a lone `token@` for a token), which the client library
/// would otherwise ignore.
///
/// The connection is made in the background and retried forever, so a plane
/// starts while NATS is still down and catches up when it appears.
pub async fn connect(url: &str, name: &str) -> anyhow::Result<async_nats::Client> {
    let mut parsed = url::Url::parse(url).context("invalid NATS URL")?;
    let mut options = async_nats::ConnectOptions::new()
        .name(name)
        .retry_on_initial_connect()
        .connection_timeout(Duration::from_secs(5))
        .max_reconnects(None);
    let user = percent_decode(parsed.username());
    let password = parsed.password().map(percent_decode);
    match (user.is_empty(), password) {
        (false, Some(password)) => options = options.user_and_password(user, password),
        (false, None) => options = options.token(user),
        (true, _) => {}
    }
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    options.connect(parsed.as_str()).await.context("failed to connect to NATS")
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(super::percent_decode("a%40b%2Fc"), "a@b/c");
        assert_eq!(super::percent_decode("plain"), "plain");
    }
}

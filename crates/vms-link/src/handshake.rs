//! Mutual authentication with the installation's internal secret, which
//! never crosses the wire.
//!
//! The server opens with [`MAGIC`] and a random nonce; the client answers
//! with the magic, its own nonce and an HMAC-SHA256 over both nonces under
//! the secret; the server checks it (in constant time) and answers with its
//! own HMAC over the nonces the other way round, which the client checks.
//! So a client without the secret learns nothing and gets nothing, and a
//! recorder never takes pictures from something posing as the media plane.
//! Neither side reads more than the handshake's fixed size.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Opens every connection, both ways: protocol and version.
pub const MAGIC: &[u8; 8] = b"VMSLINK1";
const NONCE: usize = 32;
const MAC: usize = 32;

/// Why a handshake failed.
#[derive(Debug, thiserror::Error)]
pub enum HandshakeError {
    /// The peer does not speak this protocol or version.
    #[error("the peer does not speak the frame link (v1)")]
    NotALink,
    /// The peer does not hold the installation's secret.
    #[error("the peer does not hold the installation's internal secret")]
    WrongSecret,
    /// The connection failed.
    #[error("the connection failed during the handshake: {0}")]
    Io(#[from] std::io::Error),
}

fn mac(key: &[u8], label: &[u8], first: &[u8], second: &[u8]) -> [u8; MAC] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(label);
    mac.update(first);
    mac.update(second);
    mac.finalize().into_bytes().into()
}

fn nonce() -> [u8; NONCE] {
    let mut n = [0u8; NONCE];
    rand::thread_rng().fill_bytes(&mut n);
    n
}

/// Authenticates the client on `io` and proves this side to it.
pub async fn server<S: AsyncRead + AsyncWrite + Unpin>(io: &mut S, key: &[u8]) -> Result<(), HandshakeError> {
    let ours = nonce();
    let mut hello = Vec::with_capacity(MAGIC.len() + NONCE);
    hello.extend_from_slice(MAGIC);
    hello.extend_from_slice(&ours);
    io.write_all(&hello).await?;
    let mut answer = [0u8; 8 + NONCE + MAC];
    io.read_exact(&mut answer).await?;
    if &answer[..8] != MAGIC {
        return Err(HandshakeError::NotALink);
    }
    let (theirs, their_mac) = answer[8..].split_at(NONCE);
    let expected = mac(key, b"vms-link client", &ours, theirs);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..], their_mac)) {
        return Err(HandshakeError::WrongSecret);
    }
    io.write_all(&mac(key, b"vms-link server", theirs, &ours)).await?;
    Ok(())
}

/// Proves this side to the server on `io` and authenticates it.
pub async fn client<S: AsyncRead + AsyncWrite + Unpin>(io: &mut S, key: &[u8]) -> Result<(), HandshakeError> {
    let mut hello = [0u8; 8 + NONCE];
    io.read_exact(&mut hello).await?;
    if &hello[..8] != MAGIC {
        return Err(HandshakeError::NotALink);
    }
    let theirs = &hello[8..];
    let ours = nonce();
    let mut answer = Vec::with_capacity(8 + NONCE + MAC);
    answer.extend_from_slice(MAGIC);
    answer.extend_from_slice(&ours);
    answer.extend_from_slice(&mac(key, b"vms-link client", theirs, &ours));
    io.write_all(&answer).await?;
    let mut proof = [0u8; MAC];
    io.read_exact(&mut proof).await.map_err(|e| match e.kind() {
        // The server closes without a word on a wrong secret.
        std::io::ErrorKind::UnexpectedEof => HandshakeError::WrongSecret,
        _ => HandshakeError::Io(e),
    })?;
    let expected = mac(key, b"vms-link server", &ours, theirs);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..], &proof[..])) {
        return Err(HandshakeError::WrongSecret);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pair(server_key: &'static [u8], client_key: &'static [u8]) -> (bool, bool) {
        let (mut a, mut b) = tokio::io::duplex(1024);
        let server = tokio::spawn(async move { super::server(&mut a, server_key).await.is_ok() });
        let client = super::client(&mut b, client_key).await.is_ok();
        drop(b);
        (server.await.unwrap(), client)
    }

    #[tokio::test]
    async fn both_sides_holding_the_secret_pass() {
        assert_eq!(pair(b"the secret", b"the secret").await, (true, true));
    }

    #[tokio::test]
    async fn a_client_or_a_server_without_it_fails() {
        assert_eq!(pair(b"the secret", b"a guess").await, (false, false));
    }

    /// The client checks the server's proof itself: a server that answers
    /// with a proof it could not make (it lacks the secret) is refused.
    #[tokio::test]
    async fn a_server_without_the_secret_is_refused_by_the_client() {
        let (mut a, mut b) = tokio::io::duplex(1024);
        let fake = tokio::spawn(async move {
            let mut hello = Vec::from(&MAGIC[..]);
            hello.extend_from_slice(&[9; NONCE]);
            a.write_all(&hello).await.unwrap();
            let mut answer = [0u8; 8 + NONCE + MAC];
            a.read_exact(&mut answer).await.unwrap();
            a.write_all(&[7; MAC]).await.unwrap();
            a
        });
        assert!(matches!(super::client(&mut b, b"the secret").await, Err(HandshakeError::WrongSecret)));
        drop(fake.await.unwrap());
    }

    #[tokio::test]
    async fn a_peer_speaking_something_else_is_refused() {
        let (mut a, mut b) = tokio::io::duplex(1024);
        let server = tokio::spawn(async move { super::server(&mut a, b"k").await });
        let mut hello = [0u8; 40];
        b.read_exact(&mut hello).await.unwrap();
        b.write_all(&[b'G'; 72]).await.unwrap();
        assert!(matches!(server.await.unwrap(), Err(HandshakeError::NotALink)));
    }
}

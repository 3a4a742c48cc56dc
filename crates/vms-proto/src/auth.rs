//! Authentication of the internal gRPC services.
//!
//! Control and the planes share one secret per installation: 32 random
//! bytes in `<secrets dir>/internal-grpc.key` (mode 0600), created by
//! whichever process starts first. Every client sends it as
//! `authorization: Bearer <hex>` ([`InternalSecret::client`]) and every
//! server refuses a call without it, or with another, as `Unauthenticated`
//! ([`InternalSecret::server`]), comparing in constant time. A local user who
//! can reach the ports but not read the secrets directory can call nothing.

use std::{io, path::Path, sync::Arc};

use rand::RngCore;
use tonic::{Request, Status, metadata::AsciiMetadataValue, service::Interceptor};

/// The secret's file name in the secrets directory.
pub const SECRET_FILE: &str = "internal-grpc.key";
/// How many random bytes a new secret has.
const SECRET_LEN: usize = 32;
/// The metadata key the secret travels in.
const HEADER: &str = "authorization";

/// The installation's internal gRPC secret, ready to send and to check.
#[derive(Clone)]
pub struct InternalSecret {
    /// `Bearer <hex>`, exactly as sent.
    expected: Arc<AsciiMetadataValue>,
    /// The secret itself, as a key for protocols that prove they hold it
    /// without sending it (the frame link).
    raw: Arc<[u8]>,
}

impl std::fmt::Debug for InternalSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InternalSecret(..)")
    }
}

impl InternalSecret {
    /// Reads the secret from `secrets_dir`, creating it (0600) on first use.
    pub fn load_or_create(secrets_dir: &Path) -> io::Result<Self> {
        let bytes = vms_base::secret_file::load_or_create(&secrets_dir.join(SECRET_FILE), || {
            let mut secret = vec![0u8; SECRET_LEN];
            rand::thread_rng().fill_bytes(&mut secret);
            secret
        })?;
        if bytes.len() < SECRET_LEN {
            return Err(io::Error::other(format!("{SECRET_FILE} is shorter than {SECRET_LEN} bytes")));
        }
        Ok(Self::from_bytes(&bytes))
    }

    /// Wraps secret bytes (tests use this to present a wrong secret).
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let value = format!("Bearer {}", hex::encode(bytes)).parse().expect("hex should be valid metadata");
        Self { expected: Arc::new(value), raw: bytes.into() }
    }

    /// The secret as a key (HMAC), never to be sent as is.
    pub fn key(&self) -> Arc<[u8]> {
        self.raw.clone()
    }

    /// An interceptor for clients: adds the secret to every call.
    pub fn client(&self) -> AttachSecret {
        AttachSecret(self.clone())
    }

    /// An interceptor for servers: refuses calls without the secret.
    pub fn server(&self) -> RequireSecret {
        RequireSecret(self.clone())
    }

    /// The `authorization` value a call bearing the secret sends, over gRPC
    /// or HTTP (the recorder's archive takes the same).
    pub fn authorization(&self) -> &str {
        self.expected.to_str().expect("hex is ASCII")
    }

    /// Answers whether an `authorization` value bears the secret, comparing
    /// in constant time.
    pub fn accepts(&self, presented: &[u8]) -> bool {
        constant_time_eq(self.expected.as_bytes(), presented)
    }
}

/// Client-side [`Interceptor`] sending the internal secret.
#[derive(Clone, Debug)]
pub struct AttachSecret(InternalSecret);

impl Interceptor for AttachSecret {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request.metadata_mut().insert(HEADER, (*self.0.expected).clone());
        Ok(request)
    }
}

/// Server-side [`Interceptor`] refusing, as `Unauthenticated`, every call
/// that does not carry the internal secret.
#[derive(Clone, Debug)]
pub struct RequireSecret(InternalSecret);

impl Interceptor for RequireSecret {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        match request.metadata().get(HEADER) {
            Some(presented) if self.0.accepts(presented.as_bytes()) => Ok(request),
            _ => Err(Status::unauthenticated("the internal gRPC secret is missing or wrong")),
        }
    }
}

/// Compares without revealing, through timing, where the first difference is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(interceptor: &mut RequireSecret, header: Option<&str>) -> Result<(), tonic::Code> {
        let mut request = Request::new(());
        if let Some(h) = header {
            request.metadata_mut().insert(HEADER, h.parse().unwrap());
        }
        interceptor.call(request).map(|_| ()).map_err(|s| s.code())
    }

    #[test]
    fn only_the_same_secret_passes() {
        let secret = InternalSecret::from_bytes(&[7; 32]);
        let mut server = secret.server();
        let sent = secret.client().call(Request::new(())).unwrap();
        let header = sent.metadata().get(HEADER).unwrap().to_str().unwrap().to_owned();
        assert_eq!(call(&mut server, Some(&header)), Ok(()));
        assert_eq!(call(&mut server, None), Err(tonic::Code::Unauthenticated));
        let other = format!("Bearer {}", hex::encode([8; 32]));
        assert_eq!(call(&mut server, Some(&other)), Err(tonic::Code::Unauthenticated));
        assert_eq!(call(&mut server, Some("Bearer ")), Err(tonic::Code::Unauthenticated));
    }

    #[test]
    fn the_secret_is_created_once_and_kept() {
        let dir = tempdir();
        let first = InternalSecret::load_or_create(&dir).unwrap();
        let again = InternalSecret::load_or_create(&dir).unwrap();
        assert_eq!(first.expected, again.expected);
        assert_eq!(std::fs::read(dir.join(SECRET_FILE)).unwrap().len(), SECRET_LEN);
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn tempdir() -> std::path::PathBuf {
        std::env::temp_dir().join(format!("vms-proto-{:016x}", rand::random::<u64>()))
    }
}

//! The installation's licence: loaded from the data directory, replaced
//! through the API, and checked when cameras are added.

use std::path::PathBuf;

use chrono::Utc;
use tokio::sync::RwLock;
use vms_base::ErrorCode;
use vms_license::{Entitlement, LicenseVerifier};

use crate::error::ApiError;

/// Reads the installation id, creating it on first start. It is not a secret,
/// and the data directory must stay reachable by the `postgres` user, so this
/// does not go through the secret-file helper (which locks down the directory).
fn installation_id(data_dir: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    use std::io::Write;
    let path = data_dir.join("installation-id");
    match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(mut file) => {
            file.write_all(uuid::Uuid::new_v4().to_string().as_bytes())?;
            file.sync_all()?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e.into()),
    }
    // A concurrent creator may still be writing: retry briefly until the id is whole.
    for _ in 0..50 {
        let id = std::fs::read(&path)?;
        if id.len() >= 36 {
            return Ok(id);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    anyhow::bail!("{} is truncated; delete it to have a new one made", path.display())
}

/// The licence in force.
pub struct Licensing {
    verifier: LicenseVerifier,
    installation_id: String,
    path: PathBuf,
    text: RwLock<Option<String>>,
}

impl Licensing {
    /// Loads `<data>/license.json` (if present) and the installation id
    /// (`<data>/installation-id`, created on first start).
    pub fn load(data_dir: &std::path::Path, verifier: LicenseVerifier) -> anyhow::Result<Self> {
        let id = installation_id(data_dir)?;
        let path = data_dir.join("license.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let licensing =
            Self { verifier, installation_id: String::from_utf8(id)?.trim().to_owned(), path, text: RwLock::new(text) };
        Ok(licensing)
    }

    /// Returns this installation's id (licences may be bound to it).
    pub fn installation_id(&self) -> &str {
        &self.installation_id
    }

    /// Works out what the installation may do now.
    pub async fn entitlement(&self) -> Entitlement {
        let text = self.text.read().await;
        Entitlement::evaluate(&self.verifier, text.as_deref(), &self.installation_id, Utc::now())
    }

    /// Verifies and installs a licence file, replacing the current one.
    pub async fn install(&self, text: &str) -> Result<Entitlement, ApiError> {
        let terms = self.verifier.verify(text).map_err(|e| ApiError::invalid("license", e))?;
        if terms.installation_id.as_deref().is_some_and(|id| id != self.installation_id) {
            return Err(ApiError::invalid(
                "license",
                format!("is for another installation (this one is {})", self.installation_id),
            ));
        }
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, &self.path)).map_err(ApiError::internal)?;
        *self.text.write().await = Some(text.to_owned());
        Ok(self.entitlement().await)
    }

    /// Refuses to add a camera when `configured` cameras (across every
    /// tenant) already use the licence. Only a super-admin (`installation_wide`)
    /// is told the licence's holder and the installation's count: to anyone
    /// else they would reveal other tenants' usage.
    pub async fn check_camera_quota(&self, configured: i64, installation_wide: bool) -> Result<(), ApiError> {
        let e = self.entitlement().await;
        if configured < i64::from(e.max_cameras) {
            return Ok(());
        }
        if !installation_wide {
            return Err(ApiError::new(
                ErrorCode::FailedPrecondition,
                "the installation's camera licence is exhausted; ask your system administrator",
            ));
        }
        let who = match (&e.terms, e.status) {
            (Some(t), vms_license::LicenseStatus::Valid | vms_license::LicenseStatus::Grace) => {
                format!("the licence of {}", t.customer)
            }
            _ => "the free tier".to_owned(),
        };
        Err(ApiError::new(
            ErrorCode::FailedPrecondition,
            format!(
                "licence limit reached: {who} allows {} cameras and {configured} are configured; \
                 install a licence for more cameras (see GET /api/license)",
                e.max_cameras
            ),
        ))
    }
}

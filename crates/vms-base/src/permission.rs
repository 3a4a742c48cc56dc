//! What a user, role or API key may be granted. Each permission is named
//! here once; the database, the API and the route table carry these words,
//! and code names them only through [`Permission`].

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// One grantable permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum Permission {
    /// Watch live video and see cameras and sites.
    CameraViewLive,
    /// Play back recordings.
    CameraViewArchive,
    /// Move PTZ cameras.
    CameraPtz,
    /// Export recordings.
    CameraExport,
    /// Add, change and remove cameras.
    CameraManage,
    /// Add, change and remove sites.
    SiteManage,
    /// Read events.
    EventRead,
    /// Post events for cameras (integrations: door sensors, access control).
    EventCreate,
    /// Manage the rules that turn events into actions, and their webhooks.
    RuleManage,
    /// Lock bookmarked footage against deletion as evidence, and unlock it.
    EvidenceLock,
    /// Manage users, roles and their grants.
    UserManage,
    /// Create and revoke API keys (within one's own permissions).
    ApiKeyManage,
    /// Search the audit trail.
    AuditRead,
    /// See and change system settings, planes and the licence.
    SystemManage,
}

/// Each permission's word and what it allows, in the order shown to people.
const TABLE: &[(Permission, &str, &str)] = &[
    (Permission::CameraViewLive, "camera.view_live", "watch live video and see cameras and sites"),
    (Permission::CameraViewArchive, "camera.view_archive", "play back recordings"),
    (Permission::CameraPtz, "camera.ptz", "move PTZ cameras"),
    (Permission::CameraExport, "camera.export", "export recordings"),
    (Permission::CameraManage, "camera.manage", "add, change and remove cameras"),
    (Permission::SiteManage, "site.manage", "add, change and remove sites"),
    (Permission::EventRead, "event.read", "read events"),
    (Permission::EventCreate, "event.create", "post events for cameras (integrations)"),
    (Permission::RuleManage, "rule.manage", "manage event rules and their webhooks"),
    (Permission::EvidenceLock, "evidence.lock", "lock bookmarked footage against deletion, and unlock it"),
    (Permission::UserManage, "user.manage", "manage users, roles and their grants"),
    (Permission::ApiKeyManage, "apikey.manage", "create and revoke API keys (within one's own permissions)"),
    (Permission::AuditRead, "audit.read", "search the audit trail"),
    (Permission::SystemManage, "system.manage", "see and change system settings, planes and the licence"),
];

impl Permission {
    /// Every permission, in the order shown to people.
    pub fn all() -> impl Iterator<Item = Permission> {
        TABLE.iter().map(|(p, _, _)| *p)
    }

    fn entry(self) -> &'static (Permission, &'static str, &'static str) {
        TABLE.iter().find(|(p, _, _)| *p == self).expect("every permission is in the table")
    }

    /// The word stored in the database and used in the API (`camera.view_live`).
    pub fn as_str(self) -> &'static str {
        self.entry().1
    }

    /// What it allows, for people.
    pub fn description(self) -> &'static str {
        self.entry().2
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Permission {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        TABLE
            .iter()
            .find(|(_, word, _)| *word == s)
            .map(|(p, _, _)| *p)
            .ok_or_else(|| format!("unknown permission `{s}`"))
    }
}

impl TryFrom<String> for Permission {
    type Error = String;

    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<Permission> for &'static str {
    fn from(p: Permission) -> Self {
        p.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_has_one_word_and_reads_back() {
        let all: Vec<Permission> = Permission::all().collect();
        assert_eq!(all.len(), TABLE.len());
        let words: std::collections::BTreeSet<&str> = all.iter().map(|p| p.as_str()).collect();
        assert_eq!(words.len(), all.len(), "words are distinct");
        for p in all {
            assert_eq!(p.as_str().parse::<Permission>(), Ok(p));
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{p}\""));
        }
        assert!("camera.view".parse::<Permission>().is_err());
    }
}

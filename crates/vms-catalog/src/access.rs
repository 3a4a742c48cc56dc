//! Permissions and what a caller may do where.
//!
//! A user holds roles; each grant of a role applies to the whole tenant, to
//! one site (and so its cameras) or to one camera. [`Access`] folds a user's
//! grants into the permissions in force at each scope and answers checks.
//! It is small and serialisable so it can travel inside an access token.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use vms_base::Permission;

/// Returns whether `name` is a known permission's word.
pub fn is_permission(name: &str) -> bool {
    name.parse::<Permission>().is_ok()
}

/// Where a grant applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum GrantScope {
    /// The whole tenant.
    Tenant,
    /// One site and its cameras.
    Site(Uuid),
    /// One camera.
    Camera(Uuid),
}

impl GrantScope {
    /// Returns `tenant`, `site` or `camera`, as stored.
    pub fn kind(self) -> &'static str {
        match self {
            GrantScope::Tenant => "tenant",
            GrantScope::Site(_) => "site",
            GrantScope::Camera(_) => "camera",
        }
    }

    /// Returns the site or camera id.
    pub fn id(self) -> Option<Uuid> {
        match self {
            GrantScope::Tenant => None,
            GrantScope::Site(id) | GrantScope::Camera(id) => Some(id),
        }
    }

    /// Rebuilds a scope from its stored kind and id.
    pub fn from_parts(kind: &str, id: Option<Uuid>) -> Option<Self> {
        match (kind, id) {
            ("tenant", None) => Some(GrantScope::Tenant),
            ("site", Some(id)) => Some(GrantScope::Site(id)),
            ("camera", Some(id)) => Some(GrantScope::Camera(id)),
            _ => None,
        }
    }
}

/// The permissions a caller holds at each scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    /// Tenant-wide permissions.
    #[serde(rename = "t", default, skip_serializing_if = "BTreeSet::is_empty")]
    pub tenant: BTreeSet<String>,
    /// Permissions on a site and its cameras.
    #[serde(rename = "s", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sites: BTreeMap<Uuid, BTreeSet<String>>,
    /// Permissions on one camera.
    #[serde(rename = "c", default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cameras: BTreeMap<Uuid, BTreeSet<String>>,
}

impl Access {
    /// Folds grants of roles into access.
    pub fn from_grants<'a>(grants: impl IntoIterator<Item = (GrantScope, &'a [String])>) -> Self {
        let mut access = Access::default();
        for (scope, permissions) in grants {
            let set = match scope {
                GrantScope::Tenant => &mut access.tenant,
                GrantScope::Site(id) => access.sites.entry(id).or_default(),
                GrantScope::Camera(id) => access.cameras.entry(id).or_default(),
            };
            set.extend(permissions.iter().cloned());
        }
        access
    }

    /// Holds `permission` across the whole tenant.
    pub fn tenant_wide(&self, permission: Permission) -> bool {
        self.tenant_wide_word(permission.as_str())
    }

    /// Holds `permission` at some scope (a quick gate before resource checks).
    pub fn anywhere(&self, permission: Permission) -> bool {
        let p = permission.as_str();
        self.tenant_wide_word(p)
            || self.sites.values().any(|set| set.contains(p))
            || self.cameras.values().any(|set| set.contains(p))
    }

    /// Holds `permission` on `site` (tenant-wide or granted on the site).
    pub fn on_site(&self, permission: Permission, site: Uuid) -> bool {
        self.on_site_word(permission.as_str(), site)
    }

    /// Holds `permission` on `camera` of `site` (tenant-wide, on its site, or on the camera).
    pub fn on_camera(&self, permission: Permission, site: Uuid, camera: Uuid) -> bool {
        self.on_camera_word(permission.as_str(), site, camera)
    }

    /// Holds `permission` on some camera of `site`, or on the site itself.
    pub fn within_site(&self, permission: Permission, site: Uuid, cameras_of_site: &[Uuid]) -> bool {
        let p = permission.as_str();
        self.on_site_word(p, site)
            || cameras_of_site.iter().any(|c| self.cameras.get(c).is_some_and(|set| set.contains(p)))
    }

    // The checks on stored words: grants read from the database or a token
    // may name words this build does not know, which grant nothing new.
    fn tenant_wide_word(&self, word: &str) -> bool {
        self.tenant.contains(word)
    }

    fn on_site_word(&self, word: &str, site: Uuid) -> bool {
        self.tenant_wide_word(word) || self.sites.get(&site).is_some_and(|set| set.contains(word))
    }

    fn on_camera_word(&self, word: &str, site: Uuid, camera: Uuid) -> bool {
        self.on_site_word(word, site) || self.cameras.get(&camera).is_some_and(|set| set.contains(word))
    }

    /// Keeps only the permissions in `allowed` (API keys carry a subset of their creator's).
    pub fn restricted_to(&self, allowed: &[String]) -> Access {
        let keep = |set: &BTreeSet<String>| -> BTreeSet<String> {
            set.iter().filter(|p| allowed.contains(p)).cloned().collect()
        };
        let keep_map = |map: &BTreeMap<Uuid, BTreeSet<String>>| {
            map.iter().map(|(id, set)| (*id, keep(set))).filter(|(_, set)| !set.is_empty()).collect()
        };
        Access { tenant: keep(&self.tenant), sites: keep_map(&self.sites), cameras: keep_map(&self.cameras) }
    }

    /// Holds everything `other` holds, each permission at the same scope or a
    /// wider one: tenant-wide covers everything; a site grant covers that site
    /// and its cameras. `site_of` names a camera's site; a camera it does not
    /// know is covered only tenant-wide or by a grant on that camera.
    pub fn covers(&self, other: &Access, site_of: impl Fn(Uuid) -> Option<Uuid>) -> bool {
        other.tenant.iter().all(|p| self.tenant_wide_word(p))
            && other.sites.iter().all(|(site, set)| set.iter().all(|p| self.on_site_word(p, *site)))
            && other.cameras.iter().all(|(camera, set)| {
                set.iter().all(|p| match site_of(*camera) {
                    Some(site) => self.on_camera_word(p, site, *camera),
                    None => self.tenant_wide_word(p) || self.cameras.get(camera).is_some_and(|held| held.contains(p)),
                })
            })
    }

    /// Returns every permission held anywhere.
    pub fn all_permissions(&self) -> BTreeSet<String> {
        let mut all = self.tenant.clone();
        for set in self.sites.values().chain(self.cameras.values()) {
            all.extend(set.iter().cloned());
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perms(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn scopes_nest_tenant_over_site_over_camera() {
        let (site, other_site, cam, other_cam) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let view = perms(&["camera.view_live"]);
        let ptz = perms(&["camera.ptz"]);
        let access =
            Access::from_grants([(GrantScope::Site(site), &view[..]), (GrantScope::Camera(other_cam), &ptz[..])]);
        assert!(access.on_camera(Permission::CameraViewLive, site, cam), "site grant covers its cameras");
        assert!(!access.on_camera(Permission::CameraViewLive, other_site, other_cam));
        assert!(access.on_camera(Permission::CameraPtz, other_site, other_cam), "camera grant covers that camera");
        assert!(!access.on_camera(Permission::CameraPtz, site, cam));
        assert!(!access.tenant_wide(Permission::CameraViewLive));
        assert!(access.anywhere(Permission::CameraPtz));
        assert!(access.within_site(Permission::CameraPtz, other_site, &[other_cam]));

        let admin = Access::from_grants([(GrantScope::Tenant, &view[..])]);
        assert!(admin.on_camera(Permission::CameraViewLive, other_site, cam));
    }

    #[test]
    fn restriction_keeps_only_allowed_permissions() {
        let site = Uuid::new_v4();
        let all = perms(&["camera.view_live", "camera.manage"]);
        let access = Access::from_grants([(GrantScope::Tenant, &all[..]), (GrantScope::Site(site), &all[..])]);
        let key = access.restricted_to(&perms(&["camera.view_live"]));
        assert!(key.tenant_wide(Permission::CameraViewLive));
        assert!(!key.anywhere(Permission::CameraManage));
    }

    #[test]
    fn covering_means_each_permission_at_the_same_scope_or_wider() {
        let (site, other_site, cam, cam_elsewhere) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let site_of = |c: Uuid| (c == cam).then_some(site).or((c == cam_elsewhere).then_some(other_site));
        let (view, manage) = (perms(&["camera.view_live"]), perms(&["user.manage", "camera.view_live"]));
        let on = |scope: GrantScope, p: &[String]| Access::from_grants([(scope, p)]);

        let tenant_viewer = on(GrantScope::Tenant, &view);
        let site_viewer = on(GrantScope::Site(site), &view);
        let cam_viewer = on(GrantScope::Camera(cam), &view);
        assert!(tenant_viewer.covers(&site_viewer, site_of) && tenant_viewer.covers(&cam_viewer, site_of));
        assert!(site_viewer.covers(&cam_viewer, site_of), "a site grant covers its cameras");
        assert!(!site_viewer.covers(&tenant_viewer, site_of), "narrower does not cover wider");
        assert!(!cam_viewer.covers(&site_viewer, site_of));
        assert!(!on(GrantScope::Site(other_site), &view).covers(&cam_viewer, site_of), "another site's grant");
        assert!(!site_viewer.covers(&on(GrantScope::Camera(cam_elsewhere), &view), site_of));
        assert!(!site_viewer.covers(&on(GrantScope::Camera(Uuid::new_v4()), &view), site_of), "unknown camera");
        assert!(cam_viewer.covers(&cam_viewer, |_| None), "the same grant covers itself");

        let admin = on(GrantScope::Tenant, &manage);
        assert!(admin.covers(&tenant_viewer, site_of) && !tenant_viewer.covers(&admin, site_of));
        assert!(!tenant_viewer.covers(&on(GrantScope::Camera(cam), &manage), site_of), "a permission not held");
        assert!(
            tenant_viewer.covers(&Access::default(), site_of) && Access::default().covers(&Access::default(), site_of)
        );
    }

    #[test]
    fn serialises_compactly_and_round_trips() {
        let v = perms(&["camera.view_live"]);
        let access = Access::from_grants([(GrantScope::Camera(Uuid::nil()), &v[..])]);
        let json = serde_json::to_string(&access).unwrap();
        assert_eq!(json, r#"{"c":{"00000000-0000-0000-0000-000000000000":["camera.view_live"]}}"#);
        assert_eq!(serde_json::from_str::<Access>(&json).unwrap(), access);
        assert!(Permission::all().all(|p| is_permission(p.as_str())));
    }
}

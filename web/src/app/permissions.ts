// What the signed-in user may do, read from `/api/auth/me`. The words are
// those of `vms_base::permission::Permission`; the server checks every
// request again, so this only decides what the app offers.

import type { Me } from "../api/types";

export const Permission = {
  ViewLive: "camera.view_live",
  ViewArchive: "camera.view_archive",
  Ptz: "camera.ptz",
  Export: "camera.export",
  ManageCameras: "camera.manage",
  ManageSites: "site.manage",
  ReadEvents: "event.read",
  CreateEvents: "event.create",
  ManageRules: "rule.manage",
  LockEvidence: "evidence.lock",
  ManageUsers: "user.manage",
  ManageApiKeys: "apikey.manage",
  ReadAudit: "audit.read",
  ManageSystem: "system.manage",
} as const;

export type Permission = (typeof Permission)[keyof typeof Permission];

/// Holds `permission` at some scope (tenant-wide, on a site or on a camera).
export function holds(me: Me, permission: Permission): boolean {
  return me.permissions.includes(permission);
}

/// Holds one of `permissions` somewhere.
export function holdsAny(me: Me, permissions: readonly Permission[]): boolean {
  return permissions.some((p) => holds(me, p));
}

/// Holds `permission` on `camera`: tenant-wide, on its site, or on the camera
/// itself (`vms_catalog::access::Access::on_camera`). Without the scoped
/// grants (an older server), holding it anywhere counts.
export function holdsOnCamera(me: Me, permission: Permission, camera: { id: string; site_id: string }): boolean {
  const access = me.access;
  if (!access) return holds(me, permission);
  return (
    (access.t ?? []).includes(permission) ||
    (access.s?.[camera.site_id] ?? []).includes(permission) ||
    (access.c?.[camera.id] ?? []).includes(permission)
  );
}

/// Holds `permission` across the whole tenant (what, say, a network scan
/// needs: it may find any site's devices). Without the scoped grants (an
/// older server), holding it anywhere counts.
export function holdsTenantWide(me: Me, permission: Permission): boolean {
  const access = me.access;
  if (!access) return holds(me, permission);
  return (access.t ?? []).includes(permission);
}

/// Holds `permission` on `site`: tenant-wide or on the site itself.
/// Without the scoped grants (an older server), holding it anywhere counts.
export function holdsOnSite(me: Me, permission: Permission, site: string): boolean {
  const access = me.access;
  if (!access) return holds(me, permission);
  return (access.t ?? []).includes(permission) || (access.s?.[site] ?? []).includes(permission);
}

/// Holds `permission` tenant-wide or on at least one site (what the NVRs
/// need: each belongs to a site), not only on single cameras. Without the
/// scoped grants (an older server), holding it anywhere counts.
export function holdsOnSomeSite(me: Me, permission: Permission): boolean {
  const access = me.access;
  if (!access) return holds(me, permission);
  return (access.t ?? []).includes(permission) || Object.values(access.s ?? {}).some((held) => held.includes(permission));
}

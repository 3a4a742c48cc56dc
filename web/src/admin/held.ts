// What the signed-in user holds tenant-wide: only that may they put into a
// role or grant to someone (the server checks it again).

import type { Me } from "../api/types";

/// Holds `permission` across the whole tenant (a super-admin holds everything).
/// Without the scoped grants (an older server), holding it anywhere counts.
export function heldTenantWide(me: Me, permission: string): boolean {
  if (me.super_admin) return true;
  if (!me.access) return me.permissions.includes(permission);
  return (me.access.t ?? []).includes(permission);
}

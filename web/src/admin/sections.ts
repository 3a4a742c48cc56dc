// The admin screen's sections: each a tab with its own address under
// `/admin`, shown only to those holding what the server requires of its
// routes (`vms_control::routes::ROUTES`).

import type { Me } from "../api/types";
import { Permission, holds } from "../app/permissions";

export type SectionId = "users" | "roles" | "api-keys" | "audit" | "sites" | "tenants" | "licence" | "account";

export interface AdminSection {
  /// The address under `/admin`, also the route.
  id: SectionId;
  label: string;
  /// What opening it needs, in words for a refusal.
  needs: string;
  /// Whether `me` may open it.
  open: (me: Me) => boolean;
}

const superAdmin = (me: Me) => me.super_admin;

/// The sections in tab order.
export const SECTIONS: readonly AdminSection[] = [
  { id: "users", label: "Users", needs: Permission.ManageUsers, open: (me) => holds(me, Permission.ManageUsers) },
  { id: "roles", label: "Roles", needs: Permission.ManageUsers, open: (me) => holds(me, Permission.ManageUsers) },
  { id: "api-keys", label: "API keys", needs: Permission.ManageApiKeys, open: (me) => holds(me, Permission.ManageApiKeys) },
  { id: "audit", label: "Audit log", needs: Permission.ReadAudit, open: (me) => holds(me, Permission.ReadAudit) },
  { id: "sites", label: "Sites", needs: Permission.ManageSites, open: (me) => holds(me, Permission.ManageSites) },
  { id: "tenants", label: "Tenants", needs: "a super-admin", open: superAdmin },
  { id: "licence", label: "Licence", needs: "a super-admin", open: superAdmin },
  { id: "account", label: "My account", needs: "a signed-in user", open: () => true },
];

/// The sections `me` may open, in tab order.
export function openSections(me: Me): AdminSection[] {
  return SECTIONS.filter((s) => s.open(me));
}

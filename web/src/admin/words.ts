// Admin's words for people: errors as sentences, times, and what each
// permission allows (the words of `vms_base::permission::Permission`).

import { Permission } from "../app/permissions";
import { formatWhen } from "../playback/when";

/// The reason an error gives, for "Cannot … : <reason>".
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/// The server's password policy (`vms_catalog::password::policy_violation`),
/// which it checks itself.
export const PASSWORD_RULE = "At least 12 characters, mixing two of: lower case, upper case, digits, symbols.";

/// An RFC 3339 time as local `YYYY-MM-DD HH:MM:SS`, or `fallback` when absent.
export function when(text: string | null | undefined, fallback = "never"): string {
  if (!text) return fallback;
  const t = Date.parse(text);
  return Number.isFinite(t) ? formatWhen(t) : text;
}

/// What each permission allows, in the order shown to people
/// (`vms_base::permission::TABLE`); `GET /api/roles` gives the same list.
export const PERMISSION_WORDS: readonly { name: Permission; description: string }[] = [
  { name: Permission.ViewLive, description: "watch live video and see cameras and sites" },
  { name: Permission.ViewArchive, description: "play back recordings" },
  { name: Permission.Ptz, description: "move PTZ cameras" },
  { name: Permission.Export, description: "export recordings" },
  { name: Permission.ManageCameras, description: "add, change and remove cameras" },
  { name: Permission.ManageSites, description: "add, change and remove sites" },
  { name: Permission.ReadEvents, description: "read events" },
  { name: Permission.CreateEvents, description: "post events for cameras (integrations)" },
  { name: Permission.ManageRules, description: "manage event rules and their webhooks" },
  { name: Permission.LockEvidence, description: "lock bookmarked footage against deletion, and unlock it" },
  { name: Permission.ManageUsers, description: "manage users, roles and their grants" },
  { name: Permission.ManageApiKeys, description: "create and revoke API keys (within one's own permissions)" },
  { name: Permission.ReadAudit, description: "search the audit trail" },
  { name: Permission.ManageSystem, description: "see and change system settings, planes and the licence" },
];

/// What `permission` allows, or nothing for a word this app does not know.
export function permissionText(permission: string): string {
  return PERMISSION_WORDS.find((p) => p.name === permission)?.description ?? "";
}

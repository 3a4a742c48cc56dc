// A user's role grants as the forms edit them: a role and where it applies
// (the whole tenant, one site or one camera), read from the API's
// `GrantView`s, written back as its `RoleInput`s, and told in words.

import type { CameraSummary, GrantView, RoleInput, SiteView } from "./types";

/// Where a grant applies: `tenant`, `site:<id>` or `camera:<id>`.
export type Where = "tenant" | `site:${string}` | `camera:${string}`;

/// One grant being edited.
export interface GrantDraft {
  role: string;
  where: Where;
}

export function draftOf(grant: GrantView): GrantDraft {
  if (grant.scope === "site" && grant.scope_id) return { role: grant.role, where: `site:${grant.scope_id}` };
  if (grant.scope === "camera" && grant.scope_id) return { role: grant.role, where: `camera:${grant.scope_id}` };
  return { role: grant.role, where: "tenant" };
}

/// The API's input for a grant: the bare name when tenant-wide.
export function inputOf(draft: GrantDraft): RoleInput {
  if (draft.where === "tenant") return draft.role;
  const [kind, id] = draft.where.split(":") as ["site" | "camera", string];
  return kind === "site" ? { role: draft.role, site_id: id } : { role: draft.role, camera_id: id };
}

const key = (d: GrantDraft) => `${d.role}@${d.where}`;

/// The drafts without repeats, in their order.
export function distinct(drafts: GrantDraft[]): GrantDraft[] {
  const seen = new Set<string>();
  return drafts.filter((d) => !seen.has(key(d)) && seen.add(key(d)));
}

/// Whether two lists grant the same, in any order.
export function sameGrants(a: GrantDraft[], b: GrantDraft[]): boolean {
  const left = new Set(distinct(a).map(key));
  const right = new Set(distinct(b).map(key));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

/// Site and camera names by id, for telling where a grant applies.
export interface Places {
  sites: SiteView[];
  cameras: CameraSummary[];
}

/// "the whole tenant", "site HQ", "camera Front door" (or a short id when unknown).
export function whereText(where: Where, places: Places): string {
  if (where === "tenant") return "the whole tenant";
  const [kind, id] = where.split(":");
  const name = kind === "site" ? places.sites.find((s) => s.id === id)?.name : places.cameras.find((c) => c.id === id)?.name;
  return `${kind} ${name ?? id.slice(0, 8)}`;
}

/// "operator", "viewer on site HQ".
export function grantText(grant: GrantView, places: Places): string {
  const draft = draftOf(grant);
  return draft.where === "tenant" ? draft.role : `${draft.role} on ${whereText(draft.where, places)}`;
}

// The audit log's address and its API query: the filters (`from`, `to`,
// `actor`, `action`, `outcome`, `target_kind`, `target_id`) live in the
// address, so a search can be shared and survives a reload; the API takes
// them as `GET /api/audit` does, with the previous page's `next_cursor` for
// older pages.

import { parseWhen } from "../playback/when";

export interface AuditFilters {
  /// As typed: a picker's local time, RFC 3339 or "-24h".
  from: string;
  to: string;
  /// A user or API key id.
  actor: string;
  /// Actions starting with this (`auth.`, `user.create`).
  action: string;
  /// `success`, `failure`, `denied`, or empty for any.
  outcome: string;
  target_kind: string;
  target_id: string;
}

const KEYS = ["from", "to", "actor", "action", "outcome", "target_kind", "target_id"] as const;

export const NO_FILTERS: AuditFilters = { from: "", to: "", actor: "", action: "", outcome: "", target_kind: "", target_id: "" };

export function parseAuditFilters(search: string | URLSearchParams): AuditFilters {
  const query = typeof search === "string" ? new URLSearchParams(search) : search;
  const filters = { ...NO_FILTERS };
  for (const key of KEYS) filters[key] = query.get(key)?.trim() ?? "";
  return filters;
}

/// The address's query (with its `?`) for `filters`.
export function auditSearch(filters: AuditFilters): string {
  const query = new URLSearchParams();
  for (const key of KEYS) if (filters[key].trim()) query.set(key, filters[key].trim());
  const text = query.toString();
  return text ? `?${text}` : "";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/// The API's query for `filters`, after `cursor` (a page's `next_cursor`)
/// when paging; or what is wrong with the filters, in words.
export function auditApiQuery(
  filters: AuditFilters,
  limit: number,
  now: number,
  cursor?: string,
): { query: URLSearchParams } | { problem: string } {
  const query = new URLSearchParams();
  for (const [key, label] of [
    ["from", "From"],
    ["to", "To"],
  ] as const) {
    if (!filters[key]) continue;
    const t = parseWhen(filters[key], now);
    if (t === null) return { problem: `${label} is not a time: ${filters[key]}` };
    query.set(key, new Date(t).toISOString());
  }
  if (filters.actor) {
    if (!UUID.test(filters.actor)) return { problem: "Actor must be the id of a user or an API key." };
    query.set("actor_id", filters.actor);
  }
  if (filters.outcome && !["success", "failure", "denied"].includes(filters.outcome)) {
    return { problem: "Outcome must be success, failure or denied." };
  }
  for (const key of ["action", "outcome", "target_kind", "target_id"] as const) if (filters[key]) query.set(key, filters[key]);
  query.set("limit", String(limit));
  if (cursor !== undefined) query.set("cursor", cursor);
  return { query };
}

// One audit entry: when, who, what on which target, from where, how it
// ended, and its details as labelled lines (never raw JSON). The actor and
// the target narrow the search to themselves.

import type { AuditView } from "./types";
import { when } from "./words";

export interface AuditRowProps {
  entry: AuditView;
  onActor: (id: string) => void;
  onTarget: (kind: string, id: string) => void;
}

/// A detail's value as text: lists joined, nested fields as `key: value`.
function valueText(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(valueText).join(", ");
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${valueText(v)}`)
      .join("; ");
  }
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

/// The details as label and text, one per field.
export function detailLines(details: unknown): [string, string][] {
  if (details === null || details === undefined) return [];
  if (typeof details !== "object" || Array.isArray(details)) return [["detail", valueText(details)]];
  return Object.entries(details as Record<string, unknown>).map(([k, v]) => [k.replace(/_/g, " "), valueText(v)]);
}

export function AuditRow({ entry, onActor, onTarget }: AuditRowProps) {
  const lines = detailLines(entry.details);
  return (
    <tr data-seq={entry.seq} className={`outcome-${entry.outcome}`}>
      <td className="nowrap">
        <time dateTime={entry.occurred_at}>{when(entry.occurred_at)}</time>
        <span className="muted"> #{entry.seq}</span>
      </td>
      <td>
        {entry.actor_id ? (
          <button type="button" className="link" title="Show only this actor's entries" onClick={() => onActor(entry.actor_id!)}>
            {entry.actor_name || entry.actor_id.slice(0, 8)}
          </button>
        ) : (
          entry.actor_name || entry.actor_kind
        )}
        <span className="muted"> {entry.actor_kind.replace(/_/g, " ")}</span>
      </td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td>
        {entry.target_kind || entry.target_id ? (
          <button
            type="button"
            className="link"
            title="Show only this target's entries"
            onClick={() => onTarget(entry.target_kind, entry.target_id)}
          >
            {entry.target_kind} {entry.target_id && entry.target_id.slice(0, 8)}
          </button>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <span className={`outcome ${entry.outcome}`}>{entry.outcome}</span>
      </td>
      <td>{entry.source_ip}</td>
      <td>
        {lines.length > 0 && (
          <dl className="details">
            {lines.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        )}
      </td>
    </tr>
  );
}

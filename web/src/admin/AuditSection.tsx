// The audit log: the tenant's tamper-evident trail, newest first, searched
// by time, actor, action, outcome and target (kept in the address), and
// paged back through older entries.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";

import { useApp } from "../app/context";
import { searchAudit } from "./api";
import { type AuditFilters, NO_FILTERS, auditApiQuery, auditSearch, parseAuditFilters } from "./auditQuery";
import { AuditRow } from "./AuditRow";
import type { AuditView } from "./types";
import { reason } from "./words";

const PAGE = 100;

export function AuditSection() {
  const { api } = useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const key = params.toString();
  const filters = useMemo(() => parseAuditFilters(key), [key]);
  const [draft, setDraft] = useState<AuditFilters>(filters);
  const [items, setItems] = useState<AuditView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inflight = useRef<AbortController | null>(null);

  useEffect(() => setDraft(filters), [filters]);

  const load = useCallback(
    (older?: string) => {
      inflight.current?.abort();
      const asked = auditApiQuery(filters, PAGE, Date.now(), older);
      if ("problem" in asked) {
        setError(asked.problem);
        setItems([]);
        setCursor(null);
        return;
      }
      const abort = new AbortController();
      inflight.current = abort;
      setLoading(true);
      setError(null);
      (async () => searchAudit(api, asked.query, abort.signal))().then(
        (page) => {
          if (abort.signal.aborted) return;
          setItems((list) => (older === undefined ? page.items : [...list, ...page.items.filter((e) => !list.some((x) => x.seq === e.seq))]));
          setCursor(page.next_cursor ?? null);
          setLoading(false);
        },
        (e: unknown) => {
          if (abort.signal.aborted) return;
          setError(`Cannot load the audit log: ${reason(e)}`);
          setLoading(false);
        },
      );
    },
    [api, filters],
  );
  useEffect(() => {
    load();
    return () => inflight.current?.abort();
  }, [load]);

  const go = (next: AuditFilters) => navigate({ search: auditSearch(next) });
  const set = (field: keyof AuditFilters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft({ ...draft, [field]: e.target.value });
  const filtered = auditSearch(filters) !== "";

  return (
    <section className="admin-section" aria-label="Audit log">
      <div className="section-bar">
        <h2>Audit log</h2>
      </div>
      <form
        className="admin-filters"
        aria-label="Audit search"
        onSubmit={(e) => {
          e.preventDefault();
          go(draft);
        }}
      >
        <label>
          From
          <input type="datetime-local" step="1" value={draft.from} onChange={set("from")} />
        </label>
        <label>
          To
          <input type="datetime-local" step="1" value={draft.to} onChange={set("to")} />
        </label>
        <label>
          Actor id
          <input value={draft.actor} placeholder="user or key id" spellCheck={false} onChange={set("actor")} />
        </label>
        <label>
          Action begins with
          <input value={draft.action} placeholder="auth. or user.create" onChange={set("action")} />
        </label>
        <label>
          Outcome
          <select value={draft.outcome} onChange={set("outcome")}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="failure">Failure</option>
            <option value="denied">Denied</option>
          </select>
        </label>
        <label>
          Target kind
          <input value={draft.target_kind} placeholder="camera" onChange={set("target_kind")} />
        </label>
        <label>
          Target id
          <input value={draft.target_id} spellCheck={false} onChange={set("target_id")} />
        </label>
        <button type="submit" className="primary">
          Search
        </button>
        {filtered && (
          <button type="button" onClick={() => go(NO_FILTERS)}>
            Clear filters
          </button>
        )}
      </form>
      <p className="hint">
        Entries are numbered (#) in a tamper-evident chain. This screen does not check the chain: the server reports no
        verification here; run <code>vms audit verify</code> on the server for that.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}{" "}
          <button type="button" onClick={() => load(items.length > 0 && cursor !== null ? cursor : undefined)}>
            Try again
          </button>
        </p>
      )}
      {items.length > 0 && (
        <table className="admin-table audit" aria-label="Audit entries" aria-busy={loading}>
          <thead>
            <tr>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Target</th>
              <th>Outcome</th>
              <th>From</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <AuditRow
                key={e.seq}
                entry={e}
                onActor={(actor) => go({ ...filters, actor })}
                onTarget={(target_kind, target_id) => go({ ...filters, target_kind, target_id })}
              />
            ))}
          </tbody>
        </table>
      )}
      {!loading && !error && items.length === 0 && <p className="muted">No entries match.</p>}
      <div className="list-end">
        {loading ? (
          <span>Loading…</span>
        ) : (
          cursor !== null &&
          !error && (
            <button type="button" onClick={() => load(cursor)}>
              Load older entries
            </button>
          )
        )}
      </div>
    </section>
  );
}

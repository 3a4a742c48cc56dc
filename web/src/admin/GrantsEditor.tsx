// Choosing a user's roles: a tick per role granted tenant-wide, and grants
// limited to one site or one camera, each a row of role and place.

import type { RoleView } from "./types";
import { type GrantDraft, type Places, type Where, whereText } from "./grants";

export interface GrantsEditorProps {
  roles: RoleView[];
  places: Places;
  value: GrantDraft[];
  onChange: (value: GrantDraft[]) => void;
}

export function GrantsEditor({ roles, places, value, onChange }: GrantsEditorProps) {
  const tenantWide = (role: string) => value.some((g) => g.role === role && g.where === "tenant");
  const toggle = (role: string) =>
    onChange(tenantWide(role) ? value.filter((g) => !(g.role === role && g.where === "tenant")) : [...value, { role, where: "tenant" }]);
  // Scoped grants keep their index in `value`, so each row edits its own.
  const scoped = value.map((g, i) => ({ g, i })).filter(({ g }) => g.where !== "tenant");
  const choices: Where[] = [...places.sites.map((s) => `site:${s.id}` as const), ...places.cameras.map((c) => `camera:${c.id}` as const)];
  const change = (i: number, next: Partial<GrantDraft>) => onChange(value.map((g, j) => (j === i ? { ...g, ...next } : g)));
  const add = () => onChange([...value, { role: roles[0].name, where: choices[0] }]);
  // Roles granted that the list lacks (another tenant's view, a race) still show.
  const known = new Set(roles.map((r) => r.name));
  const unlisted = [...new Set(value.filter((g) => g.where === "tenant" && !known.has(g.role)).map((g) => g.role))];

  return (
    <>
      <fieldset className="grants">
        <legend>Roles across the whole tenant</legend>
        {roles.map((r) => (
          <label key={r.id} className="check" title={r.description}>
            <input type="checkbox" checked={tenantWide(r.name)} onChange={() => toggle(r.name)} />
            {r.name}
            {r.description && <span className="muted"> — {r.description}</span>}
          </label>
        ))}
        {unlisted.map((name) => (
          <label key={name} className="check">
            <input type="checkbox" checked onChange={() => toggle(name)} />
            {name}
          </label>
        ))}
      </fieldset>
      <fieldset className="grants">
        <legend>Roles on one site or camera</legend>
        {scoped.length === 0 && <p className="muted">None.</p>}
        {scoped.map(({ g, i }, n) => (
          <div key={i} className="grant-row">
            <label>
              Role of grant {n + 1}
              <select value={g.role} onChange={(e) => change(i, { role: e.target.value })}>
                {!known.has(g.role) && <option value={g.role}>{g.role}</option>}
                {roles.map((r) => (
                  <option key={r.id} value={r.name}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Place of grant {n + 1}
              <select value={g.where} onChange={(e) => change(i, { where: e.target.value as Where })}>
                {!choices.includes(g.where) && <option value={g.where}>{whereText(g.where, places)}</option>}
                {places.sites.length > 0 && (
                  <optgroup label="Sites">
                    {places.sites.map((s) => (
                      <option key={s.id} value={`site:${s.id}`}>
                        {s.name}
                      </option>
                    ))}
                  </optgroup>
                )}
                {places.cameras.length > 0 && (
                  <optgroup label="Cameras">
                    {places.cameras.map((c) => (
                      <option key={c.id} value={`camera:${c.id}`}>
                        {c.name}
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
            </label>
            <button type="button" onClick={() => onChange(value.filter((_, j) => j !== i))}>
              Remove grant {n + 1}
            </button>
          </div>
        ))}
        {roles.length > 0 && choices.length > 0 ? (
          <button type="button" onClick={add}>
            Add a grant on a site or camera
          </button>
        ) : (
          <p className="muted">No site or camera is listed to grant a role on.</p>
        )}
      </fieldset>
    </>
  );
}

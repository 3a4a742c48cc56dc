// Writing a user: a new one (login name, name, first password, roles), or
// an existing one's name, whether they may sign in, and their roles. Only
// what changed is sent, since new roles or disabling end their sessions.

import { useId, useState } from "react";

import { useApp } from "../app/context";
import { Problem } from "../components/Feedback";
import { createUser, updateUser } from "./api";
import { GrantsEditor } from "./GrantsEditor";
import { type GrantDraft, type Places, distinct, draftOf, inputOf, sameGrants } from "./grants";
import type { RoleView, UpdateUser, UserView } from "./types";
import { PASSWORD_RULE, reason } from "./words";

export interface UserFormProps {
  /// The user to change; absent for a new one.
  user?: UserView;
  roles: RoleView[];
  places: Places;
  onDone: (user: UserView) => void;
  onCancel: () => void;
}

export function UserForm({ user, roles, places, onDone, onCancel }: UserFormProps) {
  const { api, me } = useApp();
  const hint = useId();
  const initial = user ? user.roles.map(draftOf) : [];
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState(user?.display_name ?? "");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [disabled, setDisabled] = useState(user?.disabled ?? false);
  const [grants, setGrants] = useState<GrantDraft[]>(initial);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const yourself = user?.id === me.id;
  const title = user ? `Edit user ${user.username}` : "New user";

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!user) {
      if (!username.trim()) return setProblem("Give the user a login name.");
      if (password !== repeat) return setProblem("The two passwords differ.");
    }
    setBusy(true);
    setProblem(null);
    try {
      const roles = distinct(grants).map(inputOf);
      if (user) {
        const change: UpdateUser = {};
        if (displayName.trim() !== user.display_name) change.display_name = displayName.trim();
        if (disabled !== user.disabled) change.disabled = disabled;
        if (!sameGrants(grants, initial)) change.roles = roles;
        onDone(Object.keys(change).length > 0 ? await updateUser(api, user.id, change) : user);
      } else {
        onDone(await createUser(api, { username: username.trim(), password, display_name: displayName.trim(), roles }));
      }
    } catch (error) {
      setProblem(`Cannot save the user: ${reason(error)}`);
      setBusy(false);
    }
  };

  return (
    <form className="admin-form" aria-label={title} onSubmit={submit}>
      <h2>{title}</h2>
      {!user && (
        <>
          <label>
            Login name
            <input
              value={username}
              maxLength={100}
              required
              autoComplete="off"
              aria-describedby={`${hint}-name`}
              onChange={(e) => setUsername(e.target.value)}
            />
          </label>
          <span className="hint" id={`${hint}-name`}>
            Letters, digits and . _ @ - only.
          </span>
        </>
      )}
      <label>
        Full name
        <input value={displayName} maxLength={200} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      {!user && (
        <>
          <label>
            Password
            <input
              type="password"
              value={password}
              required
              autoComplete="new-password"
              aria-describedby={`${hint}-password`}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          <span className="hint" id={`${hint}-password`}>
            {PASSWORD_RULE}
          </span>
          <label>
            Repeat the password
            <input type="password" value={repeat} required autoComplete="new-password" onChange={(e) => setRepeat(e.target.value)} />
          </label>
        </>
      )}
      {user && !yourself && (
        <label className="check">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />
          Disabled: may not sign in (disabling ends their sessions)
        </label>
      )}
      <GrantsEditor roles={roles} places={places} value={grants} onChange={setGrants} />
      {user && !sameGrants(grants, initial) && (
        <p className="hint">
          {yourself ? "Saving new roles ends your sessions, this one too: you sign in again." : "Saving new roles ends the user's sessions: they sign in again."}
        </p>
      )}
      <Problem>{problem}</Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {user ? "Save user" : "Create user"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

// Users: the tenant's accounts with their roles and whether they may sign
// in; create one, change one, delete one, or issue a one-time password
// reset token, which is shown once.

import { useCallback, useState } from "react";

import { useApp } from "../app/context";
import { Notice, Problem, LoadFailed } from "../components/Feedback";
import { deleteUser, issuePasswordReset, listCameras, listRoles, listSites, listUsers } from "./api";
import type { Places } from "./grants";
import { OnceSecret } from "./OnceSecret";
import type { PasswordResetView, UserView } from "./types";
import { useLoad } from "./useLoad";
import { UserForm } from "./UserForm";
import { UserRow } from "./UserRow";
import { reason, when } from "./words";

export function UsersSection() {
  const { api } = useApp();
  const users = useLoad(useCallback(() => listUsers(api), [api]));
  const roles = useLoad(useCallback(() => listRoles(api), [api]));
  const places = useLoad(
    useCallback(async (): Promise<Places> => {
      const [sites, cameras] = await Promise.all([listSites(api), listCameras(api)]);
      return { sites, cameras };
    }, [api]),
  );
  const [editing, setEditing] = useState<UserView | "new" | null>(null);
  const [reset, setReset] = useState<{ user: UserView; token: PasswordResetView } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const act = async (user: UserView, what: string, action: () => Promise<void>) => {
    setBusy(user.id);
    setProblem(null);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setProblem(`Cannot ${what} ${user.username}: ${reason(e)}`);
    } finally {
      setBusy(null);
    }
  };
  const saved = (user: UserView) => {
    const isNew = editing === "new";
    setEditing(null);
    users.update((list) => (isNew ? [...list, user].sort((a, b) => a.username.localeCompare(b.username)) : list.map((u) => (u.id === user.id ? user : u))));
    setNotice(isNew ? `User ${user.username} created.` : `User ${user.username} saved.`);
  };
  const remove = (user: UserView) => {
    if (!window.confirm(`Delete the user ${user.username}? They can no longer sign in, and their sessions end.`)) return;
    void act(user, "delete", async () => {
      await deleteUser(api, user.id);
      users.update((list) => list.filter((u) => u.id !== user.id));
      setNotice(`User ${user.username} deleted.`);
    });
  };
  const issueReset = (user: UserView) => {
    if (!window.confirm(`Issue a one-time password reset token for ${user.username}? Their password stays as it is until they use it.`)) return;
    void act(user, "issue a password reset for", async () => {
      setReset({ user, token: await issuePasswordReset(api, user.id) });
    });
  };

  const knownPlaces = places.value ?? { sites: [], cameras: [] };
  return (
    <section className="admin-section" aria-label="Users">
      <div className="section-bar">
        <h2>Users</h2>
        {editing === null && (
          <button type="button" className="primary" onClick={() => setEditing("new")}>
            New user
          </button>
        )}
      </div>
      {editing !== null && (
        <>
          {roles.error && (
            <p className="error" role="alert">
              Cannot load the roles to grant: {roles.error}
            </p>
          )}
          {places.error && (
            <p className="hint">Sites and cameras are not listed ({places.error}): roles can be granted tenant-wide only.</p>
          )}
          <UserForm
            key={editing === "new" ? "new" : editing.id}
            user={editing === "new" ? undefined : editing}
            roles={roles.value?.items ?? []}
            places={knownPlaces}
            onDone={saved}
            onCancel={() => setEditing(null)}
          />
        </>
      )}
      {reset && (
        <OnceSecret title={`Password reset for ${reset.user.username}`} label="Reset token" secret={reset.token.token} onDone={() => setReset(null)}>
          <p className="hint">
            Hand it to {reset.user.username} by a safe way. It sets a new password once, until {when(reset.token.expires_at)}; their
            present password keeps working until then.
          </p>
        </OnceSecret>
      )}
      <Notice>{notice}</Notice>
      <Problem>{problem}</Problem>
      <LoadFailed what="users" error={users.error} onRetry={users.reload} />
      {users.loading && !users.value && <p className="muted">Loading…</p>}
      {users.value && (
        <table className="admin-table" aria-label="User list">
          <thead>
            <tr>
              <th>Login name</th>
              <th>Full name</th>
              <th>Roles</th>
              <th>Status</th>
              <th>Last sign-in</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.value.map((u) => (
              <UserRow
                key={u.id}
                user={u}
                places={knownPlaces}
                busy={busy === u.id}
                onEdit={() => setEditing(u)}
                onReset={() => issueReset(u)}
                onDelete={() => remove(u)}
              />
            ))}
          </tbody>
        </table>
      )}
      {users.value?.length === 0 && <p className="muted">No users.</p>}
    </section>
  );
}

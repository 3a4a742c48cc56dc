// One user in the list: login and full name, roles and where they apply,
// whether they may sign in, their last sign-in, and what may be done.

import { useApp } from "../app/context";
import { type Places, grantText } from "./grants";
import type { UserView } from "./types";
import { when } from "./words";

export interface UserRowProps {
  user: UserView;
  places: Places;
  busy: boolean;
  onEdit: () => void;
  onReset: () => void;
  onDelete: () => void;
}

export function UserRow({ user, places, busy, onEdit, onReset, onDelete }: UserRowProps) {
  const { me } = useApp();
  const yourself = user.id === me.id;
  return (
    <tr data-user={user.id} className={user.disabled ? "disabled" : undefined}>
      <td>
        <strong>{user.username}</strong>
        {yourself && <span className="badge">you</span>}
        {user.super_admin && <span className="badge">super-admin</span>}
      </td>
      <td>{user.display_name}</td>
      <td>{user.roles.length > 0 ? user.roles.map((g) => grantText(g, places)).join(", ") : <span className="muted">none</span>}</td>
      <td>{user.disabled ? <span className="bad">Disabled</span> : "Enabled"}</td>
      <td>{when(user.last_login_at)}</td>
      <td className="actions">
        <button type="button" disabled={busy} onClick={onEdit} aria-label={`Edit ${user.username}`}>
          Edit
        </button>
        {!yourself && (
          <button type="button" disabled={busy} onClick={onReset} aria-label={`Reset the password of ${user.username}`}>
            Reset password
          </button>
        )}
        {!yourself && (
          <button type="button" disabled={busy} onClick={onDelete} aria-label={`Delete ${user.username}`}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}

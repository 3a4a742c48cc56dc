// The frame around every screen: the navigation between the screens the
// user may open, notifications from rules, who is signed in, and signing out.

import { NavLink, Outlet } from "react-router-dom";

import type { Me } from "../api/types";
import { Notifications } from "./Notifications";
import { Permission, holds } from "./permissions";
import { allowedScreens } from "./screens";

export function Shell({ me, onLogout }: { me: Me; onLogout: () => void }) {
  return (
    <div className="shell">
      <header className="appbar">
        <strong className="brand">Techno Support VMS</strong>
        <nav className="screens" aria-label="Screens">
          {allowedScreens(me).map((s) => (
            <NavLink key={s.path} to={s.path}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        {holds(me, Permission.ReadEvents) && <Notifications />}
        <NavLink className="user" to="/account" title="Your account and password">
          {me.username}
        </NavLink>
        <button type="button" onClick={onLogout}>
          Sign out
        </button>
      </header>
      <main className="screen">
        <Outlet />
      </main>
    </div>
  );
}

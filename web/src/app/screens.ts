// The app's screens: each has a URL, a name in the navigation and the
// permissions that open it (any one of them).

import type { Me } from "../api/types";
import { Permission, holdsAny } from "./permissions";

export interface Screen {
  /// The URL path, also the route.
  path: string;
  label: string;
  /// Any one of these opens the screen.
  needs: readonly Permission[];
  /// Super-admins open it whatever they hold (tenants and the licence are theirs).
  superAdmin?: boolean;
}

export const SCREENS = [
  { path: "/live", label: "Live", needs: [Permission.ViewLive] },
  { path: "/playback", label: "Playback", needs: [Permission.ViewArchive] },
  { path: "/events", label: "Events", needs: [Permission.ReadEvents] },
  { path: "/bookmarks", label: "Bookmarks", needs: [Permission.ViewArchive] },
  { path: "/export", label: "Export", needs: [Permission.Export] },
  { path: "/cameras", label: "Cameras", needs: [Permission.ManageCameras] },
  { path: "/health", label: "Health", needs: [Permission.ManageSystem] },
  {
    path: "/admin",
    label: "Admin",
    needs: [Permission.ManageUsers, Permission.ReadAudit, Permission.ManageApiKeys, Permission.ManageSites, Permission.ManageSystem],
    superAdmin: true,
  },
] as const satisfies readonly Screen[];

export type ScreenPath = (typeof SCREENS)[number]["path"];

export function screen(path: ScreenPath): Screen {
  return SCREENS.find((s) => s.path === path)!;
}

/// Whether `me` may open `screen`.
export function mayOpen(me: Me, screen: Screen): boolean {
  return holdsAny(me, screen.needs) || (Boolean((screen as Screen).superAdmin) && me.super_admin);
}

/// The screens `me` may open, in navigation order.
export function allowedScreens(me: Me): Screen[] {
  return SCREENS.filter((s) => mayOpen(me, s));
}

/// Where `/` leads: the first screen `me` may open (live for an operator,
/// admin for an auditor), or null when none.
export function homePath(me: Me): string | null {
  return allowedScreens(me)[0]?.path ?? null;
}

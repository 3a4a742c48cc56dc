// The route table: one URL per screen, each gated on the permissions that
// open it. `/` leads to the first screen the user may open, keeping the
// query (`/?layout=4` opens the live screen with four tiles).

import type { ReactNode } from "react";
import { Link, Navigate, Route, Routes, useLocation } from "react-router-dom";

import type { Api } from "../api/client";
import type { Me } from "../api/types";
import { AccountSection } from "../admin/AccountSection";
import { AdminScreen } from "../admin/AdminScreen";
import { BookmarksScreen } from "../bookmarks/BookmarksScreen";
import { CamerasScreen } from "../cameras/CamerasScreen";
import { EventsScreen } from "../events/EventsScreen";
import { ExportScreen } from "../export/ExportScreen";
import { HealthScreen } from "../health/HealthScreen";
import { LiveScreen } from "../live/LiveScreen";
import { PlaybackScreen } from "../playback/PlaybackScreen";
import { AppContext } from "./context";
import { type ScreenPath, homePath, mayOpen, screen } from "./screens";
import { Shell } from "./Shell";

export interface AppRoutesProps {
  api: Api;
  me: Me;
  onLogout: () => void;
}

export function AppRoutes({ api, me, onLogout }: AppRoutesProps) {
  const gated = (path: ScreenPath, element: ReactNode) => (
    <Route path={path.slice(1)} element={<Gate me={me} path={path}>{element}</Gate>} />
  );
  return (
    <AppContext.Provider value={{ api, me }}>
      <Routes>
        <Route element={<Shell me={me} onLogout={onLogout} />}>
          <Route index element={<Home me={me} />} />
          {gated("/live", <LiveScreen />)}
          {gated("/playback", <PlaybackScreen />)}
          {gated("/events", <EventsScreen />)}
          {gated("/bookmarks", <BookmarksScreen />)}
          {gated("/export", <ExportScreen />)}
          {gated("/cameras", <CamerasScreen />)}
          {gated("/health", <HealthScreen />)}
          {/* Its sections are nested routes (`/admin/users`, `/admin/audit`, …). */}
          <Route path="admin/*" element={<Gate me={me} path="/admin"><AdminScreen /></Gate>} />
          {/* One's own password: every signed-in user (the user name in the bar leads here). */}
          <Route path="account" element={<AccountScreen />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </AppContext.Provider>
  );
}

function Home({ me }: { me: Me }) {
  const location = useLocation();
  const home = homePath(me);
  if (!home) {
    return (
      <section className="placeholder" role="alert">
        <h1>Nothing to show</h1>
        <p>Your account holds no permission that opens a screen. Ask an administrator for a role.</p>
      </section>
    );
  }
  return <Navigate to={{ pathname: home, search: location.search }} replace />;
}

/// Shows the screen only to a user who may open it.
function Gate({ me, path, children }: { me: Me; path: ScreenPath; children: ReactNode }) {
  const { label, needs } = screen(path);
  if (mayOpen(me, screen(path))) return children;
  return (
    <section className="placeholder" role="alert" aria-label="Not allowed">
      <h1>{label}</h1>
      <p>
        Your account may not open this screen: it needs {needs.join(" or ")}. <Link to="/">Go to your start screen</Link>
      </p>
    </section>
  );
}

function NotFound() {
  return (
    <section className="placeholder" role="alert">
      <h1>No such page</h1>
      <p>
        <Link to="/">Go to your start screen</Link>
      </p>
    </section>
  );
}

/// One's own account (password), open to every signed-in user.
function AccountScreen() {
  return (
    <div className="admin-screen">
      <AccountSection />
    </div>
  );
}

// Signs in, then routes to the screen the address names (`app/AppRoutes.tsx`).

import { useEffect, useMemo, useState } from "react";
import { BrowserRouter } from "react-router-dom";

import { Api } from "./api/client";
import { Session } from "./api/session";
import type { Me } from "./api/types";
import { AppRoutes } from "./app/AppRoutes";
import { LiveEvents, LiveEventsContext, feedUrl } from "./app/events";
import { Login } from "./components/Login";
import { forgetAll } from "./export/jobs";

export function App() {
  const session = useMemo(() => new Session(), []);
  const api = useMemo(() => new Api(session), [session]);
  // Opened with a one-use ticket, since a WebSocket cannot carry the bearer token.
  const events = useMemo(
    () =>
      new LiveEvents(async (after) => {
        const { ticket } = await api.feedTicket();
        return new WebSocket(feedUrl(window.location, ticket, after));
      }),
    [api],
  );
  const [signedIn, setSignedIn] = useState(session.signedIn);
  const [me, setMe] = useState<Me | null>(null);

  useEffect(() => session.onChange(setSignedIn), [session]);
  useEffect(() => {
    if (!signedIn) {
      setMe(null);
      events.close();
      forgetAll();
      return;
    }
    api.me().then(setMe, () => void session.logout());
  }, [api, events, session, signedIn]);

  if (!signedIn) return <Login onLogin={(u, p) => session.login(u, p)} />;
  if (!me) return <p className="loading">Loading…</p>;
  return (
    <LiveEventsContext.Provider value={events}>
      <BrowserRouter>
        <AppRoutes api={api} me={me} onLogout={() => void session.logout()} />
      </BrowserRouter>
    </LiveEventsContext.Provider>
  );
}

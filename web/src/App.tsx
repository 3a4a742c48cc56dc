// Signs in, then shows the live console.

import { useEffect, useMemo, useState } from "react";

import { Api } from "./api/client";
import { Session } from "./api/session";
import type { Me } from "./api/types";
import { Console } from "./components/Console";
import { Login } from "./components/Login";

export function App() {
  const session = useMemo(() => new Session(), []);
  const api = useMemo(() => new Api(session), [session]);
  const [signedIn, setSignedIn] = useState(session.signedIn);
  const [me, setMe] = useState<Me | null>(null);

  useEffect(() => session.onChange(setSignedIn), [session]);
  useEffect(() => {
    if (!signedIn) {
      setMe(null);
      return;
    }
    api.me().then(setMe, () => void session.logout());
  }, [api, session, signedIn]);

  if (!signedIn) return <Login onLogin={(u, p) => session.login(u, p)} />;
  if (!me) return <p className="loading">Loading…</p>;
  return <Console api={api} me={me} onLogout={() => void session.logout()} />;
}

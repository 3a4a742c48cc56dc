// The signed-in session: access and refresh tokens, refreshed silently a
// little before the access token expires, and kept for the tab's lifetime
// (sessionStorage) so a reload stays signed in without persisting tokens.

import type { components } from "@techno-vms/sdk/schema";

/// What login and refresh answer (`TokenResponse`), as far as the session keeps it.
export type Tokens = Pick<components["schemas"]["TokenResponse"], "access_token" | "refresh_token" | "expires_in">;

const KEY = "vms.session";
/// Refresh this many seconds before expiry.
const MARGIN_SECS = 30;

type Listener = (signedIn: boolean) => void;

export class Session {
  private tokens: (Tokens & { expiresAt: number }) | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  private listeners = new Set<Listener>();

  constructor(private readonly storage: Storage | null = globalThis.sessionStorage ?? null) {
    const saved = this.storage?.getItem(KEY);
    if (saved) {
      try {
        this.tokens = JSON.parse(saved);
        this.schedule();
      } catch {
        this.storage?.removeItem(KEY);
      }
    }
  }

  get accessToken(): string | null {
    return this.tokens?.access_token ?? null;
  }

  get signedIn(): boolean {
    return this.tokens !== null;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /// Signs in; throws with the server's message when refused.
  async login(username: string, password: string): Promise<void> {
    const response = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    this.store(await response.json());
  }

  /// Trades the refresh token for new tokens; false (and signed out) when refused.
  refresh(): Promise<boolean> {
    if (!this.tokens) return Promise.resolve(false);
    this.refreshing ??= (async () => {
      try {
        const response = await fetch("/api/auth/refresh", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ refresh_token: this.tokens?.refresh_token }),
        });
        if (response.status === 401 || response.status === 403) {
          this.clear();
          return false;
        }
        if (!response.ok) return false;
        this.store(await response.json());
        return true;
      } catch {
        return false;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /// Signs out: the server ends the session (its access and refresh tokens
  /// stop working), then the tokens are forgotten here. Resolves to false when
  /// the server could not be told; the tokens are forgotten all the same.
  async logout(): Promise<boolean> {
    const tokens = this.tokens;
    this.clear();
    if (!tokens) return true;
    try {
      const response = await fetch("/api/auth/logout", {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.access_token}`, "content-type": "application/json" },
        body: JSON.stringify({ refresh_token: tokens.refresh_token }),
      });
      if (response.ok || response.status === 401) return true;
      console.warn(`sign out: the server refused: ${await errorMessage(response)}`);
      return false;
    } catch (e) {
      console.warn("sign out: the server could not be reached", e);
      return false;
    }
  }

  private store(tokens: Tokens) {
    this.tokens = { ...tokens, expiresAt: Date.now() + tokens.expires_in * 1000 };
    this.storage?.setItem(KEY, JSON.stringify(this.tokens));
    this.schedule();
    this.listeners.forEach((l) => l(true));
  }

  private clear() {
    clearTimeout(this.timer);
    this.tokens = null;
    this.storage?.removeItem(KEY);
    this.listeners.forEach((l) => l(false));
  }

  private schedule() {
    clearTimeout(this.timer);
    if (!this.tokens) return;
    const due = Math.max(1000, this.tokens.expiresAt - Date.now() - MARGIN_SECS * 1000);
    this.timer = setTimeout(() => void this.refresh(), due);
  }
}

/// The API's error message (`{"code", "message"}`), or the status line.
export async function errorMessage(response: Response): Promise<string> {
  return (await errorBody(response)).message;
}

/// The API's error (`{"code", "message"}`): its code where it gave one, and
/// its message, or the status line.
export async function errorBody(response: Response): Promise<{ code?: string; message: string }> {
  const status = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    return { code: typeof body?.code === "string" ? body.code : undefined, message: body?.message ?? status };
  } catch {
    return { message: status };
  }
}

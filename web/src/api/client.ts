// Calls to the control plane's API with the session's bearer token; a 401
// triggers one silent refresh and a retry.

import { Session, errorMessage } from "./session";
import type { Layout } from "../components/layouts";
import type { Camera, Me, Site, StreamRole } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class Api {
  constructor(readonly session: Session) {}

  async request(path: string, init: RequestInit = {}, retry = true): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = this.session.accessToken;
    if (token) headers.set("authorization", `Bearer ${token}`);
    const response = await fetch(path, { ...init, headers });
    if (response.status === 401 && retry && (await this.session.refresh())) {
      return this.request(path, init, false);
    }
    if (!response.ok) throw new ApiError(response.status, await errorMessage(response));
    return response;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await this.request(path, init)).json();
  }

  me(): Promise<Me> {
    return this.json("/api/auth/me");
  }

  async sites(): Promise<Site[]> {
    return (await this.json<{ items: Site[] }>("/api/sites")).items;
  }

  async cameras(): Promise<Camera[]> {
    return (await this.json<{ items: Camera[] }>("/api/cameras")).items;
  }

  /// A single-use live ticket for one viewer of a camera stream.
  async liveTicket(camera: string, role: StreamRole): Promise<string> {
    const body = await this.json<{ ticket: string }>(`/api/cameras/${camera}/streams/${role}/ticket`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ purpose: "live" }),
    });
    return body.ticket;
  }

  async layouts(): Promise<Layout[]> {
    return (await this.json<{ items: Layout[] }>("/api/layouts")).items;
  }

  saveLayout(name: string, cells: (string | null)[]): Promise<Layout> {
    return this.json(`/api/layouts/${encodeURIComponent(name)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cells }),
    });
  }

  async deleteLayout(name: string): Promise<void> {
    await this.request(`/api/layouts/${encodeURIComponent(name)}`, { method: "DELETE" });
  }

  async snapshot(camera: string, role: StreamRole): Promise<Blob> {
    return (await this.request(`/api/cameras/${camera}/snapshot?stream=${role}`)).blob();
  }
}

// Calls to the control plane's API with the session's bearer token; a 401
// triggers one silent refresh and a retry.

import { Session, errorBody } from "./session";
import type {
  BookmarkBody,
  BookmarkPage,
  BookmarkView,
  Camera,
  CameraList,
  CreateExport,
  DeletedCamera,
  EventPage,
  EventView,
  ExportKey,
  ExportView,
  FeedTicket,
  Layout,
  LayoutList,
  Me,
  MultiRanges,
  SaveLayout,
  Site,
  SiteList,
  StreamRole,
  SystemReply,
  AlertView,
  TicketPurpose,
  TicketRequest,
  TicketView,
} from "./types";

/// A refusal or failure of the API: its HTTP status, its message and, where
/// the server gave one, its machine-readable code (`device_auth_failed`, …).
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
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
    if (!response.ok) {
      const { code, message } = await errorBody(response);
      throw new ApiError(response.status, message, code);
    }
    return response;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await this.request(path, init)).json();
  }

  me(): Promise<Me> {
    return this.json("/api/auth/me");
  }

  async sites(): Promise<Site[]> {
    return (await this.json<SiteList>("/api/sites")).items;
  }

  async cameras(): Promise<Camera[]> {
    return (await this.json<CameraList>("/api/cameras")).items;
  }

  /// A single-use live ticket for one viewer of a camera stream.
  liveTicket(camera: string, role: StreamRole): Promise<string> {
    return this.ticket(camera, role, "live");
  }

  /// A single-use archive ticket: it opens one playback or I-frame playlist
  /// of the camera stream (needs `camera.view_archive` on the camera).
  archiveTicket(camera: string, role: StreamRole): Promise<string> {
    return this.ticket(camera, role, "archive");
  }

  private async ticket(camera: string, role: StreamRole, purpose: TicketPurpose): Promise<string> {
    const body = await this.json<TicketView>(`/api/cameras/${camera}/streams/${role}/ticket`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ purpose } satisfies TicketRequest),
    });
    return body.ticket;
  }

  /// What `cameras` (1 to 64) recorded on `role` between `start` and `end`
  /// (at most 31 days apart), per camera in the order asked.
  ranges(cameras: string[], role: StreamRole, start: Date, end: Date, signal?: AbortSignal): Promise<MultiRanges> {
    const query = new URLSearchParams();
    cameras.forEach((c) => query.append("camera_id", c));
    query.set("stream", role);
    query.set("start", start.toISOString());
    query.set("end", end.toISOString());
    return this.json(`/api/recordings/ranges?${query}`, { signal });
  }

  /// A JPEG of the recorded keyframe at or before `at`, at most `width` pixels wide.
  async thumbnail(camera: string, role: StreamRole, at: Date, width: number, signal?: AbortSignal): Promise<Blob> {
    const query = new URLSearchParams({ at: at.toISOString(), width: String(width) });
    return (await this.request(`/api/cameras/${camera}/streams/${role}/thumbnail.jpg?${query}`, { signal })).blob();
  }

  /// Deleted cameras whose footage is kept, as far as the caller may play it back.
  deletedCameras(): Promise<DeletedCamera[]> {
    return this.json("/api/cameras/deleted");
  }

  async layouts(): Promise<Layout[]> {
    return (await this.json<LayoutList>("/api/layouts")).items;
  }

  saveLayout(name: string, cells: (string | null)[]): Promise<Layout> {
    return this.json(`/api/layouts/${encodeURIComponent(name)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cells } satisfies SaveLayout),
    });
  }

  async deleteLayout(name: string): Promise<void> {
    await this.request(`/api/layouts/${encodeURIComponent(name)}`, { method: "DELETE" });
  }

  async snapshot(camera: string, role: StreamRole): Promise<Blob> {
    return (await this.request(`/api/cameras/${camera}/snapshot?stream=${role}`)).blob();
  }

  /// A page of events, newest first. `query` holds the filters
  /// (`cameras`, `types`, `start`, `q`, …) and `cursor` for the next page.
  events(query: URLSearchParams, signal?: AbortSignal): Promise<EventPage> {
    return this.json(`/api/events?${query}`, { signal });
  }

  /// Marks an event handled (audited); answers it as it is now.
  acknowledgeEvent(id: string): Promise<EventView> {
    return this.json(`/api/events/${id}/ack`, { method: "POST" });
  }

  /// The picture a rule took of the event (needs archive rights on its camera).
  async eventSnapshot(id: string, signal?: AbortSignal): Promise<Blob> {
    return (await this.request(`/api/events/${id}/snapshot`, { signal })).blob();
  }

  /// A ticket that opens the live events feed once, within 30 s.
  feedTicket(): Promise<FeedTicket> {
    return this.json("/api/events/ws-ticket", { method: "POST" });
  }

  /// A page of bookmarks, newest first (`q`, `tags`, `cameras`, `start`, `end`, `locked`, `cursor`).
  bookmarks(query: URLSearchParams, signal?: AbortSignal): Promise<BookmarkPage> {
    return this.json(`/api/bookmarks?${query}`, { signal });
  }

  createBookmark(body: BookmarkBody): Promise<BookmarkView> {
    return this.json("/api/bookmarks", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  /// Locks (`lock`) or unlocks a bookmark's footage against retention (needs `evidence.lock`).
  lockBookmark(id: string, lock: boolean): Promise<BookmarkView> {
    return this.json(`/api/bookmarks/${id}/${lock ? "lock" : "unlock"}`, { method: "POST" });
  }

  async deleteBookmark(id: string): Promise<void> {
    await this.request(`/api/bookmarks/${id}`, { method: "DELETE" });
  }

  /// Starts exporting a window of a camera stream (needs `camera.export`).
  createExport(body: CreateExport): Promise<ExportView> {
    return this.json("/api/exports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  exportJob(id: string, signal?: AbortSignal): Promise<ExportView> {
    return this.json(`/api/exports/${id}`, { signal });
  }

  /// Cancels a running export, or deletes a finished one and its files.
  async deleteExport(id: string): Promise<void> {
    await this.request(`/api/exports/${id}`, { method: "DELETE" });
  }

  /// The public key export manifests are signed with, hex.
  async exportKey(): Promise<string> {
    return (await this.json<ExportKey>("/api/exports/public-key")).public_key;
  }

  /// A finished export's MP4 or its signed manifest (audited downloads).
  async exportDownload(id: string, what: "file" | "manifest"): Promise<Blob> {
    return (await this.request(`/api/exports/${id}/${what}`)).blob();
  }

  /// The installation's health (a super-admin sees every plane and root; a
  /// tenant administrator their tenant's share).
  system(signal?: AbortSignal): Promise<SystemReply> {
    return this.json("/api/system", { signal });
  }

  /// The alerts raised now (a super-admin sees them all; a tenant
  /// administrator those of the tenant's cameras and of what serves them).
  alerts(signal?: AbortSignal): Promise<AlertView[]> {
    return this.json("/api/alerts", { signal });
  }
}

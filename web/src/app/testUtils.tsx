// Test helpers: users with given permissions, an API whose answers a test
// chooses, and the app's routes in a memory router with the address shown.

import { render } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";

import type { Api } from "../api/client";
import type { AlertView, BookmarkBody, BookmarkView, Camera, EventView, Me, MultiRanges, Site, SystemReply } from "../api/types";
import { AppRoutes } from "./AppRoutes";
import { Permission } from "./permissions";

export const OPERATOR = [Permission.ViewLive, Permission.ViewArchive, Permission.Ptz, Permission.Export, Permission.ReadEvents];
export const VIEWER = [Permission.ViewLive, Permission.ReadEvents];

export function user(permissions: string[], username = "alice"): Me {
  return { id: "u1", username, tenant_id: "t1", tenant_name: "Acme", super_admin: false, permissions, access: { t: permissions } };
}

export function camera(id: string, name: string, site = "s1"): Camera {
  return { id, site_id: site, name, enabled: true, streams: [{ id: `${id}-main`, role: "main", state: { status: "online", fps: 25 } }] };
}

export const SITES: Site[] = [{ id: "s1", name: "HQ", timezone: "UTC" }];

export interface FakeApiOptions {
  cameras?: Camera[];
  ranges?: (cameras: string[], start: Date, end: Date) => MultiRanges;
  /// Stored events, newest first: the search pages through them (filters are the server's job).
  events?: EventView[];
  bookmarks?: BookmarkView[];
  /// Answers the generic `json` and `request` calls (method, path, parsed
  /// body, request headers); throwing makes the call fail as the server's
  /// error would. A `Tagged` answer carries an `ETag`, a `WithStatus` one
  /// its own status (201 for something made).
  respond?: (method: string, path: string, body: unknown, headers: Headers) => unknown;
}

/// An answer of `respond` with its version, sent as the `ETag` header.
export class Tagged {
  constructor(
    readonly body: unknown,
    readonly etag: string,
  ) {}
}

/// An answer of `respond` with an HTTP status other than 200.
export class WithStatus {
  constructor(
    readonly body: unknown,
    readonly status: number,
  ) {}
}

/// `answer` as the client reads it: a response, with its `ETag` if tagged
/// and its status if given one.
function responseOf(answer: unknown): Response {
  if (answer instanceof Tagged) return new Response(JSON.stringify(answer.body), { headers: { etag: answer.etag } });
  if (answer instanceof WithStatus) return new Response(answer.status === 204 ? null : JSON.stringify(answer.body ?? null), { status: answer.status });
  return new Response(JSON.stringify(answer ?? null));
}

/// An event of camera `camera` that started `start`.
export function event(id: string, start: string, fields: Partial<EventView> = {}): EventView {
  return {
    id,
    tenant_id: "t1",
    site_id: "s1",
    site_name: "HQ",
    camera_id: "a",
    camera_name: "Front door",
    type: "motion",
    start,
    attributes: {},
    has_snapshot: false,
    updated_at: start,
    ...fields,
  };
}

/// Pages of `list` as the server gives them: `limit` items, the offset as cursor.
function page<T>(list: T[], query: URLSearchParams) {
  const limit = Number(query.get("limit") ?? 100);
  const from = Number(query.get("cursor") ?? 0);
  const items = list.slice(from, from + limit);
  return from + limit < list.length ? { items, next_cursor: String(from + limit) } : { items };
}

/// An API answering from memory; each method is a spy.
export function fakeApi({ cameras = [], ranges, events = [], bookmarks = [], respond }: FakeApiOptions = {}) {
  const answer = async (path: string, init: RequestInit = {}) => {
    if (!respond) throw new Error(`this test does not answer ${init.method ?? "GET"} ${path}`);
    return respond(init.method ?? "GET", path, init.body ? JSON.parse(String(init.body)) : undefined, new Headers(init.headers));
  };
  const api = {
    sites: vi.fn(async () => SITES),
    cameras: vi.fn(async () => cameras),
    deletedCameras: vi.fn(async () => []),
    layouts: vi.fn(async () => []),
    ranges: vi.fn(async (ids: string[], _role: string, start: Date, end: Date) =>
      ranges ? ranges(ids, start, end) : { cameras: ids.map((camera_id) => ({ camera_id, ranges: [] })) },
    ),
    archiveTicket: vi.fn(async () => "ticket"),
    liveTicket: vi.fn(async () => "ticket"),
    thumbnail: vi.fn(async () => new Blob()),
    snapshot: vi.fn(async () => new Blob()),
    events: vi.fn(async (query: URLSearchParams) => page(events, query)),
    acknowledgeEvent: vi.fn(async (id: string) => ({
      ...events.find((e) => e.id === id)!,
      acknowledged_at: new Date().toISOString(),
      acknowledged_by: "u1",
    })),
    eventSnapshot: vi.fn(async () => new Blob(["jpeg"])),
    feedTicket: vi.fn(async () => ({ ticket: "ticket", expires_in: 30 })),
    bookmarks: vi.fn(async (query: URLSearchParams) => page(bookmarks, query)),
    createBookmark: vi.fn(async (body: BookmarkBody) => {
      const now = new Date().toISOString();
      const made: BookmarkView = { id: `b${bookmarks.length + 1}`, description: "", tags: [], locked: false, created_at: now, updated_at: now, ...body };
      bookmarks.unshift(made);
      return made;
    }),
    lockBookmark: vi.fn(async (id: string, lock: boolean) => ({ ...bookmarks.find((b) => b.id === id)!, locked: lock })),
    deleteBookmark: vi.fn(async () => {}),
    createExport: vi.fn(async (body: { camera_id: string }) => ({ id: "x1", camera_id: body.camera_id, status: "running", progress: 0 })),
    exportJob: vi.fn(async (id: string) => ({ id, camera_id: "a", status: "running", progress: 0.5 })),
    deleteExport: vi.fn(async () => {}),
    exportDownload: vi.fn(async () => new Blob(["file"])),
    exportKey: vi.fn(async () => "00".repeat(32)),
    json: vi.fn(async (path: string, init?: RequestInit) => {
      const body = await answer(path, init);
      return body instanceof Tagged || body instanceof WithStatus ? body.body : body;
    }),
    request: vi.fn(async (path: string, init?: RequestInit) => responseOf(await answer(path, init))),
    system: vi.fn(async () => ({ version: "0.1.0", planes: [], components: {} }) as SystemReply),
    alerts: vi.fn(async () => [] as AlertView[]),
  };
  return api as typeof api & Api;
}

/// Shows the router's address, for tests to read.
function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname + location.search}</output>;
}

/// Renders the signed-in app at `path`.
export function renderApp(path: string, me: Me, api: Api = fakeApi()) {
  const onLogout = vi.fn();
  const utils = render(
    <MemoryRouter initialEntries={[path]}>
      <AppRoutes api={api} me={me} onLogout={onLogout} />
      <Routes>
        <Route path="*" element={<Where />} />
      </Routes>
    </MemoryRouter>,
  );
  return { ...utils, api, onLogout, where: () => utils.getByTestId("where").textContent };
}

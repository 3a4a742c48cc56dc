// Test helpers: users with given permissions, an API whose answers a test
// chooses, and the app's routes in a memory router with the address shown.

import { render } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router-dom";

import type { Api } from "../api/client";
import type { Camera, Me, MultiRanges, Site } from "../api/types";
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
}

/// An API answering from memory; each method is a spy.
export function fakeApi({ cameras = [], ranges }: FakeApiOptions = {}) {
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

// Test helpers for the admin screen: a fake control plane answering the
// admin routes from memory through `json` and `request` spies (routed by
// method and path, as the real `Api` would send them), refusing a route
// once when a test asks, versioning sites as the server does (an `ETag`,
// a stale `If-Match` refused with 412), and sample records.

import { ApiError } from "../api/client";
import type { Api } from "../api/client";
import { FakeVersions } from "../app/testVersions";
import type {
  ApiKeyView,
  AuditView,
  CameraSummary,
  GrantView,
  LicenseView,
  PermissionView,
  RoleInput,
  RoleView,
  SiteView,
  TenantView,
  UserView,
} from "./types";
import { PERMISSION_WORDS } from "./words";

const T0 = "2026-03-01T09:00:00Z";

export function userRecord(id: string, username: string, roles: GrantView[] = [], fields: Partial<UserView> = {}): UserView {
  return { id, tenant_id: "t1", username, display_name: "", disabled: false, super_admin: false, created_at: T0, updated_at: T0, roles, ...fields };
}

export const BUILT_IN_ROLES: RoleView[] = [
  { id: "r-admin", name: "admin", description: "Full control of the tenant", permissions: ["camera.view_live", "user.manage", "audit.read"], built_in: true },
  { id: "r-operator", name: "operator", description: "Watches live and archive", permissions: ["camera.view_live", "camera.view_archive"], built_in: true },
  { id: "r-viewer", name: "viewer", description: "Watches live video", permissions: ["camera.view_live", "event.read"], built_in: true },
];

export const PERMISSIONS: PermissionView[] = PERMISSION_WORDS.map((p) => ({ name: p.name, description: p.description }));

export function auditEntry(seq: number, fields: Partial<AuditView> = {}): AuditView {
  return {
    seq,
    id: `a${seq}`,
    occurred_at: new Date(Date.parse(T0) + seq * 60_000).toISOString(),
    actor_kind: "user",
    actor_id: "11111111-1111-4111-8111-111111111111",
    actor_name: "alice",
    action: "user.create",
    target_kind: "user",
    target_id: `u${seq}`,
    source_ip: "10.0.0.5",
    outcome: "success",
    details: {},
    ...fields,
  };
}

/// What the fake control plane holds; tests read and seed it.
export interface AdminData {
  users: UserView[];
  roles: RoleView[];
  keys: ApiKeyView[];
  /// Newest first.
  audit: AuditView[];
  sites: SiteView[];
  cameras: CameraSummary[];
  tenants: TenantView[];
  license: LicenseView;
  /// The signed-in user's password, for `POST /api/auth/password`.
  password: string;
}

function defaults(): AdminData {
  return {
    users: [userRecord("u1", "alice", [{ role: "admin", scope: "tenant" }]), userRecord("u2", "bob", [{ role: "viewer", scope: "site", scope_id: "s1" }])],
    roles: [...BUILT_IN_ROLES],
    keys: [],
    audit: [],
    sites: [{ id: "s1", tenant_id: "t1", name: "HQ", description: "", timezone: "UTC", created_at: T0, updated_at: T0 }],
    cameras: [{ id: "c1", site_id: "s1", name: "Front door" }],
    tenants: [{ id: "t1", name: "Acme", created_at: T0, camera_quota: null, event_retention_days: 30 }],
    license: {
      status: "unlicensed",
      max_cameras: 4,
      cameras_in_use: 1,
      features: [],
      installation_id: "inst-1",
      message: "no licence installed",
    },
    password: "Old-password-1",
  };
}

/// An answer as the client sees one (only what `Api.json`/`request` callers
/// read): a copy, as if over the wire, so the app never holds the fake's
/// records; `etag` is the version of the resource answered.
function answer(status: number, body?: unknown, etag?: string): Response {
  const text = body === undefined ? "" : JSON.stringify(body);
  const headers = new Headers(etag ? { etag } : {});
  return { ok: true, status, headers, json: async () => (text ? JSON.parse(text) : undefined), text: async () => text } as unknown as Response;
}

function grantOf(input: RoleInput): GrantView {
  if (typeof input === "string") return { role: input, scope: "tenant", scope_id: null };
  if (input.site_id) return { role: input.role, scope: "site", scope_id: input.site_id };
  if (input.camera_id) return { role: input.role, scope: "camera", scope_id: input.camera_id };
  return { role: input.role, scope: "tenant", scope_id: null };
}

/// A fake admin API over `seed` (merged into sample data). `refuse` makes
/// the next call of a route (`"POST /api/users"`) fail with the server's words.
export function adminApi(seed: Partial<AdminData> = {}) {
  const db: AdminData = { ...defaults(), ...seed };
  const versions = new FakeVersions();
  const refusals = new Map<string, { status: number; message: string }>();
  let counter = 0;
  const next = (prefix: string) => `${prefix}${++counter}`;
  const now = () => new Date().toISOString();

  const route = (method: string, url: URL, body: unknown, headers: Headers): Response => {
    const path = url.pathname;
    const b = body as Record<string, unknown>;
    let m: RegExpMatchArray | null;
    const notFound = () => {
      throw new ApiError(404, `${path}: not found`);
    };
    const invalid = (message: string) => {
      throw new ApiError(400, message);
    };
    const strong = (field: string, password: unknown) => {
      if (typeof password !== "string" || password.length < 12) invalid(`${field}: must be at least 12 characters`);
    };

    if (path === "/api/users" && method === "GET") return answer(200, { items: db.users });
    if (path === "/api/users" && method === "POST") {
      strong("password", b.password);
      if (db.users.some((u) => u.username.toLowerCase() === String(b.username).toLowerCase())) {
        throw new ApiError(409, "username: is taken");
      }
      const made = userRecord(next("u-new-"), String(b.username), ((b.roles as RoleInput[]) ?? []).map(grantOf), {
        display_name: String(b.display_name ?? ""),
      });
      db.users.push(made);
      return answer(201, made);
    }
    if ((m = path.match(/^\/api\/users\/([^/]+)$/))) {
      const i = db.users.findIndex((u) => u.id === m![1]);
      if (i < 0) notFound();
      if (method === "PATCH") {
        const u = { ...db.users[i] };
        if (b.display_name !== undefined) u.display_name = String(b.display_name);
        if (b.disabled !== undefined) u.disabled = Boolean(b.disabled);
        if (b.roles !== undefined) u.roles = (b.roles as RoleInput[]).map(grantOf);
        db.users[i] = u;
        return answer(200, u);
      }
      if (method === "DELETE") {
        db.users.splice(i, 1);
        return answer(204);
      }
    }
    if ((m = path.match(/^\/api\/users\/([^/]+)\/password-reset$/)) && method === "POST") {
      if (!db.users.some((u) => u.id === m![1])) notFound();
      return answer(201, { token: `reset-token-${next("")}`, expires_at: "2026-03-02T09:00:00Z" });
    }

    if (path === "/api/roles" && method === "GET") return answer(200, { items: db.roles, permissions: PERMISSIONS });
    if (path === "/api/roles" && method === "POST") {
      const made: RoleView = {
        id: next("r-"),
        name: String(b.name),
        description: String(b.description ?? ""),
        permissions: b.permissions as string[],
        built_in: false,
      };
      db.roles.push(made);
      return answer(201, made);
    }
    if ((m = path.match(/^\/api\/roles\/([^/]+)$/))) {
      const i = db.roles.findIndex((r) => r.id === m![1]);
      if (i < 0) notFound();
      if (db.roles[i].built_in) throw new ApiError(403, "built-in roles cannot be changed");
      if (method === "PATCH") {
        db.roles[i] = { ...db.roles[i], ...(b as Partial<RoleView>) };
        return answer(200, db.roles[i]);
      }
      if (method === "DELETE") {
        db.roles.splice(i, 1);
        return answer(204);
      }
    }

    if (path === "/api/api-keys" && method === "GET") return answer(200, { items: db.keys });
    if (path === "/api/api-keys" && method === "POST") {
      if (!Array.isArray(b.permissions) || b.permissions.length === 0) invalid("permissions: name at least one permission");
      const record: ApiKeyView = {
        id: next("k-"),
        name: String(b.name),
        prefix: "vmsk_ab12",
        user_id: "u1",
        permissions: b.permissions as string[],
        created_at: now(),
        expires_at: (b.expires_at as string) ?? null,
      };
      db.keys.unshift(record);
      return answer(201, { key: `vmsk_ab12-secret-${counter}`, ...record });
    }
    if ((m = path.match(/^\/api\/api-keys\/([^/]+)$/)) && method === "DELETE") {
      const key = db.keys.find((k) => k.id === m![1]);
      if (!key) notFound();
      key!.revoked_at = now();
      return answer(204);
    }

    if (path === "/api/audit" && method === "GET") {
      const q = url.searchParams;
      const limit = Number(q.get("limit") ?? 100);
      const cursor = q.get("cursor");
      const items = db.audit
        .filter((e) => (cursor ? e.seq < Number(cursor.replace(/^seq-/, "")) : true))
        .filter((e) => !q.get("action") || e.action.startsWith(q.get("action")!))
        .filter((e) => !q.get("outcome") || e.outcome === q.get("outcome"))
        .filter((e) => !q.get("actor_id") || e.actor_id === q.get("actor_id"))
        .slice(0, limit);
      const last = items.length === limit ? items[items.length - 1].seq : null;
      return answer(200, { items, next_cursor: last === null ? undefined : `seq-${last}`, next_before: last });
    }

    if (path === "/api/sites" && method === "GET") return answer(200, { items: db.sites });
    if (path === "/api/sites" && method === "POST") {
      const made: SiteView = {
        id: next("s-"),
        tenant_id: "t1",
        name: String(b.name),
        description: String(b.description ?? ""),
        timezone: String(b.timezone ?? "UTC"),
        created_at: now(),
        updated_at: now(),
      };
      db.sites.push(made);
      return answer(201, made);
    }
    if ((m = path.match(/^\/api\/sites\/([^/]+)$/))) {
      const i = db.sites.findIndex((s) => s.id === m![1]);
      if (i < 0) notFound();
      if (method === "GET") return answer(200, db.sites[i], versions.etag(path));
      if (method === "PATCH") {
        versions.write(path, headers);
        db.sites[i] = { ...db.sites[i], ...(b as Partial<SiteView>), updated_at: now() };
        return answer(200, db.sites[i], versions.etag(path));
      }
      if (method === "DELETE") {
        if (db.cameras.some((c) => c.site_id === m![1])) throw new ApiError(409, "the site still has cameras");
        db.sites.splice(i, 1);
        return answer(204);
      }
    }
    if (path === "/api/cameras" && method === "GET") return answer(200, { items: db.cameras });

    if (path === "/api/tenants" && method === "GET") return answer(200, { items: db.tenants });
    if (path === "/api/tenants" && method === "POST") {
      const admin = b.admin as { password: string } | undefined;
      if (admin) strong("admin.password", admin.password);
      const made: TenantView = {
        id: next("t-"),
        name: String(b.name),
        created_at: now(),
        camera_quota: (b.camera_quota as number) ?? null,
        event_retention_days: 30,
        admin_id: admin ? next("u-") : undefined,
      };
      db.tenants.push(made);
      return answer(201, made);
    }
    if ((m = path.match(/^\/api\/tenants\/([^/]+)$/))) {
      const i = db.tenants.findIndex((t) => t.id === m![1]);
      if (i < 0) notFound();
      if (method === "PATCH") {
        db.tenants[i] = { ...db.tenants[i], ...(b as Partial<TenantView>) };
        return answer(200, db.tenants[i]);
      }
      if (method === "DELETE") {
        db.tenants.splice(i, 1);
        return answer(204);
      }
    }

    if (path === "/api/license" && method === "GET") return answer(200, db.license);
    if (path === "/api/license" && method === "PUT") {
      if (!(typeof body === "string" ? body : JSON.stringify(body)).includes("signature")) invalid("license: the signature does not verify");
      db.license = {
        ...db.license,
        status: "valid",
        customer: "Acme Security",
        max_cameras: 64,
        license_id: "lic-1",
        expires_at: "2027-01-01T00:00:00Z",
        message: null,
      };
      return answer(200, db.license);
    }

    if (path === "/api/auth/password" && method === "POST") {
      if (b.current_password !== db.password) invalid("current_password: is wrong");
      strong("new_password", b.new_password);
      db.password = String(b.new_password);
      return answer(204);
    }
    return notFound();
  };

  const request = vi.fn(async (path: string, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? "GET").toUpperCase();
    const url = new URL(path, "http://vms.test");
    const refusal = refusals.get(`${method} ${url.pathname}`);
    if (refusal) {
      refusals.delete(`${method} ${url.pathname}`);
      throw new ApiError(refusal.status, refusal.message);
    }
    let body: unknown = init.body;
    if (typeof init.body === "string" && new Headers(init.headers).get("content-type") === "application/json") {
      try {
        body = JSON.parse(init.body);
      } catch {
        // A licence is sent as issued: whatever it holds, the route reads it.
      }
    }
    return route(method, url, body ?? {}, new Headers(init.headers));
  });
  const json = vi.fn(async (path: string, init: RequestInit = {}) => (await request(path, init)).json());
  const api = { json, request, session: { logout: vi.fn(async () => true) } } as unknown as Api;
  /// The calls of `method path`.
  const callsTo = (route: string) => {
    const [method, path] = route.split(" ");
    return request.mock.calls.filter(([p, init]) => (init?.method ?? "GET").toUpperCase() === method && new URL(p, "http://vms.test").pathname === path);
  };

  return {
    api,
    request,
    json,
    db,
    /// A change of site `id` (`fields`) saved meanwhile by someone else.
    changeSite(id: string, fields: Partial<SiteView>) {
      const i = db.sites.findIndex((s) => s.id === id);
      db.sites[i] = { ...db.sites[i], ...fields, updated_at: now() };
      versions.bump(`/api/sites/${id}`);
    },
    /// The `If-Match` sent with each `method path` call (null: none).
    ifMatch(route: string): (string | null)[] {
      return callsTo(route).map(([, init]) => new Headers(init?.headers).get("if-match"));
    },
    /// Makes the next `method path` call fail with `message`.
    refuse(route: string, status: number, message: string) {
      refusals.set(route, { status, message });
    },
    /// The bodies sent to `method path`, read back from JSON.
    sent(route: string): unknown[] {
      return callsTo(route).map(([, init]) => (typeof init?.body === "string" ? JSON.parse(init.body) : undefined));
    },
    /// The queries sent to `GET path`.
    queries(path: string): URLSearchParams[] {
      return request.mock.calls
        .map(([p]) => new URL(p, "http://vms.test"))
        .filter((u) => u.pathname === path)
        .map((u) => u.searchParams);
    },
  };
}

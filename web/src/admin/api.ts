// The administration calls of the control plane's API: users, roles, API
// keys, the audit trail, sites, tenants, the licence and one's own password.
// Each takes the app's `Api` and throws its `ApiError` (the server's words)
// when refused.

import type { Api } from "../api/client";
import { type Versioned, readVersioned, writeVersioned } from "../api/versioned";
import type {
  ApiKeyList,
  ApiKeyView,
  AuditPage,
  CameraList,
  CameraSummary,
  ChangePassword,
  CreateApiKey,
  CreateRole,
  CreateSite,
  CreateTenant,
  CreateUser,
  CreatedApiKey,
  LicenseView,
  PasswordResetView,
  RoleList,
  RoleView,
  SiteList,
  SiteView,
  TenantList,
  TenantView,
  UpdateRole,
  UpdateSite,
  UpdateTenant,
  UpdateUser,
  UserList,
  UserView,
} from "./types";

const JSON_HEADERS = { "content-type": "application/json" };

function send(method: string, body: unknown): RequestInit {
  return { method, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/// The most users the admin screen loads (pages of 500).
const MAX_USER_PAGES = 20;

/// The tenant's users, by name (`GET /api/users`, every page of it).
export async function listUsers(api: Api): Promise<UserView[]> {
  const users: UserView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_USER_PAGES; page++) {
    const query = new URLSearchParams({ limit: "500" });
    if (cursor) query.set("cursor", cursor);
    const list = await api.json<UserList>(`/api/users?${query}`);
    users.push(...list.items);
    cursor = list.next_cursor ?? undefined;
    if (!cursor) break;
  }
  return users;
}

export function createUser(api: Api, body: CreateUser): Promise<UserView> {
  return api.json("/api/users", send("POST", body));
}

export function updateUser(api: Api, id: string, body: UpdateUser): Promise<UserView> {
  return api.json(`/api/users/${id}`, send("PATCH", body));
}

export async function deleteUser(api: Api, id: string): Promise<void> {
  await api.request(`/api/users/${id}`, { method: "DELETE" });
}

/// Issues a one-time token that sets the user's password once, within 24 hours.
export function issuePasswordReset(api: Api, id: string): Promise<PasswordResetView> {
  return api.json(`/api/users/${id}/password-reset`, { method: "POST" });
}

/// Built-in and custom roles, and every permission (`GET /api/roles`).
export function listRoles(api: Api): Promise<RoleList> {
  return api.json("/api/roles");
}

export function createRole(api: Api, body: CreateRole): Promise<RoleView> {
  return api.json("/api/roles", send("POST", body));
}

export function updateRole(api: Api, id: string, body: UpdateRole): Promise<RoleView> {
  return api.json(`/api/roles/${id}`, send("PATCH", body));
}

export async function deleteRole(api: Api, id: string): Promise<void> {
  await api.request(`/api/roles/${id}`, { method: "DELETE" });
}

/// The caller's keys, or all the tenant's for a user manager; newest first.
export async function listApiKeys(api: Api): Promise<ApiKeyView[]> {
  return (await api.json<ApiKeyList>("/api/api-keys")).items;
}

/// Creates a key; the answer holds the key itself, which is never shown again.
export function createApiKey(api: Api, body: CreateApiKey): Promise<CreatedApiKey> {
  return api.json("/api/api-keys", send("POST", body));
}

export async function revokeApiKey(api: Api, id: string): Promise<void> {
  await api.request(`/api/api-keys/${id}`, { method: "DELETE" });
}

/// A page of the audit trail, newest first (`GET /api/audit?…`).
export function searchAudit(api: Api, query: URLSearchParams, signal?: AbortSignal): Promise<AuditPage> {
  return api.json(`/api/audit?${query}`, { signal });
}

/// The sites the caller may see, by name (`GET /api/sites`).
export async function listSites(api: Api): Promise<SiteView[]> {
  return (await api.json<SiteList>("/api/sites")).items;
}

export function createSite(api: Api, body: CreateSite): Promise<SiteView> {
  return api.json("/api/sites", send("POST", body));
}

/// One site as stored now, with its version (an editor opens on this, not on the list's copy).
export function getSite(api: Api, id: string): Promise<Versioned<SiteView>> {
  return readVersioned(api, `/api/sites/${id}`);
}

/// Changes the site if it is still at version `etag` (412 otherwise; null: whatever it is).
export function updateSite(api: Api, id: string, body: UpdateSite, etag: string | null): Promise<Versioned<SiteView>> {
  return writeVersioned(api, `/api/sites/${id}`, "PATCH", body, etag);
}

export async function deleteSite(api: Api, id: string): Promise<void> {
  await api.request(`/api/sites/${id}`, { method: "DELETE" });
}

/// The cameras the caller may see, for naming scoped grants.
export async function listCameras(api: Api): Promise<CameraSummary[]> {
  return (await api.json<CameraList>("/api/cameras")).items;
}

/// Every tenant (super-admins only).
export async function listTenants(api: Api): Promise<TenantView[]> {
  return (await api.json<TenantList>("/api/tenants")).items;
}

export function createTenant(api: Api, body: CreateTenant): Promise<TenantView> {
  return api.json("/api/tenants", send("POST", body));
}

export function updateTenant(api: Api, id: string, body: UpdateTenant): Promise<TenantView> {
  return api.json(`/api/tenants/${id}`, send("PATCH", body));
}

/// Deletes a tenant that has no users, sites or cameras left.
export async function deleteTenant(api: Api, id: string): Promise<void> {
  await api.request(`/api/tenants/${id}`, { method: "DELETE" });
}

/// The licence in force and what it allows (super-admins only).
export function getLicense(api: Api): Promise<LicenseView> {
  return api.json("/api/license");
}

/// Installs a licence file, sent as issued; answers the licence now in force.
export function installLicense(api: Api, text: string): Promise<LicenseView> {
  return api.json("/api/license", { method: "PUT", headers: JSON_HEADERS, body: text });
}

/// Changes the caller's own password; every session of theirs ends, this one too.
export async function changePassword(api: Api, body: ChangePassword): Promise<void> {
  await api.request("/api/auth/password", send("POST", body));
}

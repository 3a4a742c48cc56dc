// The administration API's shapes, as far as the admin screen uses them:
// aliases of the types that openapi-typescript generates from the server's
// OpenAPI document (sdk/typescript/src/schema.d.ts; `scripts/sdk.sh`
// regenerates them), never copies. Times are RFC 3339 text; ids are UUIDs.

import type { components } from "@techno-vms/sdk/schema";

type Schemas = components["schemas"];

/// A granted role: `scope` is `tenant` (everywhere), `site` or `camera`,
/// `scope_id` the site or camera of a scoped grant.
export type GrantView = Schemas["GrantView"];

/// A role to grant: a name (tenant-wide), or the role on one site or one
/// camera, never both.
export type RoleInput = Schemas["RoleInput"];

/// A user; never the password.
export type UserView = Schemas["UserView"];

/// `GET /api/users`: the users, by name.
export type UserList = Schemas["UserList"];

/// Body of `POST /api/users`.
export type CreateUser = Schemas["CreateUser"];

/// Body of `PATCH /api/users/{id}`: absent fields stay.
export type UpdateUser = Schemas["UpdateUser"];

/// A one-time password reset token: shown once.
export type PasswordResetView = Schemas["PasswordResetView"];

/// A role; built-in roles cannot be changed.
export type RoleView = Schemas["RoleView"];

/// A permission and what it allows.
export type PermissionView = Schemas["PermissionView"];

/// Roles, built-in first, and every permission.
export type RoleList = Schemas["RoleList"];

/// Body of `POST /api/roles`.
export type CreateRole = Schemas["CreateRole"];

/// Body of `PATCH /api/roles/{id}`.
export type UpdateRole = Schemas["UpdateRole"];

/// An API key, without the key.
export type ApiKeyView = Schemas["ApiKeyView"];

/// `GET /api/api-keys`: the keys, newest first.
export type ApiKeyList = Schemas["ApiKeyList"];

/// A new key and, this once only, the key itself.
export type CreatedApiKey = Schemas["CreatedApiKey"];

/// Body of `POST /api/api-keys`.
export type CreateApiKey = Schemas["CreateApiKey"];

/// One audit entry; its `details` say what the action was about, field by field.
export type AuditView = Schemas["AuditView"];

/// A page of audit entries, newest first.
export type AuditPage = Schemas["AuditPage"];

/// A site.
export type SiteView = Schemas["SiteView"];

/// `GET /api/sites`: the sites, by name.
export type SiteList = Schemas["SiteList"];

/// Body of `POST /api/sites`.
export type CreateSite = Schemas["CreateSite"];

/// Body of `PATCH /api/sites/{id}`: absent fields stay.
export type UpdateSite = Schemas["UpdateSite"];

/// A camera, as far as grants name one.
export type CameraSummary = Pick<Schemas["CameraView"], "id" | "site_id" | "name">;

/// `GET /api/cameras`: the cameras, by name.
export type CameraList = Schemas["CameraList"];

/// A tenant.
export type TenantView = Schemas["TenantView"];

/// `GET /api/tenants`: the tenants, by name.
export type TenantList = Schemas["TenantList"];

/// Body of `POST /api/tenants`.
export type CreateTenant = Schemas["CreateTenant"];

/// Body of `PATCH /api/tenants/{id}`: absent fields stay; a `null` quota
/// leaves only the licence's limit.
export type UpdateTenant = Schemas["UpdateTenant"];

/// What the installation may do now.
export type LicenseView = Schemas["LicenseView"];

/// Body of `POST /api/auth/password`.
export type ChangePassword = Schemas["ChangePassword"];

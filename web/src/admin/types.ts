// The administration API's shapes, as far as the admin screen uses them.
// Written by hand; each names the Rust type (in `vms_control`) it mirrors.
// Times are RFC 3339 text; ids are UUIDs.

/// Where a role is granted: `tenant` (everywhere), `site` or `camera`
/// (`vms_catalog::access::GrantScope`, as `GrantView::scope` words it).
export type ScopeKind = "tenant" | "site" | "camera";

/// A granted role (`user_api::model::GrantView`).
export interface GrantView {
  role: string;
  scope: ScopeKind;
  /// The site or camera, for scoped grants.
  scope_id?: string | null;
}

/// A role to grant (`user_api::model::RoleInput`): a name (tenant-wide), or
/// the role on one site or one camera, never both.
export type RoleInput = string | { role: string; site_id?: string; camera_id?: string };

/// A user; never the password (`user_api::model::UserView`).
export interface UserView {
  id: string;
  tenant_id: string;
  username: string;
  display_name: string;
  /// Sign-in refused.
  disabled: boolean;
  super_admin: boolean;
  created_at: string;
  updated_at: string;
  last_login_at?: string | null;
  roles: GrantView[];
}

/// Body of `POST /api/users` (`user_api::model::CreateUser`).
export interface CreateUser {
  username: string;
  /// At least 12 characters, mixing two of: lower case, upper case, digits, symbols.
  password: string;
  display_name?: string;
  roles: RoleInput[];
}

/// Body of `PATCH /api/users/{id}` (`user_api::model::UpdateUser`): absent fields stay.
export interface UpdateUser {
  display_name?: string;
  /// Disabling ends the user's sessions.
  disabled?: boolean;
  /// Replaces every grant, and ends the user's sessions.
  roles?: RoleInput[];
}

/// A one-time password reset token (`user_api::model::PasswordResetView`): shown once.
export interface PasswordResetView {
  token: string;
  expires_at: string;
}

/// A role (`role_api::model::RoleView`).
export interface RoleView {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  /// Built-in roles cannot be changed.
  built_in: boolean;
}

/// A permission and what it allows (`role_api::model::PermissionView`).
export interface PermissionView {
  name: string;
  description: string;
}

/// Roles, built-in first, and every permission (`role_api::model::RoleList`).
export interface RoleList {
  items: RoleView[];
  permissions: PermissionView[];
}

/// Body of `POST /api/roles` (`role_api::model::CreateRole`).
export interface CreateRole {
  name: string;
  description: string;
  permissions: string[];
}

/// Body of `PATCH /api/roles/{id}` (`role_api::model::UpdateRole`).
export interface UpdateRole {
  description?: string;
  /// Replaces the permissions, and ends the sessions of the role's holders.
  permissions?: string[];
}

/// An API key, without the key (`api_key_api::model::ApiKeyView`).
export interface ApiKeyView {
  id: string;
  name: string;
  /// Its first characters, to recognise it.
  prefix: string;
  /// The owner, whose access it narrows.
  user_id: string;
  permissions: string[];
  created_at: string;
  expires_at?: string | null;
  revoked_at?: string | null;
  last_used_at?: string | null;
  last_used_ip?: string | null;
}

/// A new key and, this once only, the key itself (`api_key_api::model::CreatedApiKey`).
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

/// Body of `POST /api/api-keys` (`api_key_api::model::CreateApiKey`).
export interface CreateApiKey {
  name: string;
  /// Each one the creator holds somewhere; at least one.
  permissions: string[];
  /// Default: never.
  expires_at?: string;
}

/// `success`, `failure` or `denied`.
export type AuditOutcome = "success" | "failure" | "denied";

/// One audit entry (`audit_api::model::AuditView`).
export interface AuditView {
  /// Position in the tamper-evident chain.
  seq: number;
  id: string;
  occurred_at: string;
  /// `user`, `api_key`, `system` or `anonymous`.
  actor_kind: string;
  actor_id?: string | null;
  actor_name: string;
  action: string;
  target_kind: string;
  target_id: string;
  source_ip: string;
  outcome: AuditOutcome | string;
  details: unknown;
}

/// A page of audit entries, newest first (`audit_api::model::AuditPage`).
export interface AuditPage {
  items: AuditView[];
  /// Pass as `before` for the next, older page; absent on the last.
  next_before?: number | null;
}

/// A site (`site_api::model::SiteView`).
export interface SiteView {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  /// IANA time zone.
  timezone: string;
  created_at: string;
  updated_at: string;
}

/// Body of `POST /api/sites` (`site_api::model::CreateSite`) and of
/// `PATCH /api/sites/{id}` (`UpdateSite`, every field).
export interface SiteInput {
  name: string;
  description: string;
  timezone: string;
}

/// A camera, as far as grants name one (`camera_api::model::CameraView`).
export interface CameraSummary {
  id: string;
  site_id: string;
  name: string;
}

/// A tenant (`tenant_api::model::TenantView`).
export interface TenantView {
  id: string;
  name: string;
  created_at: string;
  /// Most cameras it may have; null: only the licence's limit.
  camera_quota?: number | null;
  /// Days its events are kept.
  event_retention_days: number;
  /// The administrator created with it.
  admin_id?: string | null;
}

/// Body of `POST /api/tenants` (`tenant_api::model::CreateTenant`).
export interface CreateTenant {
  name: string;
  /// Created with the `admin` role in the new tenant.
  admin?: { username: string; password: string };
  camera_quota?: number;
}

/// Body of `PATCH /api/tenants/{id}` (`tenant_api::model::UpdateTenant`):
/// absent fields stay; a `null` quota leaves only the licence's limit.
export interface UpdateTenant {
  name?: string;
  camera_quota?: number | null;
  /// 1 to 3650.
  event_retention_days?: number;
}

/// `unlicensed`, `valid`, `grace`, `expired` or `invalid`.
export type LicenseStatus = "unlicensed" | "valid" | "grace" | "expired" | "invalid";

/// What the installation may do now (`license_api::model::LicenseView`).
export interface LicenseView {
  status: LicenseStatus | string;
  max_cameras: number;
  /// Across every tenant.
  cameras_in_use: number;
  features: string[];
  customer?: string | null;
  license_id?: string | null;
  expires_at?: string | null;
  /// Licences may be bound to it.
  installation_id: string;
  /// Why a licence is not in force, or a warning.
  message?: string | null;
}

/// Body of `POST /api/auth/password` (`auth::model::ChangePassword`).
export interface ChangePassword {
  current_password: string;
  new_password: string;
}

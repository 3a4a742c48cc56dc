-- Tenant isolation in the database, and scoped permissions.
--
-- Every tenant-owned table is under Row Level Security keyed by the
-- per-transaction setting `vms.tenant_id` (see vms_catalog::scope). The
-- application connects as `vms_app`, which is neither superuser nor owner nor
-- BYPASSRLS, and FORCE ROW LEVEL SECURITY applies the policies to the owner
-- too. A query that sets no tenant sees no rows. Work across tenants (login by
-- user name, plane assignments, super-admin actions) must say so explicitly
-- with `vms.cross_tenant = on` for its transaction.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vms_app') THEN
        CREATE ROLE vms_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;

CREATE FUNCTION vms_tenant_visible(t uuid) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT coalesce(current_setting('vms.cross_tenant', true), '') = 'on'
        OR t = nullif(current_setting('vms.tenant_id', true), '')::uuid
$$;

-- Role grants at tenant, site or camera scope.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_pkey;
ALTER TABLE user_roles
    ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    ADD COLUMN scope_kind text NOT NULL DEFAULT 'tenant' CHECK (scope_kind IN ('tenant', 'site', 'camera')),
    ADD COLUMN scope_id uuid,
    ADD CONSTRAINT user_roles_scope_check CHECK ((scope_kind = 'tenant') = (scope_id IS NULL));
CREATE UNIQUE INDEX user_roles_grant_key
    ON user_roles (user_id, role_id, scope_kind, coalesce(scope_id, '00000000-0000-0000-0000-000000000000'));

-- A super-admin may act in any tenant, explicitly (X-VMS-Tenant), and manage tenants.
ALTER TABLE users ADD COLUMN super_admin boolean NOT NULL DEFAULT false;
UPDATE users SET super_admin = true WHERE lower(username) = 'admin'
    AND tenant_id = (SELECT id FROM tenants WHERE name = 'default');

-- Admin-issued one-time password reset tokens (stored as SHA-256 digests).
CREATE TABLE password_resets (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- API keys for integrations: a subset of their creator's permissions.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    tenant_id    uuid NOT NULL,
    user_id      uuid NOT NULL,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    prefix       text NOT NULL,
    key_hash     bytea NOT NULL UNIQUE,
    permissions  text[] NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    last_used_ip text,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

-- Row Level Security on every tenant-owned table.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['sites', 'cameras', 'streams', 'users', 'user_roles', 'refresh_tokens',
                             'password_resets', 'api_keys']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (vms_tenant_visible(tenant_id)) '
                       'WITH CHECK (vms_tenant_visible(tenant_id))', t);
    END LOOP;
END
$$;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (vms_tenant_visible(id)) WITH CHECK (vms_tenant_visible(id));

-- Built-in roles (tenant_id NULL) are readable by every tenant and changeable by none.
ALTER TABLE roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE roles FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON roles
    USING (tenant_id IS NULL OR vms_tenant_visible(tenant_id))
    WITH CHECK (tenant_id IS NOT NULL AND vms_tenant_visible(tenant_id));

GRANT USAGE ON SCHEMA public TO vms_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, sites, cameras, streams, roles, users, user_roles,
    refresh_tokens, password_resets, api_keys TO vms_app;
GRANT SELECT ON _sqlx_migrations TO vms_app;
GRANT USAGE, SELECT ON SEQUENCE catalog_revision TO vms_app;
GRANT EXECUTE ON FUNCTION vms_tenant_visible(uuid), notify_catalog_change() TO vms_app;

-- API keys are managed by admins and operators.
UPDATE roles SET permissions = array_append(permissions, 'apikey.manage')
    WHERE tenant_id IS NULL AND name IN ('admin', 'operator');

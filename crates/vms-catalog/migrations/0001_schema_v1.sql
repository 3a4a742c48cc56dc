-- Schema v1: tenants, sites, cameras, streams, users, roles and refresh tokens.
--
-- Every tenant-owned table carries tenant_id, and child rows reference their
-- parent through (tenant_id, id) so a row can never point into another tenant.
-- Row Level Security policies keyed on tenant_id are added by a later migration.

CREATE TABLE tenants (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sites (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    timezone    text NOT NULL DEFAULT 'UTC',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE cameras (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_id     uuid NOT NULL,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    enabled     boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, id),
    UNIQUE (site_id, name),
    -- A site with cameras cannot be deleted; move or delete the cameras first.
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE RESTRICT
);
CREATE INDEX cameras_tenant_idx ON cameras (tenant_id);

CREATE TABLE streams (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL,
    camera_id   uuid NOT NULL,
    role        text NOT NULL CHECK (role IN ('main', 'sub')),
    url         text NOT NULL,
    transport   text NOT NULL DEFAULT 'tcp' CHECK (transport IN ('tcp', 'udp')),
    -- {username, password} sealed with XChaCha20-Poly1305 under the node's
    -- credential key, bound to this row's id. Never stored or returned in clear.
    credentials bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (camera_id, role),
    FOREIGN KEY (tenant_id, camera_id) REFERENCES cameras (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX streams_tenant_idx ON streams (tenant_id);

-- tenant_id NULL marks a built-in role shared by every tenant.
CREATE TABLE roles (
    id          uuid PRIMARY KEY,
    tenant_id   uuid REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text NOT NULL DEFAULT '',
    permissions text[] NOT NULL DEFAULT '{}',
    built_in    boolean NOT NULL DEFAULT false,
    UNIQUE NULLS NOT DISTINCT (tenant_id, name)
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    username      text NOT NULL CHECK (length(username) BETWEEN 1 AND 100),
    display_name  text NOT NULL DEFAULT '',
    -- PHC string of an Argon2id hash.
    password_hash text NOT NULL,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    UNIQUE (tenant_id, id)
);
-- User names are unique across tenants, since login names no tenant.
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

CREATE TABLE user_roles (
    tenant_id uuid NOT NULL,
    user_id   uuid NOT NULL,
    role_id   uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- Opaque refresh tokens, stored as SHA-256 digests. A family is one login;
-- each refresh rotates to a new row of the same family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL UNIQUE,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

INSERT INTO roles (id, tenant_id, name, description, permissions, built_in) VALUES
    (gen_random_uuid(), NULL, 'admin', 'Full control of the tenant',
     ARRAY['camera.view_live', 'camera.view_archive', 'camera.ptz', 'camera.export', 'camera.manage',
           'site.manage', 'event.read', 'user.manage', 'audit.read', 'system.manage'], true),
    (gen_random_uuid(), NULL, 'operator', 'Watches live and archive, controls PTZ, exports',
     ARRAY['camera.view_live', 'camera.view_archive', 'camera.ptz', 'camera.export', 'event.read'], true),
    (gen_random_uuid(), NULL, 'viewer', 'Watches live video',
     ARRAY['camera.view_live', 'event.read'], true),
    (gen_random_uuid(), NULL, 'auditor', 'Reads the audit trail',
     ARRAY['audit.read'], true);

-- Every change to what the planes must do bumps catalog_revision and notifies
-- listeners, so control can push new assignments at once.
CREATE SEQUENCE catalog_revision;

CREATE FUNCTION notify_catalog_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('vms_catalog', nextval('catalog_revision')::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER cameras_changed AFTER INSERT OR UPDATE OR DELETE ON cameras
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_change();
CREATE TRIGGER streams_changed AFTER INSERT OR UPDATE OR DELETE ON streams
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_change();

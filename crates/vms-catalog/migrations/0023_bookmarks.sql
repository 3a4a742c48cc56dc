-- Bookmarks (docs/guide/bookmarks.md): a named time range on one or more
-- cameras, with a description and tags, searchable by text and tag.
--
-- A locked bookmark is evidence: the recorders' retention (by age, quota or
-- free space) never removes footage of its cameras that overlaps its range
-- until someone with `evidence.lock` unlocks it. Cameras are kept as ids, so
-- a lock outlives the camera's deletion; a tenant's deletion takes its
-- bookmarks, and so its locks, with it.
CREATE TABLE bookmarks (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    tags        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
    cameras     uuid[] NOT NULL CHECK (cardinality(cameras) BETWEEN 1 AND 64),
    start_time  timestamptz NOT NULL,
    end_time    timestamptz NOT NULL CHECK (end_time > start_time),
    locked_at   timestamptz,
    locked_by   uuid,
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bookmarks_tenant_start_idx ON bookmarks (tenant_id, start_time DESC, id DESC);
CREATE INDEX bookmarks_tags_idx ON bookmarks USING gin (tags);
CREATE INDEX bookmarks_locked_cameras_idx ON bookmarks USING gin (cameras) WHERE locked_at IS NOT NULL;

ALTER TABLE bookmarks ENABLE ROW LEVEL SECURITY;
ALTER TABLE bookmarks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON bookmarks
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON bookmarks TO vms_app;

-- Administrators lock and unlock evidence.
UPDATE roles SET permissions = array_append(permissions, 'evidence.lock')
    WHERE tenant_id IS NULL AND name = 'admin' AND NOT ('evidence.lock' = ANY (permissions));

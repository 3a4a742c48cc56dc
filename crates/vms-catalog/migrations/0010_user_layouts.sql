-- Custom live-view layouts, saved per user: a grid size and the camera in
-- each tile (JSON array of camera ids or nulls).
CREATE TABLE user_layouts (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id  uuid NOT NULL,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    size       integer NOT NULL CHECK (size IN (1, 4, 9, 16)),
    cells      jsonb NOT NULL CHECK (jsonb_typeof(cells) = 'array' AND jsonb_array_length(cells) = size),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, name)
);
CREATE INDEX user_layouts_tenant_idx ON user_layouts (tenant_id);

ALTER TABLE user_layouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_layouts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_layouts
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON user_layouts TO vms_app;

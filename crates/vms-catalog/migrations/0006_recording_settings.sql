-- How long each camera's recordings are kept. Without a row, or with no
-- limit, recordings stay until their storage root's quota or free-space
-- floor makes room for newer ones (oldest first).
CREATE TABLE recording_settings (
    camera_id      uuid PRIMARY KEY REFERENCES cameras (id) ON DELETE CASCADE,
    tenant_id      uuid NOT NULL,
    retention_days integer CHECK (retention_days BETWEEN 1 AND 36500),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recording_settings_tenant_idx ON recording_settings (tenant_id);

ALTER TABLE recording_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE recording_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON recording_settings
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON recording_settings TO vms_app;

-- Each camera's analytics settings (vms_base::analytics::CameraAnalytics,
-- docs/guide/analytics.md): rate, filters, zones, lines and masks. Without
-- a row a camera is analysed with the plane's defaults. Control checks a
-- setting before storing it; the analytics plane receives it with its
-- assignments, so a change notifies the planes like a camera's does.
CREATE TABLE camera_analytics (
    camera_id  uuid PRIMARY KEY,
    tenant_id  uuid NOT NULL,
    settings   jsonb NOT NULL CHECK (jsonb_typeof(settings) = 'object' AND octet_length(settings::text) <= 262144),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- The camera's own tenant: a row can never pair one tenant's camera with another.
    FOREIGN KEY (tenant_id, camera_id) REFERENCES cameras (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX camera_analytics_tenant_idx ON camera_analytics (tenant_id);

ALTER TABLE camera_analytics ENABLE ROW LEVEL SECURITY;
ALTER TABLE camera_analytics FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON camera_analytics
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON camera_analytics TO vms_app;

CREATE TRIGGER camera_analytics_changed AFTER INSERT OR UPDATE OR DELETE ON camera_analytics
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_change();

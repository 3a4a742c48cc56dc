-- Cameras that were deleted while their footage is kept: recordings are
-- evidence and outlive their camera until retention removes them
-- (`recording.orphan_retention_days`), and users with archive rights must
-- still find, play and export them. The camera's site and name are kept so
-- grants on the site or the camera still decide who may.
--
-- A trigger records every deleted camera; the recorder's retention forgets
-- one once no footage of it is left.

CREATE TABLE deleted_cameras (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_id     uuid NOT NULL,
    name        text NOT NULL,
    deleted_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deleted_cameras_tenant_idx ON deleted_cameras (tenant_id);

ALTER TABLE deleted_cameras ENABLE ROW LEVEL SECURITY;
ALTER TABLE deleted_cameras FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON deleted_cameras
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON deleted_cameras TO vms_app;

CREATE FUNCTION deleted_cameras_record() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO deleted_cameras (id, tenant_id, site_id, name) VALUES (OLD.id, OLD.tenant_id, OLD.site_id, OLD.name)
    ON CONFLICT (id) DO UPDATE SET site_id = EXCLUDED.site_id, name = EXCLUDED.name, deleted_at = now();
    RETURN NULL;
END
$$;

CREATE TRIGGER deleted_cameras_record AFTER DELETE ON cameras
    FOR EACH ROW EXECUTE FUNCTION deleted_cameras_record();
GRANT EXECUTE ON FUNCTION deleted_cameras_record() TO vms_app;

-- Per-tenant camera quotas under the installation's licence.
--
-- NULL means no tenant limit: only the licence applies. Quotas are set by a
-- super-admin, i.e. by cross-tenant work. A transaction scoped to a tenant can
-- see and update its own `tenants` row (Row Level Security, migration 0002;
-- camera creation locks it `FOR UPDATE`), so a trigger keeps such
-- transactions from setting or changing the quota.
ALTER TABLE tenants ADD COLUMN camera_quota integer CHECK (camera_quota >= 0);

CREATE FUNCTION tenants_guard_camera_quota() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    changed boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := NEW.camera_quota IS NOT NULL;
    ELSE
        changed := NEW.camera_quota IS DISTINCT FROM OLD.camera_quota;
    END IF;
    IF changed AND coalesce(current_setting('vms.cross_tenant', true), '') <> 'on' THEN
        RAISE EXCEPTION 'only a super-admin may set a tenant''s camera quota'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION tenants_guard_camera_quota() FROM PUBLIC;

CREATE TRIGGER tenants_guard_camera_quota BEFORE INSERT OR UPDATE OF camera_quota ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_guard_camera_quota();

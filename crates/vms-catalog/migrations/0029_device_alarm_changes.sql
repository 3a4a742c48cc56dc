-- The media plane subscribes to the alarms of onboarded devices and imported
-- NVRs: a change to either (or to an NVR's channels) changes its assignments.
CREATE TRIGGER camera_devices_changed AFTER INSERT OR UPDATE OR DELETE ON camera_devices
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_change();
CREATE TRIGGER nvrs_changed AFTER INSERT OR UPDATE OR DELETE ON nvrs
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_change();
CREATE TRIGGER nvr_channels_changed AFTER INSERT OR UPDATE OR DELETE ON nvr_channels
    FOR EACH STATEMENT EXECUTE FUNCTION notify_catalog_change();

-- Licence limits count cameras across every tenant, which the application
-- role cannot see; this function counts them for it and reveals nothing else.
CREATE FUNCTION vms_camera_count() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT count(*) FROM cameras
$$;
REVOKE ALL ON FUNCTION vms_camera_count() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vms_camera_count() TO vms_app;

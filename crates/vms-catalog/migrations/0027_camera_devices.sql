-- The device behind a camera added by onboarding (ONVIF): where its device
-- service answers, who it says it is, the profiles its streams came from,
-- its PTZ profile and its credentials, sealed like stream credentials (the
-- camera id is the sealing's associated data). Onboarding the same device
-- again finds it here, by device URL (or endpoint reference), and updates
-- its camera instead of adding another.
CREATE TABLE camera_devices (
    camera_id     uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL,
    protocol      text NOT NULL CHECK (protocol IN ('onvif')),
    device_url    text NOT NULL CHECK (octet_length(device_url) BETWEEN 1 AND 2048),
    endpoint      text CHECK (octet_length(endpoint) <= 512),
    manufacturer  text CHECK (octet_length(manufacturer) <= 256),
    model         text CHECK (octet_length(model) <= 256),
    firmware      text CHECK (octet_length(firmware) <= 256),
    serial        text CHECK (octet_length(serial) <= 256),
    main_profile  text CHECK (octet_length(main_profile) <= 256),
    sub_profile   text CHECK (octet_length(sub_profile) <= 256),
    ptz_profile   text CHECK (octet_length(ptz_profile) <= 256),
    snapshot_url  text CHECK (octet_length(snapshot_url) <= 2048),
    credentials   bytea,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (tenant_id, camera_id) REFERENCES cameras (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX camera_devices_url_idx ON camera_devices (tenant_id, device_url);
CREATE INDEX camera_devices_endpoint_idx ON camera_devices (tenant_id, endpoint) WHERE endpoint IS NOT NULL;

ALTER TABLE camera_devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE camera_devices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON camera_devices
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON camera_devices TO vms_app;

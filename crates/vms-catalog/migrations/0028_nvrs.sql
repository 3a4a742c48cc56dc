-- NVRs imported as a whole: who they are, how to reach them (vendor,
-- address, sealed credentials with the NVR id as associated data) and
-- their channels, each with the camera made from it. Importing the same
-- NVR again (same tenant, vendor and address) updates it and its cameras
-- instead of adding another; `all_channels` says whether new channels
-- found by a sync become cameras too (the import asked for every channel).
CREATE TABLE nvrs (
    id            uuid PRIMARY KEY,
    tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_id       uuid NOT NULL,
    vendor        text NOT NULL CHECK (vendor IN ('onvif', 'hikvision', 'dahua')),
    address       text NOT NULL CHECK (octet_length(address) BETWEEN 1 AND 2048),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    manufacturer  text CHECK (octet_length(manufacturer) <= 256),
    model         text CHECK (octet_length(model) <= 256),
    firmware      text CHECK (octet_length(firmware) <= 256),
    serial        text CHECK (octet_length(serial) <= 256),
    credentials   bytea NOT NULL,
    all_channels  boolean NOT NULL,
    synced_at     timestamptz NOT NULL DEFAULT now(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, vendor, address),
    UNIQUE (site_id, name),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE RESTRICT
);

CREATE TABLE nvr_channels (
    tenant_id  uuid NOT NULL,
    nvr_id     uuid NOT NULL,
    number     integer NOT NULL CHECK (number BETWEEN 1 AND 65535),
    name       text CHECK (length(name) <= 200),
    online     boolean,
    main_url   text NOT NULL CHECK (octet_length(main_url) BETWEEN 1 AND 2048),
    sub_url    text CHECK (octet_length(sub_url) <= 2048),
    -- The device's name for the channel's video (an ONVIF video source
    -- token): a channel keeps its number when the NVR lists it elsewhere.
    source     text CHECK (octet_length(source) <= 256),
    -- False once the NVR stopped listing it: its camera stays linked, and
    -- gets the channel's streams again when it comes back.
    present    boolean NOT NULL DEFAULT true,
    -- The camera made from the channel; a camera deleted on its own leaves
    -- the channel, not imported.
    camera_id  uuid,
    PRIMARY KEY (nvr_id, number),
    UNIQUE (camera_id),
    FOREIGN KEY (tenant_id, nvr_id) REFERENCES nvrs (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, camera_id) REFERENCES cameras (tenant_id, id) ON DELETE SET NULL (camera_id)
);
CREATE INDEX nvr_channels_tenant_idx ON nvr_channels (tenant_id);

ALTER TABLE nvrs ENABLE ROW LEVEL SECURITY;
ALTER TABLE nvrs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON nvrs
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
ALTER TABLE nvr_channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE nvr_channels FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON nvr_channels
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON nvrs, nvr_channels TO vms_app;

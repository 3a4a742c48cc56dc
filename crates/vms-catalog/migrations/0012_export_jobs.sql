-- Export jobs: one MP4 of a recorded window each, made by the control plane
-- of `node_id` into its <data_dir>/exports. A row outlives a restart: one
-- still `running` when its node starts again is marked failed with error
-- 'interrupted'. A finished file is deleted at `expires_at` and its row
-- marked `expired`; `bytes` of `done` rows is what exports hold on disk.
CREATE TABLE export_jobs (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    camera_id   uuid NOT NULL,
    user_id     uuid NOT NULL,
    node_id     text NOT NULL,
    stream      text NOT NULL CHECK (stream IN ('main', 'sub')),
    start_time  timestamptz NOT NULL,
    end_time    timestamptz NOT NULL,
    status      text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'expired')),
    error       text,
    bytes       bigint NOT NULL DEFAULT 0 CHECK (bytes >= 0),
    sha256      text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    expires_at  timestamptz
);
CREATE INDEX export_jobs_tenant_idx ON export_jobs (tenant_id);
CREATE INDEX export_jobs_node_idx ON export_jobs (node_id, status);

ALTER TABLE export_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE export_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON export_jobs
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON export_jobs TO vms_app;

-- The recording index: every segment file the recorder writes, and every
-- fragment (one GOP) inside it, so playback and export can find any moment
-- without scanning files. The files are the source of truth; this index can
-- be rebuilt from them (`vms recorder reindex`).
--
-- Camera and stream ids carry no foreign key: recordings are evidence and
-- outlive the deletion of their camera until retention removes them.

CREATE TABLE recording_segments (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    camera_id   uuid NOT NULL,
    stream_id   uuid NOT NULL,
    stream_role text NOT NULL CHECK (stream_role IN ('main', 'sub')),
    -- The storage root, and the file's path relative to it.
    root        text NOT NULL,
    path        text NOT NULL,
    start_time  timestamptz NOT NULL,
    end_time    timestamptz NOT NULL CHECK (end_time >= start_time),
    bytes       bigint NOT NULL CHECK (bytes >= 0),
    codec       text NOT NULL,
    width       integer NOT NULL,
    height      integer NOT NULL,
    -- Still being written.
    open        boolean NOT NULL DEFAULT true,
    UNIQUE (root, path)
);
CREATE INDEX recording_segments_time_idx ON recording_segments (camera_id, stream_role, start_time);
CREATE INDEX recording_segments_tenant_idx ON recording_segments (tenant_id);

CREATE TABLE recording_fragments (
    segment_id  uuid NOT NULL REFERENCES recording_segments (id) ON DELETE CASCADE,
    tenant_id   uuid NOT NULL,
    -- The fragment's sequence number in its file, from 1.
    seq         integer NOT NULL CHECK (seq > 0),
    start_time  timestamptz NOT NULL,
    duration_ms integer NOT NULL CHECK (duration_ms >= 0),
    -- Where its moof starts in the file, and its length with the mdat.
    byte_offset bigint NOT NULL CHECK (byte_offset >= 0),
    byte_len    integer NOT NULL CHECK (byte_len > 0),
    keyframe    boolean NOT NULL,
    pictures    integer NOT NULL CHECK (pictures > 0),
    PRIMARY KEY (segment_id, seq)
);
CREATE INDEX recording_fragments_time_idx ON recording_fragments (segment_id, start_time);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['recording_segments', 'recording_fragments']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (vms_tenant_visible(tenant_id)) '
                       'WITH CHECK (vms_tenant_visible(tenant_id))', t);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON recording_segments, recording_fragments TO vms_app;

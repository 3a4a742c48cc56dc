-- The stretches of each camera stream with video: its files joined where
-- one follows another within 500 ms (files follow each other to the
-- millisecond; the index rounds). A timeline of many cameras over a month
-- reads these few rows instead of every file (16 cameras × 30 days of
-- 10-minute files are 69,120 files but a few hundred stretches).
--
-- A trigger on recording_segments keeps them, whoever writes the index (the
-- recorder as it records, crash recovery, reindex, retention): a file added
-- or grown joins or extends the stretches it touches; a file removed or
-- moved cuts its stretch back, or splits it when it lay in the middle. The
-- trigger takes a transaction-scoped advisory lock per camera stream, so the
-- recorder growing the newest file and retention removing the oldest do not
-- lose each other's change.

-- The backfill at the end reads every tenant's files (the tables force row
-- level security, even on their owner).
SELECT set_config('vms.cross_tenant', 'on', true);

CREATE TABLE recording_stretches (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL,
    camera_id   uuid NOT NULL,
    stream_role text NOT NULL,
    start_time  timestamptz NOT NULL,
    end_time    timestamptz NOT NULL CHECK (end_time > start_time)
);
CREATE INDEX recording_stretches_time_idx ON recording_stretches (camera_id, stream_role, start_time);
CREATE INDEX recording_stretches_end_idx ON recording_stretches (camera_id, stream_role, end_time);
CREATE INDEX recording_stretches_tenant_idx ON recording_stretches (tenant_id);

ALTER TABLE recording_stretches ENABLE ROW LEVEL SECURITY;
ALTER TABLE recording_stretches FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON recording_stretches
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON recording_stretches TO vms_app;

-- How far apart two files of a stream may be and still make one stretch.
CREATE FUNCTION recording_stretch_gap() RETURNS interval
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT interval '500 milliseconds' $$;

-- Joins [s, e) of a camera stream into its stretches.
CREATE FUNCTION recording_stretches_add(t uuid, c uuid, r text, s timestamptz, e timestamptz) RETURNS void
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    near CONSTANT interval := recording_stretch_gap();
    touched uuid[];
    first_start timestamptz;
    last_end timestamptz;
BEGIN
    SELECT array_agg(id), min(start_time), max(end_time) INTO touched, first_start, last_end
    FROM recording_stretches
    WHERE camera_id = c AND stream_role = r AND start_time <= e + near AND end_time >= s - near;
    IF touched IS NULL THEN
        INSERT INTO recording_stretches (tenant_id, camera_id, stream_role, start_time, end_time)
        VALUES (t, c, r, s, e);
    ELSIF cardinality(touched) = 1 THEN
        -- The common case: a file growing at the end of its stretch.
        UPDATE recording_stretches SET start_time = least(start_time, s), end_time = greatest(end_time, e)
        WHERE id = touched[1] AND (start_time > s OR end_time < e);
    ELSE
        DELETE FROM recording_stretches WHERE id = ANY(touched);
        INSERT INTO recording_stretches (tenant_id, camera_id, stream_role, start_time, end_time)
        VALUES (t, c, r, least(first_start, s), greatest(last_end, e));
    END IF;
END
$$;

-- Rebuilds the stretches of a camera stream within [s, e] from its files.
CREATE FUNCTION recording_stretches_rebuild(t uuid, c uuid, r text, s timestamptz, e timestamptz) RETURNS void
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM recording_stretches
    WHERE camera_id = c AND stream_role = r AND start_time >= s AND end_time <= e;
    INSERT INTO recording_stretches (tenant_id, camera_id, stream_role, start_time, end_time)
    SELECT t, c, r, min(start_time), max(end_time)
    FROM (SELECT start_time, end_time,
                 count(*) FILTER (WHERE start_time > reach) OVER (ORDER BY start_time, id) AS stretch
          FROM (SELECT id, start_time, end_time,
                       max(end_time) OVER (ORDER BY start_time, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                         + recording_stretch_gap() AS reach
                FROM recording_segments
                WHERE camera_id = c AND stream_role = r AND start_time >= s AND start_time <= e
                  AND end_time > start_time) files) joined
    GROUP BY stretch;
END
$$;

-- Takes [s, e) (a file that went, or where it was) out of its stretch: the
-- stretch is rebuilt from the files it still holds, so it shrinks, splits
-- or goes, overlapping files included.
CREATE FUNCTION recording_stretches_remove(t uuid, c uuid, r text, s timestamptz, e timestamptz) RETURNS void
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    held recording_stretches%ROWTYPE;
BEGIN
    SELECT * INTO held FROM recording_stretches
    WHERE camera_id = c AND stream_role = r AND start_time <= s AND end_time >= e
    ORDER BY start_time DESC LIMIT 1;
    IF FOUND THEN
        PERFORM recording_stretches_rebuild(t, c, r, held.start_time, held.end_time);
    END IF;
END
$$;

CREATE FUNCTION recording_stretches_follow() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    row recording_segments%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN row := OLD; ELSE row := NEW; END IF;
    -- One writer of a stream's stretches at a time, until this transaction ends.
    PERFORM pg_advisory_xact_lock(hashtextextended('recording_stretches/' || row.camera_id || '/' || row.stream_role, 0));
    IF TG_OP = 'UPDATE' AND (OLD.camera_id, OLD.stream_role) IS DISTINCT FROM (NEW.camera_id, NEW.stream_role) THEN
        PERFORM pg_advisory_xact_lock(
            hashtextextended('recording_stretches/' || OLD.camera_id || '/' || OLD.stream_role, 0));
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.start_time = OLD.start_time AND NEW.end_time >= OLD.end_time
        AND NEW.camera_id = OLD.camera_id AND NEW.stream_role = OLD.stream_role THEN
        -- A file growing as it is written.
        IF NEW.end_time > NEW.start_time THEN
            PERFORM recording_stretches_add(NEW.tenant_id, NEW.camera_id, NEW.stream_role, NEW.start_time, NEW.end_time);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.end_time > OLD.start_time THEN
        PERFORM recording_stretches_remove(OLD.tenant_id, OLD.camera_id, OLD.stream_role, OLD.start_time, OLD.end_time);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.end_time > NEW.start_time THEN
        PERFORM recording_stretches_add(NEW.tenant_id, NEW.camera_id, NEW.stream_role, NEW.start_time, NEW.end_time);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER recording_stretches_follow
    AFTER INSERT OR DELETE OR UPDATE OF start_time, end_time, camera_id, stream_role ON recording_segments
    FOR EACH ROW EXECUTE FUNCTION recording_stretches_follow();

GRANT EXECUTE ON FUNCTION recording_stretch_gap(), recording_stretches_add(uuid, uuid, text, timestamptz, timestamptz),
    recording_stretches_rebuild(uuid, uuid, text, timestamptz, timestamptz),
    recording_stretches_remove(uuid, uuid, text, timestamptz, timestamptz),
    recording_stretches_follow() TO vms_app;

-- The stretches of what is indexed already.
INSERT INTO recording_stretches (tenant_id, camera_id, stream_role, start_time, end_time)
SELECT tenant_id, camera_id, stream_role, min(start_time), max(end_time)
FROM (SELECT tenant_id, camera_id, stream_role, start_time, end_time,
             count(*) FILTER (WHERE start_time > reach)
               OVER (PARTITION BY camera_id, stream_role ORDER BY start_time, id) AS stretch
      FROM (SELECT id, tenant_id, camera_id, stream_role, start_time, end_time,
                   max(end_time) OVER (PARTITION BY camera_id, stream_role ORDER BY start_time, id
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                     + recording_stretch_gap() AS reach
            FROM recording_segments WHERE end_time > start_time) files) joined
GROUP BY tenant_id, camera_id, stream_role, stretch;

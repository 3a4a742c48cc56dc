-- Retention removes the oldest file of a stream again and again; rebuilding
-- the whole stretch each time (a month of files, say) made every such
-- removal scan the stream's history. When the file removed started its
-- stretch and no file left overlaps where it lay, the stretch now starts at
-- the next file (one index lookup); anything else is rebuilt as before.
CREATE OR REPLACE FUNCTION recording_stretches_remove(t uuid, c uuid, r text, s timestamptz, e timestamptz)
    RETURNS void
    LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    held recording_stretches%ROWTYPE;
    next_start timestamptz;
BEGIN
    SELECT * INTO held FROM recording_stretches
    WHERE camera_id = c AND stream_role = r AND start_time <= s AND end_time >= e
    ORDER BY start_time DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF held.start_time = s AND NOT EXISTS (
        SELECT 1 FROM recording_segments
        WHERE camera_id = c AND stream_role = r AND start_time >= s AND start_time < e AND end_time > start_time
    ) THEN
        SELECT min(start_time) INTO next_start FROM recording_segments
        WHERE camera_id = c AND stream_role = r AND start_time >= e AND start_time <= held.end_time
          AND end_time > start_time;
        IF next_start IS NULL THEN
            DELETE FROM recording_stretches WHERE id = held.id;
        ELSE
            UPDATE recording_stretches SET start_time = next_start WHERE id = held.id;
        END IF;
        RETURN;
    END IF;
    PERFORM recording_stretches_rebuild(t, c, r, held.start_time, held.end_time);
END
$$;

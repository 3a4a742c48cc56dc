-- Hardening of the functions that run with the schema owner's rights.
--
-- * Retention: `audit_drop_expired` keeps at least seven years whatever its
--   caller asks, so the application role (which runs the daily maintenance)
--   cannot erase the trail by passing a short interval.
-- * `audit_ensure_partitions` creates at most a year back and two ahead,
--   whatever its caller asks, so it cannot be made to create tables by the
--   thousand.
-- * Nobody may call an owner's-rights function unless granted: PostgreSQL
--   grants EXECUTE to PUBLIC by default.
-- * Each pins `search_path` with `pg_temp` last. Unnamed, `pg_temp` is
--   searched first, so a caller's temporary table named `audit_log` or
--   `audit_anchor` would stand in for the real one inside the function.

CREATE OR REPLACE FUNCTION audit_drop_expired(keep interval) RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part record;
    dropped int := 0;
    upper_bound timestamptz;
    -- The legal minimum; a longer `keep` is honoured, a shorter (or NULL) one
    -- is not. Both bounds are applied to the calendar: comparing the intervals
    -- themselves counts a month as 30 days, so '2521 days' would pass for
    -- more than '7 years' and drop a month too early.
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('vms_audit_chain'));
    FOR part IN
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'public.audit_log'::regclass AND c.relname <> 'audit_log_default'
        ORDER BY c.relname
    LOOP
        upper_bound := substring(part.bound FROM 'TO \(''([^'']+)''\)')::timestamptz;
        IF upper_bound <= now() - interval '7 years'
           AND (keep IS NULL OR upper_bound <= now() - keep) THEN
            INSERT INTO audit_anchor (seq, hash, dropped_before)
                SELECT seq, hash, upper_bound FROM audit_log WHERE occurred_at < upper_bound
                ORDER BY seq DESC LIMIT 1
                ON CONFLICT (seq) DO NOTHING;
            EXECUTE format('DROP TABLE public.%I', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;

CREATE OR REPLACE FUNCTION audit_ensure_partitions(months_back int, months_ahead int) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    m int;
    start_at timestamptz;
    name text;
BEGIN
    FOR m IN -least(greatest(months_back, 0), 12)..least(greatest(months_ahead, 0), 24) LOOP
        start_at := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => m);
        name := format('audit_log_y%sm%s', to_char(start_at AT TIME ZONE 'UTC', 'YYYY'), to_char(start_at AT TIME ZONE 'UTC', 'MM'));
        IF to_regclass('public.' || name) IS NULL
           AND NOT EXISTS (SELECT 1 FROM audit_log_default WHERE occurred_at >= start_at
                           AND occurred_at < start_at + interval '1 month') THEN
            EXECUTE format('CREATE TABLE public.%I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
                           name, start_at, start_at + interval '1 month');
        END IF;
    END LOOP;
END
$$;

ALTER FUNCTION audit_chain() SET search_path = public, pg_temp;
ALTER FUNCTION vms_camera_count() SET search_path = public, pg_temp;

REVOKE ALL ON FUNCTION audit_chain() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_ensure_partitions(int, int) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_drop_expired(interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION vms_camera_count() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_ensure_partitions(int, int), audit_drop_expired(interval) TO vms_app;
GRANT EXECUTE ON FUNCTION vms_camera_count() TO vms_app;

-- The writer reads back where its entries went (`INSERT … RETURNING`) to
-- keep the signed checkpoint of the chain head outside the database
-- (`audit::checkpoint`): their position and seals, never their content.
GRANT SELECT (seq, prev_hash, hash) ON audit_log TO vms_audit;
-- Row Level Security applies to RETURNING too.
CREATE POLICY audit_head_read ON audit_log FOR SELECT TO vms_audit USING (true);

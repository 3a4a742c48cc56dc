-- Dropping an empty past month: the emptiness check must not race an insert
-- still in flight. The partition is locked first (waiting at most half a
-- second, else the month is left for the next run), then found empty, then
-- dropped, all under the lock, so no row can arrive in between.
CREATE OR REPLACE FUNCTION events_drop_empty_partitions() RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    part record;
    upper_bound timestamptz;
    has_rows boolean;
    dropped int := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('vms_events_partitions'));
    PERFORM set_config('lock_timeout', '500ms', true);
    FOR part IN
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'public.events'::regclass AND c.relname <> 'events_default'
    LOOP
        upper_bound := substring(part.bound FROM 'TO \(''([^'']+)''\)')::timestamptz;
        IF upper_bound <= (date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') - interval '1 month' THEN
            BEGIN
                EXECUTE format('LOCK TABLE public.events, public.%I IN ACCESS EXCLUSIVE MODE', part.relname);
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I)', part.relname) INTO has_rows;
                IF NOT has_rows THEN
                    EXECUTE format('DROP TABLE public.%I', part.relname);
                    dropped := dropped + 1;
                END IF;
            EXCEPTION WHEN lock_not_available THEN
                NULL;
            END;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;
REVOKE ALL ON FUNCTION events_drop_empty_partitions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION events_drop_empty_partitions() TO vms_app;

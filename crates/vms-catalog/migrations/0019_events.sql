-- Events (docs/ref/events.md): what the analytics plane, devices and
-- integrations reported, as control stored it from the JetStream stream.
--
-- One row per event, whatever the number of messages about it: each message
-- carries `seq` (0 first, then 1, 2, … for updates), and a message updates
-- the row only when its `seq` is higher than the stored one, so a message
-- delivered twice, or late, changes nothing.
--
-- The table is partitioned by month of `start_time`. Events whose month has
-- no partition (a camera whose clock is years off) land in the default
-- partition; `events_ensure_partitions` moves them into a month's partition
-- when it creates one. `site_id` is the camera's site when the event was
-- stored (control fills it in), so a site filter finds what happened there
-- even after the camera moved.
CREATE TABLE events (
    id          uuid NOT NULL,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_id     uuid,
    camera_id   uuid,
    type        text NOT NULL CHECK (length(type) BETWEEN 1 AND 64),
    start_time  timestamptz NOT NULL,
    end_time    timestamptz CHECK (end_time IS NULL OR end_time >= start_time),
    attributes  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    seq         integer NOT NULL DEFAULT 0 CHECK (seq >= 0),
    snapshot    text,
    acked_at    timestamptz,
    acked_by    uuid,
    stored_at   timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, start_time)
) PARTITION BY RANGE (start_time);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_tenant_start_idx ON events (tenant_id, start_time DESC, id DESC);
CREATE INDEX events_camera_start_idx ON events (camera_id, start_time DESC);
CREATE INDEX events_id_idx ON events (id);

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
ALTER TABLE events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
    USING (vms_tenant_visible(tenant_id)) WITH CHECK (vms_tenant_visible(tenant_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON events TO vms_app;

-- How long each tenant keeps its events.
ALTER TABLE tenants ADD COLUMN event_retention_days integer NOT NULL DEFAULT 30
    CHECK (event_retention_days BETWEEN 1 AND 3650);

-- Monthly partitions from `months_back` months ago to `months_ahead` ahead
-- (at most a year back and two ahead, whatever the caller asks). Rows the
-- default partition holds for a month being created move into it.
CREATE FUNCTION events_ensure_partitions(months_back int, months_ahead int) RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    m int;
    start_at timestamptz;
    end_at timestamptz;
    name text;
    created int := 0;
BEGIN
    -- One creator at a time: two controls starting together must not race.
    -- Attaching locks the default partition; give up on waiting for it after
    -- a few seconds rather than hold up the events behind it (the next run
    -- tries again).
    PERFORM pg_advisory_xact_lock(hashtext('vms_events_partitions'));
    PERFORM set_config('lock_timeout', '5s', true);
    FOR m IN -least(greatest(months_back, 0), 12)..least(greatest(months_ahead, 0), 2) LOOP
        start_at := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => m);
        end_at := start_at + interval '1 month';
        name := format('events_y%sm%s', to_char(start_at AT TIME ZONE 'UTC', 'YYYY'),
                       to_char(start_at AT TIME ZONE 'UTC', 'MM'));
        IF to_regclass('public.' || name) IS NULL THEN
            EXECUTE format('CREATE TABLE public.%I (LIKE public.events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                           name);
            EXECUTE format('WITH moved AS (DELETE FROM public.events_default WHERE start_time >= %L '
                           'AND start_time < %L RETURNING *) INSERT INTO public.%I SELECT * FROM moved',
                           start_at, end_at, name);
            EXECUTE format('ALTER TABLE public.events ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                           name, start_at, end_at);
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

-- Drops the monthly partitions that ended before last month (the oldest
-- `events_ensure_partitions` keeps) and hold no row any more: retention
-- deletes rows per tenant, and an empty month goes. Dropping needs an
-- exclusive lock on the table; it waits at most half a second for one and
-- otherwise leaves the month for the next run, so queries never queue
-- behind it for long.
CREATE FUNCTION events_drop_empty_partitions() RETURNS int
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
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I)', part.relname) INTO has_rows;
            IF NOT has_rows THEN
                BEGIN
                    EXECUTE format('DROP TABLE public.%I', part.relname);
                    dropped := dropped + 1;
                EXCEPTION WHEN lock_not_available THEN
                    NULL;
                END;
            END IF;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;

REVOKE ALL ON FUNCTION events_ensure_partitions(int, int) FROM PUBLIC;
REVOKE ALL ON FUNCTION events_drop_empty_partitions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION events_ensure_partitions(int, int), events_drop_empty_partitions() TO vms_app;

SELECT events_ensure_partitions(1, 2);

-- Integrations post events through the API.
UPDATE roles SET permissions = array_append(permissions, 'event.create')
    WHERE tenant_id IS NULL AND name = 'admin' AND NOT ('event.create' = ANY (permissions));

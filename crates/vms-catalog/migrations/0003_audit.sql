-- The audit trail: append-only, hash-chained, partitioned by month.
--
-- Entries are written by the role `vms_audit`, which may only INSERT. A
-- trigger running with the owner's rights numbers each entry (`seq`), links it
-- to the previous one (`prev_hash`) and seals it (`hash` = SHA-256 of the
-- previous hash and the entry's canonical text), so an edited, deleted or
-- reordered entry breaks the chain that `vms audit verify` walks. Reads go
-- through `vms_app` under Row Level Security like every tenant-owned table.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vms_audit') THEN
        CREATE ROLE vms_audit NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;

CREATE SEQUENCE audit_seq;

CREATE TABLE audit_log (
    seq          bigint NOT NULL,
    entry_id     uuid NOT NULL,
    occurred_at  timestamptz NOT NULL,
    tenant_id    uuid,
    actor_kind   text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system', 'anonymous')),
    actor_id     uuid,
    actor_name   text NOT NULL DEFAULT '',
    action       text NOT NULL,
    target_kind  text NOT NULL DEFAULT '',
    target_id    text NOT NULL DEFAULT '',
    source_ip    text NOT NULL DEFAULT '',
    outcome      text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    details      jsonb NOT NULL DEFAULT '{}',
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL,
    PRIMARY KEY (seq, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE UNIQUE INDEX audit_log_entry_key ON audit_log (entry_id, occurred_at);
CREATE INDEX audit_log_tenant_time_idx ON audit_log (tenant_id, occurred_at);
-- Catches entries whose month has no partition yet, so none is ever refused.
CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;

-- What the chain covered before retention dropped old months: verification
-- starts from the last dropped entry's hash instead of the empty genesis.
CREATE TABLE audit_anchor (
    seq   bigint PRIMARY KEY,
    hash  bytea NOT NULL,
    dropped_before timestamptz NOT NULL
);

-- The canonical text of an entry, hashed with the previous entry's hash.
-- Columns are passed one by one: a partition's rows are not of the parent's type.
CREATE FUNCTION audit_entry_hash(
    prev bytea, seq bigint, entry_id uuid, occurred_at timestamptz, tenant_id uuid, actor_kind text,
    actor_id uuid, actor_name text, action text, target_kind text, target_id text, source_ip text,
    outcome text, details jsonb
) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
    SELECT sha256(prev || convert_to(concat_ws(E'\x1f',
        seq, entry_id, (extract(epoch FROM occurred_at) * 1000000)::bigint,
        coalesce(tenant_id::text, ''), actor_kind, coalesce(actor_id::text, ''), actor_name,
        action, target_kind, target_id, source_ip, outcome, details::text), 'UTF8'))
$$;

CREATE FUNCTION audit_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    last_hash bytea;
BEGIN
    -- One writer at a time, until commit, so links follow commit order.
    PERFORM pg_advisory_xact_lock(hashtext('vms_audit_chain'));
    -- A replayed entry is stored once. Checked here, with the owner's rights,
    -- because the writer role may not read the log (ON CONFLICT would need it).
    IF EXISTS (SELECT 1 FROM audit_log WHERE entry_id = NEW.entry_id) THEN
        RETURN NULL;
    END IF;
    SELECT hash INTO last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    IF last_hash IS NULL THEN
        SELECT hash INTO last_hash FROM audit_anchor ORDER BY seq DESC LIMIT 1;
    END IF;
    NEW.seq := nextval('audit_seq');
    NEW.prev_hash := coalesce(last_hash, '\x'::bytea);
    NEW.hash := audit_entry_hash(NEW.prev_hash, NEW.seq, NEW.entry_id, NEW.occurred_at, NEW.tenant_id,
        NEW.actor_kind, NEW.actor_id, NEW.actor_name, NEW.action, NEW.target_kind, NEW.target_id,
        NEW.source_ip, NEW.outcome, NEW.details);
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_chain();

-- Creates the monthly partitions from `months_back` before now to `months_ahead` after.
CREATE FUNCTION audit_ensure_partitions(months_back int, months_ahead int) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    m int;
    start_at timestamptz;
    name text;
BEGIN
    FOR m IN -months_back..months_ahead LOOP
        start_at := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + make_interval(months => m);
        name := format('audit_log_y%sm%s', to_char(start_at AT TIME ZONE 'UTC', 'YYYY'), to_char(start_at AT TIME ZONE 'UTC', 'MM'));
        IF to_regclass(name) IS NULL
           AND NOT EXISTS (SELECT 1 FROM audit_log_default WHERE occurred_at >= start_at
                           AND occurred_at < start_at + interval '1 month') THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
                           name, start_at, start_at + interval '1 month');
        END IF;
    END LOOP;
END
$$;

-- Drops monthly partitions wholly older than `keep`, recording the anchor first.
CREATE FUNCTION audit_drop_expired(keep interval) RETURNS int
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    part record;
    dropped int := 0;
    upper_bound timestamptz;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('vms_audit_chain'));
    FOR part IN
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_log'::regclass AND c.relname <> 'audit_log_default'
        ORDER BY c.relname
    LOOP
        upper_bound := substring(part.bound FROM 'TO \(''([^'']+)''\)')::timestamptz;
        IF upper_bound <= now() - keep THEN
            INSERT INTO audit_anchor (seq, hash, dropped_before)
                SELECT seq, hash, upper_bound FROM audit_log WHERE occurred_at < upper_bound
                ORDER BY seq DESC LIMIT 1
                ON CONFLICT (seq) DO NOTHING;
            EXECUTE format('DROP TABLE %I', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;

SELECT audit_ensure_partitions(1, 12);

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
-- Not forced: the chain trigger reads as the owner across tenants.
CREATE POLICY audit_write ON audit_log FOR INSERT TO vms_audit WITH CHECK (true);
CREATE POLICY audit_read ON audit_log FOR SELECT TO vms_app USING (vms_tenant_visible(tenant_id));

GRANT USAGE ON SCHEMA public TO vms_audit;
GRANT INSERT ON audit_log TO vms_audit;
GRANT SELECT ON audit_log TO vms_app;
GRANT SELECT ON _sqlx_migrations TO vms_audit;
GRANT EXECUTE ON FUNCTION audit_ensure_partitions(int, int), audit_drop_expired(interval) TO vms_app;

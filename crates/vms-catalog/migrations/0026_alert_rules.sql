-- The installation's alert rules: one row per built-in rule whose settings
-- a super-admin changed (a rule without a row keeps its defaults). Not per
-- tenant: the conditions (a disk, a plane, the licence, the audit trail,
-- and cameras across every tenant) are the installation's.
CREATE TABLE alert_rules (
    kind             text PRIMARY KEY CHECK (length(kind) BETWEEN 1 AND 64),
    enabled          boolean NOT NULL,
    threshold        double precision,
    for_secs         integer NOT NULL CHECK (for_secs >= 0),
    clear_after_secs integer NOT NULL CHECK (clear_after_secs >= 0),
    window_secs      integer CHECK (window_secs > 0),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON alert_rules TO vms_app;

-- Control checks the audit chain for the `audit_chain` alert: the chain
-- starts from the last anchor once retention dropped old entries.
GRANT SELECT ON audit_anchor TO vms_app;

-- Control reads the open outages of every camera every few seconds for the
-- camera_offline rule: the events still open, of one type, without walking
-- the whole history.
CREATE INDEX events_open_type_idx ON events (type) WHERE end_time IS NULL;

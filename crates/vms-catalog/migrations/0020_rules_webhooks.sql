-- Rules turn events into actions (vms-rules decides, control acts), and
-- webhooks are where their HTTP calls go.
--
-- A rule's conditions and actions are kept as the JSON the API takes
-- (vms_rules::Conditions and a list of vms_rules::Action).
CREATE TABLE rules (
    id             uuid PRIMARY KEY,
    tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    enabled        boolean NOT NULL DEFAULT true,
    conditions     jsonb NOT NULL CHECK (jsonb_typeof(conditions) = 'object'),
    actions        jsonb NOT NULL CHECK (jsonb_typeof(actions) = 'array'),
    cooldown_secs  integer NOT NULL DEFAULT 0 CHECK (cooldown_secs BETWEEN 0 AND 86400),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- A receiver of rules' calls. Its signing secret is sealed with the node's
-- credential key, bound to the webhook's id, and shown only at creation.
CREATE TABLE webhooks (
    id          uuid PRIMARY KEY,
    tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    url         text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    secret      bytea NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, name)
);

-- The outbox: one row per call a rule asked for, kept until delivered or
-- dead-lettered, so calls survive a restart of control. A rule firing again
-- for the same event (after a redelivery) finds its row and adds none.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    webhook_id       uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    rule_id          uuid NOT NULL,
    event_id         uuid NOT NULL,
    body             jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (webhook_id, rule_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rules', 'webhooks', 'webhook_deliveries']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (vms_tenant_visible(tenant_id)) '
                       'WITH CHECK (vms_tenant_visible(tenant_id))', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO vms_app', t);
    END LOOP;
END
$$;

-- Who may manage rules and webhooks.
UPDATE roles SET permissions = array_append(permissions, 'rule.manage')
    WHERE tenant_id IS NULL AND name = 'admin' AND NOT ('rule.manage' = ANY (permissions));

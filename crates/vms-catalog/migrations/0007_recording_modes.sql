-- How each camera is recorded: continuously (the default), or on a weekly
-- schedule in its site's local time.
ALTER TABLE recording_settings
    ADD COLUMN mode text NOT NULL DEFAULT 'continuous' CHECK (mode IN ('continuous', 'scheduled')),
    ADD COLUMN schedule jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(schedule) = 'array');

-- Event-triggered recording: a camera in mode 'event' records while an
-- event is open (started and stopped over the recorder's gRPC), from
-- pre_buffer_secs before it to post_buffer_secs after it. Its footage is
-- marked as event footage, which may be kept longer (event_retention_days).
ALTER TABLE recording_settings DROP CONSTRAINT recording_settings_mode_check;
ALTER TABLE recording_settings
    ADD CONSTRAINT recording_settings_mode_check CHECK (mode IN ('continuous', 'scheduled', 'event')),
    ADD COLUMN pre_buffer_secs integer NOT NULL DEFAULT 5 CHECK (pre_buffer_secs BETWEEN 0 AND 30),
    ADD COLUMN post_buffer_secs integer NOT NULL DEFAULT 10 CHECK (post_buffer_secs BETWEEN 0 AND 300),
    ADD COLUMN event_retention_days integer CHECK (event_retention_days BETWEEN 1 AND 36500);

ALTER TABLE recording_segments
    ADD COLUMN kind text NOT NULL DEFAULT 'continuous' CHECK (kind IN ('continuous', 'event'));

-- Event snapshots (the rules' `snapshot` action). `snapshot` (0019) holds
-- the picture's path under the data directory's `snapshots/`; `snapshot_at`
-- says when its keyframe arrived from the camera. When no picture could be
-- taken, `snapshot_error` says why ("no snapshot: camera offline"), so the
-- operator is told rather than left with a silent gap. A picture taken later
-- (a second rule) clears the error; an error never replaces a picture.
ALTER TABLE events ADD COLUMN snapshot_at timestamptz;
ALTER TABLE events ADD COLUMN snapshot_error text
    CHECK (snapshot_error IS NULL OR length(snapshot_error) <= 500);

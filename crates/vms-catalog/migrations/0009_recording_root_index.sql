-- Retention walks a storage root's segments oldest first and sums its bytes
-- against the root's quota every sweep: both read this index alone instead
-- of scanning every segment of every root.
CREATE INDEX recording_segments_root_idx ON recording_segments (root, start_time) INCLUDE (bytes, open);

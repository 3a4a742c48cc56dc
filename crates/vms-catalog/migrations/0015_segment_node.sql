-- Which node's recorder holds each segment file, so control can send
-- playback, export and thumbnail requests to the recorder that can read it
-- (recorders serve their own archive; control reads no media file).
--
-- NULL for files indexed before this column existed: any recorder on the
-- node that wrote them serves them, and the archive proxy then asks the
-- recorders it knows in turn.
ALTER TABLE recording_segments ADD COLUMN node_id text;
CREATE INDEX recording_segments_node_idx ON recording_segments (node_id);

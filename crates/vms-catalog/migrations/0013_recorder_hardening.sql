-- Recordings outlive their tenant's row until retention removes their files.
--
-- With ON DELETE CASCADE, deleting a tenant removed its index entries and
-- left its files on disk where no retention sweep could see them. Without
-- the foreign key the entries stay, as those of a deleted camera do (0005),
-- and the next sweep deletes the files of a tenant that no longer exists,
-- each with its entry.
ALTER TABLE recording_segments DROP CONSTRAINT recording_segments_tenant_id_fkey;

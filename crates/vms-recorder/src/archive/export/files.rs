//! Where an export's files are, and how they are made: readable by the
//! service account only (files 0600, the directory 0700), since an export
//! is footage taken out of the recording index and its access checks.

use std::{
    fs::{File, OpenOptions},
    io,
    path::{Path, PathBuf},
};

use uuid::Uuid;

/// The finished MP4 of export `id` in `dir`.
pub fn file_path(dir: &Path, id: Uuid) -> PathBuf {
    dir.join(format!("{id}.mp4"))
}

/// The MP4 of export `id` while it is being written.
pub fn part_path(dir: &Path, id: Uuid) -> PathBuf {
    dir.join(format!("{id}.mp4.part"))
}

/// The signed manifest of export `id`.
pub fn manifest_path(dir: &Path, id: Uuid) -> PathBuf {
    dir.join(format!("{id}.manifest.json"))
}

/// The export id a file in the exports directory belongs to, if it is one of ours.
pub fn owner_of(name: &str) -> Option<Uuid> {
    name.split('.').next()?.parse().ok()
}

/// Creates the exports directory (and its parents) if need be, and makes
/// it private even if an older version made it readable by everyone.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(0o700).create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    builder.create(dir)
}

/// Creates (or truncates) a file only the service account may read.
pub fn create_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Removes every file of export `id`; ones already gone are no error.
pub fn remove(dir: &Path, id: Uuid) {
    for path in [file_path(dir, id), part_path(dir, id), manifest_path(dir, id)] {
        if let Err(e) = std::fs::remove_file(&path)
            && e.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(path = %path.display(), error = %e, "failed to delete an export file");
        }
    }
}

//! Generated secrets kept in files readable only by the service account.

use std::{
    fs,
    io::{self, Write},
    path::Path,
};

/// Reads the secret at `path`, creating it with `generate` first if it does not exist.
///
/// Creation is atomic (written to a temporary file, then hard-linked into place),
/// so concurrent processes all end up with the same secret and none reads a
/// partial file. On Unix the file is mode 0600 and its directory is made 0700:
/// keep secrets in a directory of their own.
///
/// An existing secret that others may read (a copy restored with loose
/// permissions, an edit by hand) is made 0600 again, with a warning. If that
/// fails (a read-only mount), a secret every user may read is refused rather
/// than used as if private; one only its group may read is used, with a warning.
pub fn load_or_create(path: &Path, generate: impl FnOnce() -> Vec<u8>) -> io::Result<Vec<u8>> {
    match fs::read(path) {
        Ok(bytes) => {
            tighten(path)?;
            return Ok(bytes);
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let dir = path.parent().ok_or_else(|| io::Error::other("secret path has no parent directory"))?;
    fs::create_dir_all(dir)?;
    restrict_dir(dir)?;
    let tmp = dir.join(format!(".{}.tmp", uuid_like()));
    {
        let mut file = create_private(&tmp)?;
        file.write_all(&generate())?;
        file.sync_all()?;
    }
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    fs::read(path)
}

fn uuid_like() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().r#gen::<u64>())
}

#[cfg(unix)]
fn create_private(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new().write(true).create_new(true).open(path)
}

/// Makes an existing secret file private to its owner if it is not.
#[cfg(unix)]
fn tighten(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path)?.permissions().mode();
    if mode & 0o077 == 0 {
        return Ok(());
    }
    let was = format!("{:o}", mode & 0o777);
    match fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o700)) {
        Ok(()) => {
            tracing::warn!(path = %path.display(), was, "a secret file was readable by others; made it 0600");
            Ok(())
        }
        // Everyone on the machine may read it, and that cannot be changed: refuse it.
        Err(e) if mode & 0o004 != 0 => Err(io::Error::new(
            e.kind(),
            format!("{} is readable by every user (mode {was}) and cannot be made private: {e}", path.display()),
        )),
        // Only its group may read it (a read-only mount a group was given): say so, and go on.
        Err(e) => {
            tracing::warn!(path = %path.display(), was, error = %e,
                "a secret file is readable by its group and cannot be made private");
            Ok(())
        }
    }
}

#[cfg(not(unix))]
fn tighten(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn restrict_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn restrict_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_then_reads_back() {
        let dir = std::env::temp_dir().join(format!("vms-secret-{}", uuid_like()));
        let path = dir.join("key");
        let first = load_or_create(&path, || b"first".to_vec()).unwrap();
        let second = load_or_create(&path, || b"second".to_vec()).unwrap();
        assert_eq!(first, b"first");
        assert_eq!(second, b"first", "an existing secret is never replaced");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        fs::remove_dir_all(dir).unwrap();
    }

    /// Review of issue 11: a secret left readable by others is made private again.
    #[cfg(unix)]
    #[test]
    fn an_existing_secret_readable_by_others_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("vms-secret-{}", uuid_like()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key");
        fs::write(&path, b"restored").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(load_or_create(&path, || b"new".to_vec()).unwrap(), b"restored");
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        fs::remove_dir_all(dir).unwrap();
    }
}

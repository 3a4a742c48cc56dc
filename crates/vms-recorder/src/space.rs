//! Size and free space of a filesystem (`statvfs`).
#![allow(unsafe_code)]

use std::{ffi::CString, os::unix::ffi::OsStrExt, path::Path};

/// Bytes available to this process on the filesystem holding `path`.
pub(crate) fn available(path: &Path) -> std::io::Result<u64> {
    usage(path).map(|(_, free)| free)
}

/// The size of the filesystem holding `path`, and the bytes available to this process on it.
pub(crate) fn usage(path: &Path) -> std::io::Result<(u64, u64)> {
    let c_path = CString::new(path.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: statvfs is plain old data; all zeroes is a valid value.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c_path` is a valid NUL-terminated string and `stat` a valid out-pointer.
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // The fields are 64-bit here, but narrower on some platforms.
    #[allow(clippy::useless_conversion)]
    let (total, free, size) = (u64::from(stat.f_blocks), u64::from(stat.f_bavail), u64::from(stat.f_frsize));
    Ok((total * size, free * size))
}

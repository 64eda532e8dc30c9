//! Directories only their owner may enter: the data directory (the database
//! holds the SMTP password) and the log directory; and the database files
//! in it, which only their owner may read.

use std::path::Path;

/// Creates `dir` (and missing parents) mode 0700, or makes an existing one
/// 0700. A directory that cannot be tightened (someone else's) is used all
/// the same; the answer then says why, for the caller to report.
pub fn create_private_dir(dir: &Path) -> std::io::Result<Option<String>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        // New directories are created 0700 from the start (no window in which
        // they are readable); an existing one is tightened afterwards.
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        if std::fs::metadata(dir)?.permissions().mode() & 0o777 != 0o700 {
            if let Err(err) = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            {
                return Ok(Some(format!(
                    "could not make {} private: {err}",
                    dir.display()
                )));
            }
        }
        Ok(None)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir).map(|()| None)
}

/// The database holds the SMTP password: make the file and its WAL and
/// shared-memory files readable by their owner only (SQLite gives new WAL
/// files the database file's permissions).
pub(crate) fn restrict_to_owner(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let file = std::path::PathBuf::from(file);
            if file.exists() {
                if let Err(err) =
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
                {
                    tracing::warn!("could not make {} private: {err}", file.display());
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Writes `contents` to `path`, readable and writable by its owner only
/// (0600 on unix) from the moment it exists.
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(contents)?;
    file.sync_all()
}

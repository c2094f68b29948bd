//! Cross-process locks on a data folder: one process at a time creates,
//! migrates or rebuilds what is in it, and a live store can be told from one
//! that a killed process left behind.
//!
//! Both are `flock(2)` locks, which the kernel releases when a process dies, so
//! a crash never leaves a folder locked. They take no file of their own: the
//! open gate locks the folder itself, so checking a database that is then
//! refused leaves the folder exactly as it was.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::{Error, Result};

/// Held while a process opens what is in a data folder; others wait for it.
pub(crate) struct OpenGate {
    _folder: File,
}

impl OpenGate {
    /// Waits until no other process is opening `dir`. Opening is short (the
    /// first index build of a large library being the longest), and a process
    /// that started at the same moment must see the finished result, not a
    /// half-created one, so this waits without a time limit.
    pub(crate) fn acquire(dir: &Path) -> Result<OpenGate> {
        let folder = File::open(dir).map_err(|e| Error::io(dir, e))?;
        folder.lock().map_err(|e| Error::io(dir, e))?;
        Ok(OpenGate { _folder: folder })
    }
}

/// A shared lock that every open store holds on its database file for as long
/// as it lives. Taking it exclusively tells whether any other process still
/// has the database open. SQLite's own locks are POSIX record locks, which
/// Linux keeps apart from `flock`, so the two never interfere.
pub(crate) struct LiveLock {
    _file: File,
}

impl LiveLock {
    /// Marks the database at `path` as open by this process, and says whether
    /// it was the only one.
    pub(crate) fn hold(path: &Path) -> Result<(LiveLock, bool)> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let alone = match file.try_lock() {
            Ok(()) => true,
            Err(TryLockError::WouldBlock) => false,
            Err(TryLockError::Error(e)) => return Err(Error::io(path, e)),
        };
        // Turning the exclusive lock into a shared one lets the next process
        // take its shared lock too.
        file.lock_shared().map_err(|e| Error::io(path, e))?;
        Ok((LiveLock { _file: file }, alone))
    }
}

/// Held by a process that watches the notes folders and keeps the catalog
/// and index in step with them (the app, `rehearse watch`): while it lives,
/// other processes can trust the catalog without looking at every file.
/// The lock file names the folders watched; the kernel drops the lock when
/// the process dies, so a crashed watcher vouches for nothing.
pub(crate) struct WatchLock {
    _file: File,
}

const WATCH_FILE: &str = "watching.lock";

impl WatchLock {
    /// Takes the lock for `dirs`; `None` when another process watches.
    pub(crate) fn take(data_dir: &Path, dirs: &[std::path::PathBuf]) -> Result<Option<WatchLock>> {
        use std::io::Write;
        let path = data_dir.join(WATCH_FILE);
        let mut file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .read(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        file.set_len(0).map_err(|e| Error::io(&path, e))?;
        file.write_all(folders(dirs).as_bytes())
            .map_err(|e| Error::io(&path, e))?;
        Ok(Some(WatchLock { _file: file }))
    }

    /// Whether a live process watches exactly `dirs` for this data folder.
    pub(crate) fn watched(data_dir: &Path, dirs: &[std::path::PathBuf]) -> bool {
        let path = data_dir.join(WATCH_FILE);
        let Ok(file) = File::open(&path) else {
            return false;
        };
        if !matches!(file.try_lock_shared(), Err(TryLockError::WouldBlock)) {
            return false;
        }
        std::fs::read_to_string(&path).is_ok_and(|named| named == folders(dirs))
    }
}

fn folders(dirs: &[std::path::PathBuf]) -> String {
    dirs.iter()
        .map(|d| {
            d.canonicalize()
                .unwrap_or_else(|_| d.clone())
                .display()
                .to_string()
                + "\n"
        })
        .collect()
}

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

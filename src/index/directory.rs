//! Where the index's files live: Tantivy's memory-mapped directory, without
//! its `fsync`s. A commit synced a dozen files, and on this project's disk
//! each sync costs about 7 ms: most of the time from a save to the change
//! being searchable. The index is a cache of the notes, so durability is
//! traded for that time, safely: unsynced data is lost only when the system
//! itself stops (a crashed process leaves its writes in the page cache), and
//! a stop means a new boot. The index records the boot it was last written
//! in ([`boot_id`]); opened in another boot, its checksums are verified and
//! a damaged index is rebuilt from the notes.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::Directory;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    AntiCallToken, DirectoryLock, FileHandle, Lock, MmapDirectory, TerminatingWrite, WatchCallback,
    WatchHandle, WritePtr,
};

/// The identity of the running system's boot; `None` where the system does
/// not tell it, and then every write is synced as Tantivy does.
pub(super) fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
}

/// Tantivy's directory; writes reach the page cache and are not synced.
#[derive(Clone, Debug)]
pub(super) struct Unsynced {
    inner: MmapDirectory,
    root: PathBuf,
}

/// The directory for the index in `dir`: unsynced when the boot is known.
pub(super) fn open(dir: &Path) -> Result<Box<dyn Directory>, OpenDirectoryError> {
    let inner = MmapDirectory::open(dir)?;
    Ok(if boot_id().is_some() {
        Box::new(Unsynced {
            inner,
            root: dir.to_path_buf(),
        })
    } else {
        Box::new(inner)
    })
}

struct UnsyncedFile(File);

impl Write for UnsyncedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TerminatingWrite for UnsyncedFile {
    fn terminate_ref(&mut self, _: AntiCallToken) -> io::Result<()> {
        self.0.flush()
    }
}

impl Directory for Unsynced {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.root.join(path))
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    OpenWriteError::FileAlreadyExists(path.to_path_buf())
                } else {
                    OpenWriteError::wrap_io_error(e, path.to_path_buf())
                }
            })?;
        Ok(BufWriter::new(Box::new(UnsyncedFile(file))))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        // Renamed over the old file: a reader sees the old one or the new one.
        let target = self.root.join(path);
        let temporary = self
            .root
            .join(format!(".{}.{}.tmp", path.display(), std::process::id()));
        std::fs::write(&temporary, data)?;
        std::fs::rename(&temporary, &target)
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

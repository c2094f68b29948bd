//! The user's own data in SQLite: bookmarks, answer drafts with their history,
//! reading positions and reviews. It is the one thing Rehearse cannot rebuild
//! from the notes, so the store never replaces, truncates or guesses:
//!
//! - a file that is not a healthy SQLite database is refused, untouched;
//! - a copy is written to `backups/` beside the database before any migration;
//! - every write is one short `BEGIN IMMEDIATE` transaction, committed with
//!   `synchronous = FULL`, so a killed process or a second writer (the app and
//!   the CLI at once) neither loses a save nor sees "database is locked".
//!
//! rusqlite appears in this module only.

mod anchors;
mod bookmarks;
mod drafts;
mod migrations;
mod positions;
mod reviews;
mod timestamp;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use crate::{Error, Result};
use migrations::MIGRATIONS;

pub use anchors::{Orphan, Reattachment, ReconcileReport};
pub use bookmarks::Bookmark;
pub use drafts::{Draft, DraftSaved, DraftVersion, MAX_DRAFT_BYTES, SaveKind, SaveOutcome};
pub use positions::ReadingPosition;
pub use reviews::{CardSchedule, FittedParameters, PastReview, ReviewRecord};
pub use timestamp::{MILLIS_PER_DAY, Timestamp};

/// How long a write waits for another process's write to finish. Writes are
/// single short transactions, so reaching this means something is wrong.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// WAL files grow with large drafts; past this size they are truncated after a
/// checkpoint instead of keeping the disk space forever.
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The user's database. One connection behind a mutex: the desktop app shares
/// one `Store` across threads, and SQLite serialises writers anyway.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
    clock: Box<dyn Fn() -> Timestamp + Send + Sync>,
}

/// What a step inside a transaction can fail with: SQLite itself, or a rule of
/// the store (an unknown id…). Either rolls the transaction back.
enum Failure {
    Sql(rusqlite::Error),
    Rule(Error),
}

impl From<rusqlite::Error> for Failure {
    fn from(error: rusqlite::Error) -> Self {
        Failure::Sql(error)
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Rule(error)
    }
}

impl Store {
    /// Opens the database at `path`, creating it if there is no file yet and
    /// migrating it (after a backup) if an older Rehearse wrote it.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        refuse_foreign_file(path)?;
        let mut conn = Connection::open(path).map_err(|e| sql_error(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sql_error(path, e))?;
        // Checked before anything is written: a damaged file must stay exactly
        // as it is so that it can still be recovered by other tools.
        check_integrity(path, &conn)?;
        let version = check_schema(path, &conn)?;
        configure(path, &conn)?;
        // Deferred transactions that later write can fail with SQLITE_BUSY
        // without waiting; immediate ones take the write lock up front and
        // wait for it under the busy timeout.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        migrate(path, &mut conn, version)?;
        Ok(Store {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            clock: Box::new(Timestamp::now),
        })
    }

    /// Replaces the wall clock, so tests can say "a minute later".
    pub fn with_clock(mut self, clock: impl Fn() -> Timestamp + Send + Sync + 'static) -> Store {
        self.clock = Box::new(clock);
        self
    }

    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a consistent copy of the database to `dest`, also while other
    /// processes write to it. The copy appears at `dest` complete or not at all.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if is_part_of(dest, &self.path) {
            return Err(Error::InvalidInput(format!(
                "{} is the database itself; choose another file for the backup.",
                dest.display()
            )));
        }
        let conn = self.lock();
        copy_database(&self.path, &conn, dest)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held rolled its transaction back when the
        // transaction was dropped, so the connection is still good to use.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `step` in one write transaction.
    fn write<T>(
        &self,
        step: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, Failure>,
    ) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(|e| self.error(e))?;
        let value = step(&tx).map_err(|f| self.failure(f))?;
        tx.commit().map_err(|e| self.error(e))?;
        Ok(value)
    }

    /// Runs `step` on one snapshot of the database.
    fn read<T>(&self, step: impl FnOnce(&Connection) -> Result<T, Failure>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(|e| self.error(e))?;
        step(&tx).map_err(|f| self.failure(f))
    }

    fn error(&self, error: rusqlite::Error) -> Error {
        sql_error(&self.path, error)
    }

    fn failure(&self, failure: Failure) -> Error {
        match failure {
            Failure::Sql(e) => self.error(e),
            Failure::Rule(e) => e,
        }
    }
}

fn sql_error(path: &Path, error: rusqlite::Error) -> Error {
    let path = path.to_path_buf();
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::DatabaseCorrupt {
            path,
            message: error.to_string(),
        },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Database {
            path,
            message: format!(
                "another Rehearse window or command kept it busy for over {} seconds; try again",
                BUSY_TIMEOUT.as_secs()
            ),
        },
        _ => Error::Database {
            path,
            message: error.to_string(),
        },
    }
}

/// Refuses, before SQLite touches it, a file that is not an SQLite database.
/// An empty file is accepted: it holds no data, and SQLite leaves one behind
/// when a first start is interrupted before its first write.
fn refuse_foreign_file(path: &Path) -> Result<()> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut header = Vec::with_capacity(SQLITE_HEADER.len());
    file.by_ref()
        .take(SQLITE_HEADER.len() as u64)
        .read_to_end(&mut header)
        .map_err(|e| Error::io(path, e))?;
    if header.is_empty() || header == SQLITE_HEADER {
        return Ok(());
    }
    Err(Error::DatabaseCorrupt {
        path: path.to_path_buf(),
        message: "it does not start with the SQLite file header".into(),
    })
}

fn check_integrity(path: &Path, conn: &Connection) -> Result<()> {
    let problems = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .map_err(|e| corrupt(path, e.to_string()))?;
    match problems.first() {
        Some(first) if first != "ok" => Err(corrupt(path, first.clone())),
        _ => Ok(()),
    }
}

fn corrupt(path: &Path, message: String) -> Error {
    Error::DatabaseCorrupt {
        path: path.to_path_buf(),
        message,
    }
}

fn configure(path: &Path, conn: &Connection) -> Result<()> {
    // WAL lets the app read while the CLI writes; FULL makes each commit
    // durable across power loss, not only across a crash of the process.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(|e| sql_error(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: format!("it could not be switched to WAL mode (it stays in {mode} mode)"),
        });
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .and_then(|()| conn.pragma_update(None, "foreign_keys", true))
        .and_then(|()| conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT))
        .map_err(|e| sql_error(path, e))
}

/// The schema version of the database, refusing (before anything is written)
/// one that a newer Rehearse or another program wrote.
fn check_schema(path: &Path, conn: &Connection) -> Result<i64> {
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| sql_error(path, e))?;
    let known = MIGRATIONS
        .pending_migrations(conn)
        .map_err(|e| migration_error(path, e))?
        + i32::try_from(version).unwrap_or(i32::MAX);
    if version > i64::from(known) {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "a newer Rehearse wrote it (schema version {version}; this one knows up to {known}); update Rehearse"
            ),
        });
    }
    if version == 0 {
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
                [],
                |row| row.get(0),
            )
            .map_err(|e| sql_error(path, e))?;
        if tables > 0 {
            return Err(corrupt(
                path,
                "it is an SQLite database of some other program".into(),
            ));
        }
    }
    Ok(version)
}

/// Brings the schema from `version` to the latest, after copying a database
/// that has data to `backups/`.
fn migrate(path: &Path, conn: &mut Connection, version: i64) -> Result<()> {
    let pending = MIGRATIONS
        .pending_migrations(conn)
        .map_err(|e| migration_error(path, e))?;
    if pending == 0 {
        return Ok(());
    }
    if version > 0 {
        let backup = backup_path(path, version, Timestamp::now());
        copy_database(path, conn, &backup)?;
    }
    match MIGRATIONS.to_latest(conn) {
        Ok(()) => Ok(()),
        // Two processes opening a new database at once: the loser's migration
        // fails on tables the winner just created, and there is nothing left to do.
        Err(e) if MIGRATIONS.pending_migrations(conn) == Ok(0) => {
            tracing::debug!("migration raced with another process: {e}");
            Ok(())
        }
        Err(e) => Err(migration_error(path, e)),
    }
}

fn migration_error(path: &Path, error: rusqlite_migration::Error) -> Error {
    match error {
        rusqlite_migration::Error::RusqliteError { err, .. } => sql_error(path, err),
        other => Error::Database {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    }
}

/// `DATA/backups/rehearse-v1-20250601-102030.sqlite3` for `DATA/rehearse.sqlite3`.
fn backup_path(db: &Path, version: i64, at: Timestamp) -> PathBuf {
    let dir = db.parent().unwrap_or(Path::new(".")).join("backups");
    let stem = db
        .file_stem()
        .map_or("rehearse".into(), |s| s.to_string_lossy());
    dir.join(format!("{stem}-v{version}-{}.sqlite3", at.file_stamp()))
}

/// `VACUUM INTO` reads one snapshot, so the copy is consistent while others
/// write. It goes to a temporary name first and is synced before the rename:
/// SQLite does not sync a `VACUUM INTO` file, and a half-written copy must never
/// sit under the name the user asked for.
fn copy_database(db: &Path, conn: &Connection, dest: &Path) -> Result<()> {
    let dir = match dest.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let name = dest
        .file_name()
        .ok_or_else(|| Error::InvalidInput(format!("{} is not a file name.", dest.display())))?;
    let partial = dir.join(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let partial_str = partial.to_str().ok_or_else(|| {
        Error::InvalidInput(format!(
            "{} is not a UTF-8 path, which SQLite needs.",
            dest.display()
        ))
    })?;
    let _ = fs::remove_file(&partial);
    let result = conn
        .execute("VACUUM INTO ?1", [partial_str])
        .map_err(|e| sql_error(db, e))
        .and_then(|_| {
            fs::File::open(&partial)
                .and_then(|f| f.sync_all())
                .and_then(|()| fs::rename(&partial, dest))
                .map_err(|e| Error::io(dest, e))
        });
    if result.is_err() {
        let _ = fs::remove_file(&partial);
    } else if let Ok(dir) = fs::File::open(&dir) {
        // Makes the rename itself durable; not possible (nor needed) everywhere.
        let _ = dir.sync_all();
    }
    result
}

/// Whether writing `dest` would clobber the database or its WAL/SHM files.
fn is_part_of(dest: &Path, db: &Path) -> bool {
    let resolve = |p: &Path| -> Option<PathBuf> {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new(".")).canonicalize().ok()?;
        Some(dir.join(p.file_name()?))
    };
    match (resolve(dest), resolve(db)) {
        (Some(dest), Some(db)) => {
            let db = db.to_string_lossy();
            let dest = dest.to_string_lossy();
            dest == db || dest.starts_with(&format!("{db}-"))
        }
        _ => false,
    }
}

// The desktop shell shares one `Library` (which owns the `Store`) across threads.
const _: fn() = || {
    fn shared_across_threads<T: Send + Sync>() {}
    shared_across_threads::<Store>();
};

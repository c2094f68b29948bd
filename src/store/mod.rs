//! The user's own data in SQLite: bookmarks, answer drafts with their history,
//! reading positions, reviews and the notes folders chosen in the app. It is the one thing Rehearse cannot rebuild
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
mod folders;
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

use crate::data_lock::{LiveLock, OpenGate};
use crate::{Error, Result};
use migrations::{LATEST_VERSION, MIGRATIONS};

pub use anchors::{Orphan, Reattachment, ReconcileReport};
pub use bookmarks::Bookmark;
pub use drafts::{
    Draft, DraftSaved, DraftVersion, MAX_DRAFT_BYTES, SaveKind, SaveOutcome, ScoredVersion,
};
pub use folders::SavedFolders;
pub use positions::ReadingPosition;
pub use reviews::{CardSchedule, FittedParameters, Grade, PastReview, ReviewRecord};
pub use timestamp::{MILLIS_PER_DAY, Timestamp};

/// How long a write waits for another process's write to finish. Writes are
/// single short transactions, so reaching this means something is wrong.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// WAL files grow with large drafts; past this size they are truncated after a
/// checkpoint instead of keeping the disk space forever.
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// `PRAGMA application_id` of every database Rehearse creates ("RHRS"), so
/// another program's SQLite file is never taken for one of ours.
const APPLICATION_ID: i32 = 0x5248_5253;

/// The user's database. One connection behind a mutex: the desktop app shares
/// one `Store` across threads, and SQLite serialises writers anyway.
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
    clock: Box<dyn Fn() -> Timestamp + Send + Sync>,
    /// Tells other processes that this one has the database open.
    _live: LiveLock,
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
    ///
    /// Any number of processes may open the same new or old database at once:
    /// they take turns (see [`OpenGate`]), so it is created and migrated once.
    /// Whatever is refused (another program's file, a damaged one, one from a
    /// newer Rehearse) is judged before anything could write to it, and left
    /// byte for byte as it was, together with its `-wal` and journal.
    pub fn open(path: &Path) -> Result<Store> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let _gate = OpenGate::acquire(dir)?;
        let alone = !path.exists() || !is_held_by_others(path)?;
        let found = inspect(path, alone)?;
        let mut conn = Connection::open(path).map_err(|e| sql_error(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| sql_error(path, e))?;
        let (live, _) = LiveLock::hold(path)?;
        if found == Found::New {
            // Written while the file is still in rollback mode, so the mark
            // sits in the main file from the first moment, where the next
            // process reads it without opening the database.
            retry_busy(path, || {
                conn.pragma_update(None, "application_id", APPLICATION_ID)
            })?;
        }
        configure(path, &conn)?;
        // Deferred transactions that later write can fail with SQLITE_BUSY
        // without waiting; immediate ones take the write lock up front and
        // wait for it under the busy timeout.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        let version = retry_busy(path, || user_version(&conn))?;
        refuse_newer(path, version)?;
        migrate(path, &mut conn, version)?;
        if found == Found::Legacy {
            retry_busy(path, || {
                conn.pragma_update(None, "application_id", APPLICATION_ID)
            })?;
            // Moves the mark into the main file now rather than at some later
            // checkpoint, so the next open recognises the file from its header.
            retry_busy(path, || {
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            })?;
        }
        Ok(Store {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            clock: Box::new(Timestamp::now),
            _live: live,
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

/// What `Store::open` found at the database path, judged without writing.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// No database yet (or an empty one that an interrupted first start left).
    New,
    /// A database marked as Rehearse's with `application_id`.
    Ours,
    /// A Rehearse database from before the mark, recognised by its tables.
    Legacy,
}

/// The tables each schema version of Rehearse had before databases were
/// marked with `application_id`; anything else without the mark is foreign.
const LEGACY_TABLES: &[(i64, &[&str])] = &[
    (
        1,
        &[
            "anchors",
            "bookmarks",
            "draft_versions",
            "reading_positions",
        ],
    ),
    (
        2,
        &[
            "anchors",
            "bookmarks",
            "draft_versions",
            "fsrs_parameters",
            "reading_positions",
            "reviews",
        ],
    ),
];

/// Whether another live process has the database open.
fn is_held_by_others(path: &Path) -> Result<bool> {
    let (_probe, alone) = LiveLock::hold(path)?;
    Ok(!alone)
}

/// Judges the file at `path` without writing to it or beside it. `alone` says
/// that no other Rehearse has it open, so a `-wal` or journal beside it is
/// what a killed process left rather than another's work in progress.
fn inspect(path: &Path, alone: bool) -> Result<Found> {
    let Some(header) = read_header(path)? else {
        return Ok(Found::New);
    };
    let application_id = header_field(&header, 68);
    if application_id == APPLICATION_ID {
        // The main file's version may lag behind its `-wal`; it is read again
        // from the open database before anything is migrated.
        refuse_newer(path, i64::from(header_field(&header, 60)))?;
        // A clean shutdown leaves no `-wal`; after a crash the whole file is
        // checked once. A check on every start would make opening grow with
        // the user's history (docs/benchmarks.md measures it).
        if alone && has_leftovers(path) {
            with_untouched_connection(path, |conn| check_integrity(path, conn))?;
        }
        return Ok(Found::Ours);
    }
    if application_id != 0 {
        return Err(corrupt(
            path,
            format!(
                "it is an SQLite database of another program (application id {application_id:#x})"
            ),
        ));
    }
    with_untouched_connection(path, |conn| {
        check_integrity(path, conn)?;
        let version = user_version(conn).map_err(|e| sql_error(path, e))?;
        let tables = table_names(conn).map_err(|e| sql_error(path, e))?;
        if version == 0 && tables.is_empty() {
            return Ok(Found::New);
        }
        let legacy = LEGACY_TABLES
            .iter()
            .any(|(v, names)| *v == version && tables.iter().eq(names.iter()));
        if legacy {
            Ok(Found::Legacy)
        } else {
            Err(corrupt(
                path,
                "it is an SQLite database of some other program".into(),
            ))
        }
    })
}

/// The first 100 bytes of the file: SQLite's database header. `None` when
/// there is no file or an empty one, which hold no data.
fn read_header(path: &Path) -> Result<Option<[u8; 100]>> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut header = Vec::with_capacity(100);
    file.by_ref()
        .take(100)
        .read_to_end(&mut header)
        .map_err(|e| Error::io(path, e))?;
    if header.is_empty() {
        return Ok(None);
    }
    if !header.starts_with(SQLITE_HEADER) {
        return Err(corrupt(
            path,
            "it does not start with the SQLite file header".into(),
        ));
    }
    header
        .try_into()
        .map(Some)
        .map_err(|_| corrupt(path, "it ends inside the SQLite file header".into()))
}

fn header_field(header: &[u8; 100], offset: usize) -> i32 {
    i32::from_be_bytes(header[offset..offset + 4].try_into().expect("four bytes"))
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

fn table_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    stmt.query_map([], |row| row.get(0))?.collect()
}

/// A `-wal` or rollback journal with content beside the database.
fn has_leftovers(path: &Path) -> bool {
    ["-wal", "-journal"]
        .iter()
        .any(|suffix| fs::metadata(sidecar(path, suffix)).is_ok_and(|m| m.len() > 0))
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Runs `check` on a connection that cannot change the database or the files
/// beside it. With nothing beside the file, SQLite opens it as immutable
/// (read-only, no locks, no `-shm`). A `-wal` or hot journal has to be
/// replayed to see the real content, and replaying writes, so then the check
/// runs on a copy of the three files in a temporary folder.
fn with_untouched_connection<T>(
    path: &Path,
    check: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    use rusqlite::OpenFlags;
    if !has_leftovers(path) {
        let uri = immutable_uri(path)?;
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| sql_error(path, e))?;
        return check(&conn);
    }
    let copy_dir = std::env::temp_dir().join(format!(
        "rehearse-check-{}-{}",
        std::process::id(),
        Timestamp::now().file_stamp()
    ));
    fs::create_dir_all(&copy_dir).map_err(|e| Error::io(&copy_dir, e))?;
    let result = (|| {
        let copy = copy_dir.join("copy.sqlite3");
        fs::copy(path, &copy).map_err(|e| Error::io(path, e))?;
        for suffix in ["-wal", "-journal"] {
            let source = sidecar(path, suffix);
            if source.exists() {
                fs::copy(&source, sidecar(&copy, suffix)).map_err(|e| Error::io(&source, e))?;
            }
        }
        let conn = Connection::open(&copy).map_err(|e| sql_error(path, e))?;
        check(&conn)
    })();
    let _ = fs::remove_dir_all(&copy_dir);
    result
}

/// `file:/path?immutable=1`, with the characters URIs reserve escaped.
fn immutable_uri(path: &Path) -> Result<String> {
    let text = path.to_str().ok_or_else(|| {
        Error::InvalidInput(format!(
            "{} is not a UTF-8 path, which SQLite needs.",
            path.display()
        ))
    })?;
    let mut uri = String::from("file:");
    for c in text.chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
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

/// Retries a step of opening that SQLite answers with "busy" at once, without
/// waiting in its busy handler (changing the journal mode, recovering a
/// `-wal` another process is replaying), for as long as writes would wait.
fn retry_busy<T>(path: &Path, mut step: impl FnMut() -> rusqlite::Result<T>) -> Result<T> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(2);
    loop {
        match step() {
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                ) && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            result => return result.map_err(|e| sql_error(path, e)),
        }
    }
}

fn configure(path: &Path, conn: &Connection) -> Result<()> {
    // WAL lets the app read while the CLI writes; FULL makes each commit
    // durable across power loss, not only across a crash of the process.
    let mode: String = retry_busy(path, || {
        conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
    })?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: format!("it could not be switched to WAL mode (it stays in {mode} mode)"),
        });
    }
    retry_busy(path, || {
        conn.pragma_update(None, "synchronous", "FULL")
            .and_then(|()| conn.pragma_update(None, "foreign_keys", true))
            .and_then(|()| conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT))
    })
}

/// Refuses a database that a newer Rehearse wrote: its schema is unknown here.
fn refuse_newer(path: &Path, version: i64) -> Result<()> {
    let known = LATEST_VERSION;
    if version > known {
        return Err(Error::Database {
            path: path.to_path_buf(),
            message: format!(
                "a newer Rehearse wrote it (schema version {version}; this one knows up to {known}); update Rehearse"
            ),
        });
    }
    Ok(())
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
    MIGRATIONS
        .to_latest(conn)
        .map_err(|e| migration_error(path, e))
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

//! Shared set-up for the core's integration tests: the bundled notes, fixture
//! folders and libraries on temporary data dirs.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, OnceLock};

use rehearse::store::Timestamp;
use rehearse::{Library, LibraryConfig, SearchHit, SearchRequest};
use tempfile::TempDir;

pub fn bundled_notes() -> PathBuf {
    LibraryConfig::bundled_notes_dir()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A library on `notes`, with its data in a fresh temporary dir.
pub fn open(notes: &[PathBuf]) -> (TempDir, Library) {
    let data = tempfile::tempdir().expect("a temp dir");
    let library = Library::open(LibraryConfig::new(
        notes.to_vec(),
        data.path().to_path_buf(),
    ))
    .expect("the library opens");
    (data, library)
}

/// One library on the bundled notes, shared by the tests of a binary.
pub fn bundled() -> &'static Library {
    static LIBRARY: OnceLock<(TempDir, Library)> = OnceLock::new();
    &LIBRARY.get_or_init(|| open(&[bundled_notes()])).1
}

pub fn search(library: &Library, query: &str) -> Vec<SearchHit> {
    library
        .search(&SearchRequest::new(query))
        .expect("search answers")
        .hits
}

/// The ids of every hit by words (up to 200), best first.
pub fn ids(library: &Library, query: &str) -> Vec<String> {
    library
        .search(&SearchRequest {
            limit: 200,
            ..SearchRequest::new(query)
        })
        .expect("search answers")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// Copies a folder of notes so a test can edit them.
pub fn copy_notes(from: &Path) -> TempDir {
    let to = tempfile::tempdir().expect("a temp dir");
    for entry in std::fs::read_dir(from).expect("the folder is readable") {
        let entry = entry.expect("an entry");
        std::fs::copy(entry.path(), to.path().join(entry.file_name())).expect("the note copies");
    }
    to
}

/// When a [`ClockedStore`]'s clock starts: 2025-06-01 10:20:30 UTC.
pub const START: i64 = 1_748_773_230_000;

/// A real store on disk whose clock only moves when the test says so.
pub struct ClockedStore {
    _dir: TempDir,
    pub store: rehearse::Store,
    clock: Arc<AtomicI64>,
}

impl ClockedStore {
    pub fn new() -> ClockedStore {
        Self::in_dir(tempfile::tempdir().expect("a temp dir"))
    }

    /// The store at `dir/rehearse.sqlite3`, which is where a library on `dir` keeps it.
    pub fn in_dir(dir: TempDir) -> ClockedStore {
        let clock = Arc::new(AtomicI64::new(START));
        let shared = Arc::clone(&clock);
        let store = rehearse::Store::open(&dir.path().join("rehearse.sqlite3"))
            .expect("the store opens")
            .with_clock(move || Timestamp::from_millis(shared.load(Ordering::SeqCst)));
        ClockedStore {
            _dir: dir,
            store,
            clock,
        }
    }

    pub fn advance_seconds(&self, seconds: i64) {
        self.clock.fetch_add(seconds * 1000, Ordering::SeqCst);
    }

    pub fn advance_days(&self, days: f64) {
        let millis = (days * rehearse::store::MILLIS_PER_DAY as f64) as i64;
        self.clock.fetch_add(millis, Ordering::SeqCst);
    }
}

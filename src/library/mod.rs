//! `Library`: the one API of the core. The CLI and the desktop shell call it,
//! one call per command; the rules of the product (what may be bookmarked,
//! that drafts belong to questions…) live here, one file per verb family.

mod bookmarks;
mod drafts;
mod export;
mod folders;
mod lists;
mod meaning;
mod positions;
mod practice;
mod read;
mod reveal;
mod review;
mod search;
mod update;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::Instant;

use crate::data_lock::{OpenGate, WatchLock};
use crate::index::{Digest, IndexProgress, IndexReport, NoteIndex};
use crate::meaning::Embedder;
use crate::notes::{
    self, CardId, Catalog, EntryKind, Excerpt, FileTable, LoadWarning, LoadedNotes, Note,
    NotesCache, Section, Snapshot,
};
use crate::store::Store;
use crate::{Error, Result};

pub use drafts::DraftHit;
pub use folders::{FolderChange, LibraryFolders, NotesFolder};
pub use lists::{CardSummary, FilteredNotes, NoteOutline, NoteSummary, NotesPage};
pub use meaning::{MeaningJob, MeaningStatus};
pub use update::{PreparedUpdate, Renamed, UpdateJob, UpdateReport, Watching};

/// Where a library's notes come from and where its data lives.
#[derive(Debug, Clone)]
pub struct LibraryConfig {
    pub notes_dirs: Vec<PathBuf>,
    pub data_dir: PathBuf,
    /// The sentence-embedding model's folder; `None` when it is not
    /// installed, and search works by words alone.
    pub model_dir: Option<PathBuf>,
    /// The folders are the ones saved in the store, which the app's settings
    /// change; `false` when the caller named them (`--notes`).
    pub saved_folders: bool,
}

impl LibraryConfig {
    pub fn new(notes_dirs: Vec<PathBuf>, data_dir: PathBuf) -> Self {
        LibraryConfig {
            notes_dirs,
            data_dir,
            model_dir: Embedder::default_dir(),
            saved_folders: false,
        }
    }

    /// `REHEARSE_DATA_DIR`, else the OS app-data dir, else `./.rehearse-data`.
    pub fn default_data_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os("REHEARSE_DATA_DIR").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        directories::ProjectDirs::from("", "", "rehearse")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from(".rehearse-data"))
    }

    /// The notes shipped with Rehearse: in an installed package's resource
    /// folder, or `notes/` of the source tree for a cargo build (see
    /// `src/resources.rs`).
    pub fn bundled_notes_dir() -> PathBuf {
        crate::resources::NOTES.find_or_expected()
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("rehearse.sqlite3")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    pub fn vectors_dir(&self) -> PathBuf {
        self.data_dir.join("vectors")
    }
}

/// An open library: the loaded notes, their search index and the user's store.
pub struct Library {
    config: LibraryConfig,
    /// The notes with their sections. When the library opened unchanged they
    /// are decoded from the catalog on first use: a search needs only the
    /// notes it found.
    loaded: OnceLock<Loaded>,
    /// What `loaded` is decoded from until then.
    unloaded: Option<Unloaded>,
    warnings: Vec<LoadWarning>,
    /// The persisted catalog of parsed notes, in the data dir.
    cache: NotesCache,
    index: NoteIndex,
    /// The user's data, opened on first use: a search does not need it.
    store: OnceLock<Store>,
    last_index_report: IndexReport,
    /// Search by meaning, once its model is loaded.
    meaning: meaning::MeaningSlot,
    /// The scheduler's refit, when one was started (see `Library::grade`).
    refit: Mutex<Option<JoinHandle<()>>>,
}

struct Loaded {
    notes: Vec<Note>,
    /// The sections of `notes`, built once per load.
    catalog: Catalog,
    /// Where each note is in `notes`, by id.
    positions: Arc<HashMap<Excerpt, usize>>,
    /// The size and time of every file, as the catalog holds them.
    files: FileTable,
}

impl Loaded {
    /// The notes of an unchanged library, decoded from its catalog.
    fn decode(snapshot: &Snapshot, dirs: &[PathBuf]) -> Loaded {
        let (order, files) = notes::catalog_view(dirs, snapshot).unwrap_or_default();
        let notes = notes::decode_all(snapshot, &order);
        snapshot.release_pages();
        Loaded {
            catalog: Catalog::build(&notes),
            positions: positions(&notes),
            notes,
            files,
        }
    }
}

/// The catalog as opened, while the notes are not decoded from it.
struct Unloaded {
    snapshot: Snapshot,
}

impl Drop for Library {
    fn drop(&mut self) {
        let running = self.refit.get_mut().unwrap_or_else(PoisonError::into_inner);
        if let Some(fit) = running.take() {
            // A panicked fit changed nothing: it writes in one statement.
            let _ = fit.join();
        }
    }
}

impl Library {
    /// Ends the library of a process about to exit: background work is
    /// waited for and the files are closed, but the notes are not freed one
    /// allocation at a time (80 ms for 50,000 notes), since the system takes
    /// the whole of the process's memory back at exit anyway.
    pub fn close(mut self) {
        std::mem::forget(std::mem::take(&mut self.loaded));
    }

    /// Opens the library, building or updating the index as needed.
    pub fn open(config: LibraryConfig) -> Result<Library> {
        Self::open_with_progress(config, &mut |_| {}, &AtomicBool::new(false))
    }

    /// Like [`Library::open`], reporting index progress (the first start of the
    /// app shows it as a progress bar). Only the files changed since the last
    /// start are read; the catalog in the data dir holds the rest. Setting
    /// `cancel` stops the indexing with [`Error::Cancelled`], keeping the
    /// index and the catalog as they were.
    pub fn open_with_progress(
        config: LibraryConfig,
        progress: &mut dyn FnMut(IndexProgress),
        cancel: &AtomicBool,
    ) -> Result<Library> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| Error::io(&config.data_dir, e))?;
        let started = Instant::now();
        // A live watcher keeps the catalog in step with the folders: trusting
        // it saves looking at every file. Without one, every file's size and
        // time are compared with the catalog's (on all cores, while the
        // catalog opens): an edit in place moves only the file's time, not
        // its folder's, so nothing less catches every edit made while
        // nothing watched.
        let watched = WatchLock::watched(&config.data_dir, &config.notes_dirs);
        let opened = OnceLock::new();
        let (cache, seen_unchanged, kept, catalog_read) = std::thread::scope(|scope| {
            let look = (!watched && NotesCache::exists(&config.data_dir))
                .then(|| scope.spawn(|| notes::unchanged_since(&config.notes_dirs, &opened)));
            let (cache, snapshot) = NotesCache::open(&config.data_dir);
            let catalog_read = started.elapsed();
            let snapshot = opened.get_or_init(|| snapshot);
            // What the index holds if nothing changed, and the warnings the
            // catalog keeps, reckoned while the folders are looked at.
            let kept = (!cache.needs_rewrite())
                .then(|| (versions(snapshot), notes::catalog_warnings(snapshot)));
            let looked = look.is_some_and(|look| look.join().expect("the walk does not panic"));
            (cache, watched || looked, kept, catalog_read)
        });
        let snapshot = opened.into_inner().expect("set while looking");
        let unchanged = !cache.needs_rewrite() && seen_unchanged;
        tracing::debug!(?catalog_read, looked_at = ?started.elapsed(), unchanged, "notes looked at");
        // One process at a time builds or rebuilds the index: the others wait
        // and then find it complete, instead of taking a half-built one for a
        // damaged one and deleting it under the first.
        let gate = OpenGate::acquire(&config.data_dir)?;
        let index = NoteIndex::open(&config.index_dir())?;
        tracing::debug!(index_opened = ?started.elapsed());
        let mut library = Library {
            config,
            loaded: OnceLock::new(),
            unloaded: None,
            warnings: Vec::new(),
            cache,
            index,
            store: OnceLock::new(),
            last_index_report: IndexReport::default(),
            meaning: Default::default(),
            refit: Mutex::new(None),
        };
        if let Some(((notes, digest), warnings)) = kept.filter(|_| unchanged) {
            let up_to_date = library.index.up_to_date(notes, digest);
            tracing::debug!(versions_checked = ?started.elapsed());
            if let Some(sections) = up_to_date {
                library.last_index_report = IndexReport {
                    files: notes,
                    sections,
                    millis: started.elapsed().as_millis() as u64,
                    ..IndexReport::default()
                };
                library.warnings = warnings;
                library.unloaded = Some(Unloaded { snapshot });
                drop(gate);
                tracing::debug!(took = ?started.elapsed(), "opened unchanged");
                return Ok(library);
            }
        }
        // Not as the catalog says: the folders are looked at after all, and
        // the user's data is re-attached to the notes read. The store takes
        // the gate itself to open (it may migrate).
        drop(gate);
        library.store()?;
        let gate = OpenGate::acquire(&library.config.data_dir)?;
        let scan = notes::scan_folders(&library.config.notes_dirs, &snapshot)?;
        let loaded = scan.materialize(&snapshot);
        tracing::debug!(read = ?started.elapsed(), "notes read");
        drop(snapshot);
        library.take_loaded(loaded, progress, cancel)?;
        drop(gate);
        Ok(library)
    }

    /// Re-reads the notes folders and updates the index for what changed.
    pub fn reload(&mut self) -> Result<IndexReport> {
        let (cache, snapshot) = NotesCache::open(&self.config.data_dir);
        let loaded =
            notes::scan_folders(&self.config.notes_dirs, &snapshot)?.materialize(&snapshot);
        drop(snapshot);
        self.store()?;
        let gate = OpenGate::acquire(&self.config.data_dir)?;
        self.cache = cache;
        self.take_loaded(loaded, &mut |_| {}, &AtomicBool::new(false))?;
        drop(gate);
        self.refresh_meaning()?;
        Ok(self.last_index_report.clone())
    }

    /// Keeps what a load found: indexes what changed, re-attaches the user's
    /// data to the cards when the notes changed, and records the changes in
    /// the catalog. Called with the open gate held: the index and the
    /// catalog have one writer at a time.
    fn take_loaded(
        &mut self,
        loaded: LoadedNotes,
        progress: &mut dyn FnMut(IndexProgress),
        cancel: &AtomicBool,
    ) -> Result<()> {
        let started = Instant::now();
        let changes = loaded.changes();
        // The catalog is written beside the old one while the index is
        // built (most of a first start's single-threaded work), and becomes
        // the catalog only once the index and the store agree with it.
        let cache = &self.cache;
        let index = &mut self.index;
        let (catalog, report, pending) = std::thread::scope(|scope| {
            let writing = scope.spawn(|| cache.prepare(&changes, &loaded.notes, &loaded.files));
            let catalog = Catalog::build(&loaded.notes);
            let report = index.sync(&loaded.notes, &catalog, progress, cancel);
            let pending = writing.join().expect("writing the catalog does not panic");
            (catalog, report, pending)
        });
        let mut report = report?;
        let pending = pending?;
        report.files_read = loaded.files_read;
        let indexed = started.elapsed();
        // Nothing read and nothing gone: the notes are those the store was
        // reconciled with when the catalog was written. No data anchored
        // anywhere: nothing to re-attach.
        if (loaded.files_read > 0 || !loaded.gone.is_empty()) && self.store()?.has_anchors()? {
            self.store()?.reconcile(&notes::all_refs(&loaded.notes))?;
        }
        let reconciled = started.elapsed();
        self.cache.finish(pending)?;
        tracing::debug!(?indexed, ?reconciled, written = ?started.elapsed(), "notes taken in");
        self.last_index_report = report;
        self.warnings = loaded.warnings;
        self.unloaded = None;
        self.loaded = OnceLock::from(Loaded {
            positions: positions(&loaded.notes),
            notes: loaded.notes,
            catalog,
            files: loaded.files,
        });
        Ok(())
    }

    /// The notes and their sections, decoded from the catalog the first time
    /// they are needed after an unchanged start.
    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| {
            let unloaded = self
                .unloaded
                .as_ref()
                .expect("a library is either loaded or has its catalog");
            Loaded::decode(&unloaded.snapshot, &self.config.notes_dirs)
        })
    }

    /// One section by id, for a search hit: from the loaded notes, or by
    /// decoding only its note from the catalog.
    fn section(&self, id: &str) -> Option<Cow<'_, Section>> {
        if let Some(loaded) = self.loaded.get() {
            return loaded.catalog.get(id).map(Cow::Borrowed);
        }
        let snapshot = &self.unloaded.as_ref()?.snapshot;
        let note_id = CardId::parse(id).note;
        // A note's id is mostly its path in its folder: looked up there
        // first, then through the whole catalog (an escaped id, or one a
        // clash between folders renamed), which costs less than a map of
        // every note's id built for the ten hits of one search.
        let (path, entry) = self
            .config
            .notes_dirs
            .iter()
            .find_map(|dir| {
                let path = dir.join(note_id);
                let entry = snapshot.entry(&path)?;
                (snapshot.id(entry) == note_id).then_some((path, entry))
            })
            .or_else(|| {
                snapshot
                    .iter()
                    .find(|entry| snapshot.id(entry) == note_id)
                    .map(|entry| (std::path::PathBuf::from(snapshot.path(entry)), entry))
            })?;
        let note = snapshot.note(&path, entry)?;
        Catalog::build(std::slice::from_ref(&note))
            .get(id)
            .cloned()
            .map(Cow::Owned)
    }

    /// The user's store, opened the first time it is needed; never first
    /// while the open gate is held, which opening it takes.
    fn store(&self) -> Result<&Store> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let store = Store::open(&self.config.database_path())?;
        Ok(self.store.get_or_init(|| store))
    }

    pub fn config(&self) -> &LibraryConfig {
        &self.config
    }

    /// What loading the notes found wrong (skipped files, repaired encodings).
    pub fn warnings(&self) -> &[LoadWarning] {
        &self.warnings
    }

    /// What the last index build or update did.
    pub fn index_report(&self) -> &IndexReport {
        &self.last_index_report
    }
}

fn positions(notes: &[Note]) -> Arc<HashMap<Excerpt, usize>> {
    Arc::new(
        notes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect(),
    )
}

/// How many notes the catalog holds, and the digest of their versions the
/// index records when it holds exactly those.
fn versions(snapshot: &Snapshot) -> (usize, Digest) {
    let mut notes = 0;
    let mut digest = Digest::default();
    for entry in snapshot.iter() {
        if let EntryKind::Note { hash, .. } = snapshot.kind(entry) {
            notes += 1;
            digest.add(snapshot.id(entry), hash);
        }
    }
    (notes, digest)
}

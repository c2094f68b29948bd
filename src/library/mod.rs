//! `Library`: the one API of the core. The CLI and the desktop shell call it,
//! one call per command; the rules of the product (what may be bookmarked,
//! that drafts belong to questions…) live here, one file per verb family.

mod bookmarks;
mod drafts;
mod export;
mod meaning;
mod positions;
mod practice;
mod read;
mod reveal;
mod review;
mod search;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;

use crate::data_lock::OpenGate;
use crate::index::{IndexProgress, IndexReport, NoteIndex};
use crate::meaning::Embedder;
use crate::notes::{self, Catalog, LoadWarning, Note};
use crate::store::Store;
use crate::{Error, Result};

pub use drafts::DraftHit;
pub use meaning::{MeaningJob, MeaningStatus};

/// Where a library's notes come from and where its data lives.
#[derive(Debug, Clone)]
pub struct LibraryConfig {
    pub notes_dirs: Vec<PathBuf>,
    pub data_dir: PathBuf,
    /// The sentence-embedding model's folder; `None` when it is not
    /// installed, and search works by words alone.
    pub model_dir: Option<PathBuf>,
}

impl LibraryConfig {
    pub fn new(notes_dirs: Vec<PathBuf>, data_dir: PathBuf) -> Self {
        LibraryConfig {
            notes_dirs,
            data_dir,
            model_dir: Embedder::default_dir(),
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
    notes: Vec<Note>,
    /// The sections of `notes`, built once per load.
    catalog: Catalog,
    warnings: Vec<LoadWarning>,
    /// Where each note is in `notes`, by id.
    note_positions: HashMap<String, usize>,
    index: NoteIndex,
    store: Store,
    last_index_report: IndexReport,
    /// Search by meaning, once its model is loaded.
    meaning: meaning::MeaningSlot,
    /// The scheduler's refit, when one was started (see `Library::grade`).
    refit: Mutex<Option<JoinHandle<()>>>,
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
    /// Opens the library, building or updating the index as needed.
    pub fn open(config: LibraryConfig) -> Result<Library> {
        Self::open_with_progress(config, &mut |_| {})
    }

    /// Like [`Library::open`], reporting index progress (the first start of the
    /// app shows it as a progress bar).
    pub fn open_with_progress(
        config: LibraryConfig,
        progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<Library> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| Error::io(&config.data_dir, e))?;
        let store = Store::open(&config.database_path())?;
        let loaded = notes::load_folders(&config.notes_dirs)?;
        // One process at a time builds or rebuilds the index: the others wait
        // and then find it complete, instead of taking a half-built one for a
        // damaged one and deleting it under the first.
        let catalog = Catalog::build(&loaded.notes);
        let gate = OpenGate::acquire(&config.data_dir)?;
        let mut index = NoteIndex::open(&config.index_dir())?;
        let last_index_report = index.sync(&loaded.notes, &catalog, progress)?;
        drop(gate);
        store.reconcile(&notes::all_refs(&loaded.notes))?;
        Ok(Library {
            config,
            catalog,
            note_positions: positions(&loaded.notes),
            notes: loaded.notes,
            warnings: loaded.warnings,
            index,
            store,
            last_index_report,
            meaning: Default::default(),
            refit: Mutex::new(None),
        })
    }

    /// Re-reads the notes folders and updates the index for what changed.
    pub fn reload(&mut self) -> Result<IndexReport> {
        let loaded = notes::load_folders(&self.config.notes_dirs)?;
        let catalog = Catalog::build(&loaded.notes);
        let report = self.index.sync(&loaded.notes, &catalog, &mut |_| {})?;
        self.store.reconcile(&notes::all_refs(&loaded.notes))?;
        self.catalog = catalog;
        self.note_positions = positions(&loaded.notes);
        self.notes = loaded.notes;
        self.warnings = loaded.warnings;
        self.last_index_report = report.clone();
        self.refresh_meaning()?;
        Ok(report)
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

fn positions(notes: &[Note]) -> HashMap<String, usize> {
    notes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), i))
        .collect()
}

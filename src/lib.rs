//! Rehearse's core: reads folders of markdown interview notes, splits them into
//! question cards, renders them, searches them with a Tantivy index kept on disk,
//! and keeps the user's own data (bookmarks, drafts, reviews) in SQLite.
//!
//! [`Library`] is the one entry point; the CLI and the desktop shell are thin
//! callers of it.
//!
//! ```no_run
//! use rehearse::{Library, LibraryConfig, SearchRequest};
//!
//! let library = Library::open(LibraryConfig::new(vec!["notes".into()], "/tmp/rehearse".into()))?;
//! let results = library.search(&SearchRequest::new("gorutine"))?;
//! for hit in results.hits {
//!     println!("{}  {}", hit.id, hit.title);
//! }
//! # Ok::<(), rehearse::Error>(())
//! ```

pub mod bench;
pub mod error;
pub mod index;
pub mod notes;
pub mod practice;
pub mod render;
pub mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use error::{Error, Result};
pub use index::{IndexProgress, IndexReport, SearchHit, SearchRequest, SearchResults};
pub use notes::{Card, CardRef, LoadWarning, Note, OutlineEntry};
pub use store::Store;

/// Where a library's notes come from and where its data lives.
#[derive(Debug, Clone)]
pub struct LibraryConfig {
    pub notes_dirs: Vec<PathBuf>,
    pub data_dir: PathBuf,
}

impl LibraryConfig {
    pub fn new(notes_dirs: Vec<PathBuf>, data_dir: PathBuf) -> Self {
        LibraryConfig {
            notes_dirs,
            data_dir,
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

    /// The notes shipped with Rehearse: `notes/` of the source tree.
    pub fn bundled_notes_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("notes")
    }

    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("rehearse.sqlite3")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

/// An open library: the loaded notes, their search index and the user's store.
pub struct Library {
    config: LibraryConfig,
    notes: Vec<Note>,
    warnings: Vec<LoadWarning>,
    /// Where each note is in `notes`, by id.
    note_positions: HashMap<String, usize>,
    index: index::NoteIndex,
    store: Store,
    last_index_report: IndexReport,
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
        let mut index = index::NoteIndex::open(&config.index_dir())?;
        let last_index_report = index.sync(&loaded.notes, progress)?;
        store.reconcile(&notes::all_refs(&loaded.notes))?;
        Ok(Library {
            config,
            note_positions: positions(&loaded.notes),
            notes: loaded.notes,
            warnings: loaded.warnings,
            index,
            store,
            last_index_report,
        })
    }

    /// Re-reads the notes folders and updates the index for what changed.
    pub fn reload(&mut self) -> Result<IndexReport> {
        let loaded = notes::load_folders(&self.config.notes_dirs)?;
        let report = self.index.sync(&loaded.notes, &mut |_| {})?;
        self.store.reconcile(&notes::all_refs(&loaded.notes))?;
        self.note_positions = positions(&loaded.notes);
        self.notes = loaded.notes;
        self.warnings = loaded.warnings;
        self.last_index_report = report.clone();
        Ok(report)
    }

    pub fn config(&self) -> &LibraryConfig {
        &self.config
    }

    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// What loading the notes found wrong (skipped files, repaired encodings).
    pub fn warnings(&self) -> &[LoadWarning] {
        &self.warnings
    }

    /// What the last index build or update did.
    pub fn index_report(&self) -> &IndexReport {
        &self.last_index_report
    }

    pub fn cards(&self) -> impl Iterator<Item = &Card> {
        self.notes.iter().flat_map(|n| n.cards.iter())
    }

    pub fn note(&self, id: &str) -> Option<&Note> {
        self.note_positions.get(id).map(|&i| &self.notes[i])
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        let note_id = id.split_once('#').map_or(id, |(note, _)| note);
        self.note(note_id)?.cards.iter().find(|c| c.id == id)
    }

    /// Resolves an id of a card, a module heading or a note to what the store
    /// keeps beside the user's data; unknown ids are an error.
    pub fn anchor(&self, id: &str) -> Result<CardRef> {
        let note_id = id.split_once('#').map_or(id, |(note, _)| note);
        self.note(note_id)
            .and_then(|note| note.anchor(id))
            .ok_or_else(|| Error::UnknownId(id.to_string()))
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.index.search(request, &|id| self.section_text(id))
    }

    /// The plain text of a card, a module's introduction or a note's opening.
    fn section_text(&self, id: &str) -> Option<&str> {
        let note_id = id.split_once('#').map_or(id, |(note, _)| note);
        let note = self.note(note_id)?;
        note.cards
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.text.as_str())
            .or_else(|| {
                note.outline
                    .iter()
                    .find(|e| e.id == id)
                    .map(|e| e.intro.as_str())
            })
    }

    /// A note or a card (by id) as safe HTML.
    pub fn render(&self, id: &str) -> Result<String> {
        if let Some(card) = self.card(id) {
            return Ok(render::card_to_html(card));
        }
        self.note(id)
            .map(render::note_to_html)
            .ok_or_else(|| Error::UnknownId(id.to_string()))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

fn positions(notes: &[Note]) -> HashMap<String, usize> {
    notes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), i))
        .collect()
}

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

mod binary;
mod data_lock;
pub mod error;
pub mod index;
mod library;
pub mod meaning;
pub mod notes;
pub mod practice;
pub mod render;
mod resources;
pub mod store;
mod system;
pub mod watch;

pub use error::{Error, Result};
pub use index::{IndexProgress, IndexReport, SearchHit, SearchRequest, SearchResults};
pub use library::{
    CardSummary, DraftHit, FilteredNotes, FolderChange, Library, LibraryConfig, LibraryFolders,
    MeaningJob, MeaningStatus, NoteOutline, NoteSummary, NotesFolder, NotesPage, PreparedUpdate,
    Renamed, UpdateJob, UpdateReport, Watching,
};
pub use notes::{Card, CardRef, LoadWarning, Note, OutlineEntry};
pub use store::Store;

//! The one error type of the core, with a stable `code()` the UI and CLI branch on.

use std::path::PathBuf;

/// Everything that can go wrong in Rehearse's core. Each variant's message is a
/// sentence a user can act on; `code()` is the stable tag that crosses IPC.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("No card or note has the id `{0}`.")]
    UnknownId(String),

    #[error("The notes folder {} does not exist or is not a folder.", .0.display())]
    NotesFolderMissing(PathBuf),

    #[error("Could not read or write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("The search index at {} could not be used: {message}", path.display())]
    Index { path: PathBuf, message: String },

    #[error(
        "The file {} is not a Rehearse database or is damaged ({message}). It was left untouched; move it aside or restore a backup.",
        path.display()
    )]
    DatabaseCorrupt { path: PathBuf, message: String },

    #[error("The database {} could not be used: {message}", path.display())]
    Database { path: PathBuf, message: String },

    #[error("The sentence-embedding model at {} could not be used: {message}", path.display())]
    Model { path: PathBuf, message: String },

    #[error("The notes folder {} cannot be watched for changes: {message}", path.display())]
    Watch { path: PathBuf, message: String },

    #[error("{0}")]
    InvalidInput(String),

    /// The caller stopped the work (the first start's indexing): nothing of
    /// it was kept, and the next start does it again.
    #[error("Indexing was stopped before it finished; nothing was changed.")]
    Cancelled,
}

impl Error {
    /// A stable, machine-readable tag for the kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            Error::UnknownId(_) => "unknown_id",
            Error::NotesFolderMissing(_) => "notes_folder_missing",
            Error::Io { .. } => "io",
            Error::Index { .. } => "index",
            Error::DatabaseCorrupt { .. } => "database_corrupt",
            Error::Database { .. } => "database",
            Error::Model { .. } => "model",
            Error::Watch { .. } => "watch",
            Error::InvalidInput(_) => "invalid_input",
            Error::Cancelled => "cancelled",
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

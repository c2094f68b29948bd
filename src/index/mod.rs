//! Full-text search over the notes: the Tantivy index on disk, its analyzers,
//! incremental updates by content hash, and the query language users type.

use std::path::Path;

use serde::Serialize;

use crate::Result;
use crate::notes::Note;

/// A search as the user typed it, with optional filters.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    /// Only hits in this note (its id).
    pub note: Option<String>,
    /// Only hits under this module (the first heading of a card's trail).
    pub module: Option<String>,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 20,
            note: None,
            module: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub query: String,
    pub took_us: u64,
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// A card id, a module heading id, or a note id.
    pub id: String,
    pub note: String,
    pub title: String,
    pub trail: Vec<String>,
    /// HTML: the text escaped, the matched terms in `<mark>`.
    pub snippet: String,
    pub score: f32,
}

/// Reported while the index is built or updated.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexProgress {
    pub done: usize,
    pub total: usize,
}

/// What an index build or update did.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexReport {
    pub files: usize,
    pub updated_files: usize,
    pub removed_files: usize,
    pub sections: usize,
    pub rebuilt: bool,
    pub millis: u64,
}

pub struct NoteIndex {}

impl NoteIndex {
    pub fn open(_dir: &Path) -> Result<NoteIndex> {
        Ok(NoteIndex {})
    }

    pub fn sync(
        &mut self,
        _notes: &[Note],
        _progress: &mut dyn FnMut(IndexProgress),
    ) -> Result<IndexReport> {
        Ok(IndexReport::default())
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        Ok(SearchResults {
            query: request.query.clone(),
            took_us: 0,
            total: 0,
            hits: vec![],
        })
    }
}

//! The notes model: loading folders of markdown, repairing their encoding, and
//! splitting each note into an outline and question cards with stable ids.

mod cache;
mod catalog;
mod decode;
mod id;
mod load;
pub(crate) mod parse;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

pub(crate) use cache::{Change, Stamp};
pub(crate) use cache::{EntryKind, NotesCache, Snapshot};
pub use catalog::{Catalog, Section};
pub use id::{CardId, note_id};
pub(crate) use load::{
    FileTable, UNREADABLE, catalog_view, catalog_warnings, decode_all, files_under, may_be_note,
    parallel_map, read_note, relative_id, scan_folders, unchanged_since,
};
pub use load::{LoadedNotes, MAX_NOTE_BYTES, load_folders};

/// One markdown file of the user's.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// The path relative to its notes folder, with `/` separators.
    pub id: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub title: String,
    /// The markdown as shown: encoding repaired, front matter removed.
    /// Shared with the answers of its cards, which are slices of it.
    #[serde(skip)]
    pub source: Arc<str>,
    /// blake3 of the file's bytes: the index updates only notes whose hash changed.
    #[serde(skip)]
    pub hash: String,
    /// Set when the text was repaired on load (mojibake or invalid UTF-8).
    pub repair: Option<String>,
    pub outline: Vec<OutlineEntry>,
    pub cards: Vec<Card>,
}

/// A heading of a note (a module, or a card's question).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OutlineEntry {
    pub id: String,
    pub title: String,
    /// 1 for top-level modules; deeper entries count from there.
    pub depth: u8,
    pub is_card: bool,
    /// For modules: their own text before the first sub-heading, as plain text.
    #[serde(skip)]
    pub intro: Arc<str>,
    /// The headings above this one.
    pub trail: Vec<String>,
}

/// A question with its reference answer.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    /// `note-id#slug/slug`: the note and the heading slug trail; unique in the note.
    pub id: String,
    pub note: String,
    /// The module headings above the question, outermost first.
    pub trail: Vec<String>,
    pub title: String,
    /// The reference answer, as markdown: a slice of its note's source.
    #[ts(type = "string")]
    pub answer: Excerpt,
    /// The answer as plain text, for the search index.
    #[serde(skip)]
    pub text: Arc<str>,
    /// No answer written yet; kept so it can still be practised.
    pub empty: bool,
}

/// A slice of a note's markdown that shares the note's text: a card's answer.
/// A copy of every answer took a quarter of the memory of a decoded library
/// and of the catalog's file.
#[derive(Clone, Default)]
pub struct Excerpt {
    text: Arc<str>,
    range: std::ops::Range<usize>,
}

impl Excerpt {
    /// The part of `text` at `range`; `None` when `range` does not cut
    /// `text` at character boundaries.
    pub fn new(text: Arc<str>, range: std::ops::Range<usize>) -> Option<Excerpt> {
        text.get(range.clone())?;
        Some(Excerpt { text, range })
    }

    /// Where it lies in its note's source.
    pub(crate) fn range(&self) -> std::ops::Range<usize> {
        self.range.clone()
    }

    /// Whether it is a slice of `text` (an empty one is of any).
    pub(crate) fn lies_in(&self, text: &Arc<str>) -> bool {
        self.range.is_empty() || Arc::ptr_eq(&self.text, text)
    }

    pub fn as_str(&self) -> &str {
        &self.text[self.range.clone()]
    }
}

impl std::ops::Deref for Excerpt {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for Excerpt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Excerpt {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Excerpt {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What the store keeps beside the user's data about the card it belongs to, so
/// the data can be re-attached when the card moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CardRef {
    pub id: String,
    pub note: String,
    pub title: String,
    /// For a card, a short hash of its answer: it tells apart two questions
    /// with the same heading in one note. Empty for headings and notes.
    #[serde(skip)]
    pub fingerprint: String,
}

/// Something wrong with a file that loading survived.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LoadWarning {
    pub path: PathBuf,
    pub message: String,
}

impl Note {
    /// The store's reference for a card, a heading or the note itself.
    pub fn anchor(&self, id: &str) -> Option<CardRef> {
        if let Some(card) = self.cards.iter().find(|c| c.id == id) {
            return Some(card.to_ref());
        }
        let title = if id == self.id {
            self.title.clone()
        } else {
            self.outline.iter().find(|e| e.id == id)?.title.clone()
        };
        Some(CardRef {
            id: id.to_string(),
            note: self.id.clone(),
            title,
            fingerprint: String::new(),
        })
    }
}

impl Card {
    pub fn to_ref(&self) -> CardRef {
        CardRef {
            id: self.id.clone(),
            note: self.note.clone(),
            title: self.title.clone(),
            fingerprint: fingerprint(&self.text),
        }
    }
}

/// A short hash of an answer's words, blind to spacing, so reflowing a
/// paragraph is not taken for another answer.
fn fingerprint(text: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    for word in text.split_whitespace() {
        hasher.update(word.as_bytes());
        hasher.update(b" ");
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// Every card, heading and note of `notes`, for reconciling the user's data.
pub fn all_refs(notes: &[Note]) -> Vec<CardRef> {
    let reference = |note: &Note, id: &str, title: &str| CardRef {
        id: id.to_string(),
        note: note.id.clone(),
        title: title.to_string(),
        fingerprint: String::new(),
    };
    notes
        .iter()
        .flat_map(|note| {
            // The outline holds an entry with the note's own id when the note
            // has opening text; the note itself is listed once. Cards come
            // from `cards`, which carry their answers.
            std::iter::once(reference(note, &note.id, &note.title))
                .chain(
                    note.outline
                        .iter()
                        .filter(|e| e.id != note.id && !e.is_card)
                        .map(move |e| reference(note, &e.id, &e.title)),
                )
                .chain(note.cards.iter().map(Card::to_ref))
        })
        .collect()
}

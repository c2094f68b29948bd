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
    #[ts(type = "string")]
    pub id: Excerpt,
    #[serde(skip)]
    pub path: PathBuf,
    #[ts(type = "string")]
    pub title: Excerpt,
    /// The markdown as shown: encoding repaired, front matter removed.
    /// Shared with the answers of its cards, which are slices of it.
    #[serde(skip)]
    pub source: Excerpt,
    /// blake3 of the file's bytes: the index updates only notes whose hash changed.
    #[serde(skip)]
    pub hash: Excerpt,
    /// Set when the text was repaired on load (mojibake or invalid UTF-8).
    pub repair: Option<String>,
    pub outline: Vec<OutlineEntry>,
    pub cards: Vec<Card>,
}

/// A heading of a note (a module, or a card's question).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OutlineEntry {
    #[ts(type = "string")]
    pub id: Excerpt,
    #[ts(type = "string")]
    pub title: Excerpt,
    /// 1 for top-level modules; deeper entries count from there.
    pub depth: u8,
    pub is_card: bool,
    /// For modules: their own text before the first sub-heading, as plain text.
    #[serde(skip)]
    pub intro: Excerpt,
    /// The headings above this one.
    #[ts(type = "Array<string>")]
    pub trail: Vec<Excerpt>,
}

/// A question with its reference answer.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    /// `note-id#slug/slug`: the note and the heading slug trail; unique in the note.
    #[ts(type = "string")]
    pub id: Excerpt,
    #[ts(type = "string")]
    pub note: Excerpt,
    /// The module headings above the question, outermost first.
    #[ts(type = "Array<string>")]
    pub trail: Vec<Excerpt>,
    #[ts(type = "string")]
    pub title: Excerpt,
    /// The reference answer, as markdown: a slice of its note's source.
    #[ts(type = "string")]
    pub answer: Excerpt,
    /// The answer as plain text, for the search index.
    #[serde(skip)]
    pub text: Excerpt,
    /// No answer written yet; kept so it can still be practised.
    pub empty: bool,
}

/// Text shared, not copied: a note's markdown, a card's answer (a slice of
/// it) or a plain text. A note decoded from the catalog keeps its texts
/// where they lie in the mapped file, so an open library holds in memory
/// only the pages of the notes being read; a note read from its file shares
/// its markdown with its answers. Copies of every text took half the memory
/// of a decoded library.
///
/// Sixteen bytes: a library's cards, headings and sections hold a million of
/// them (the corpora), and each byte of an excerpt is a megabyte there.
#[derive(Clone, Default)]
pub struct Excerpt {
    /// `None` for the empty text (every leaf heading's intro).
    source: Option<Arc<Source>>,
    start: u32,
    len: u32,
}

const _: () = assert!(std::mem::size_of::<Excerpt>() == 16);

/// What excerpts are cut from: a text of its own on the heap, or the
/// mapped catalog.
pub(crate) enum Source {
    Heap(Box<str>),
    Mapped(cache::Mapped),
}

impl Source {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Source::Heap(text) => text.as_bytes(),
            Source::Mapped(file) => file.bytes(),
        }
    }

    /// See [`cache::Mapped::release_pages`]; nothing for a text on the heap.
    pub(crate) fn release_pages(&self) {
        if let Source::Mapped(file) = self {
            file.release_pages();
        }
    }
}

impl Excerpt {
    /// The text at `range` of `source`; `None` when it is not UTF-8, or
    /// lies past 4 GiB (the note is then read from its file).
    pub(crate) fn of(source: &Arc<Source>, range: std::ops::Range<usize>) -> Option<Excerpt> {
        match &**source {
            // Text already: only its ends need to fall between characters.
            Source::Heap(text) => _ = text.get(range.clone())?,
            Source::Mapped(file) => {
                _ = std::str::from_utf8(file.bytes().get(range.clone())?).ok()?
            }
        }
        Some(Excerpt {
            source: Some(Arc::clone(source)),
            start: u32::try_from(range.start).ok()?,
            len: u32::try_from(range.len()).ok()?,
        })
    }

    /// Its length in bytes, known without reading the text (which, in a
    /// mapped catalog, is checked again each time it is read).
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }

    /// `part`, a slice of this text, as an excerpt sharing it.
    pub(crate) fn slice(&self, part: &str) -> Excerpt {
        if part.is_empty() {
            return Excerpt::default();
        }
        // Where the text starts, found without reading it: checking the
        // whole of a long note's text for each of its thousands of cards
        // made opening it quadratic.
        let start = self
            .source
            .as_deref()
            .map_or(0, |source| source.bytes().as_ptr() as usize)
            + self.start as usize;
        let offset = (part.as_ptr() as usize).wrapping_sub(start);
        assert!(
            offset <= self.len as usize && part.len() <= self.len as usize - offset,
            "a slice of the text"
        );
        Excerpt {
            source: self.source.clone(),
            start: self.start + offset as u32,
            len: part.len() as u32,
        }
    }

    /// The text at `range` within this one, as an excerpt sharing it;
    /// `None` when the range is not within it or not text. Only the part is
    /// checked, not this whole text.
    pub(crate) fn part(&self, range: std::ops::Range<usize>) -> Option<Excerpt> {
        let source = self.source.as_ref()?;
        if range.end > self.len as usize {
            return None;
        }
        let start = self.start as usize;
        Excerpt::of(source, start + range.start..start + range.end)
    }

    /// Where it lies in `outer`, when it is a slice of it (an empty one is
    /// of any, at 0).
    pub(crate) fn range_in(&self, outer: &Excerpt) -> Option<std::ops::Range<usize>> {
        if self.len == 0 {
            return Some(0..0);
        }
        let (inner, outer_range) = (self.range(), outer.range());
        let same = match (&self.source, &outer.source) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        let inside = same && outer_range.start <= inner.start && inner.end <= outer_range.end;
        inside.then(|| inner.start - outer_range.start..inner.end - outer_range.start)
    }

    pub fn as_str(&self) -> &str {
        match self.source.as_deref() {
            // Its ends were checked to fall between characters when it was
            // made: no need to read the text again. Indexing a new library
            // checked each of its texts a dozen times.
            Some(Source::Heap(text)) => text.get(self.range()).unwrap_or_default(),
            // Checked when made; checked again, not trusted, since a mapped
            // file could be changed under us by hand, and checking costs
            // little next to what is done with the text.
            Some(Source::Mapped(file)) => file
                .bytes()
                .get(self.range())
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
                .unwrap_or_default(),
            None => "",
        }
    }
}

/// Copies of `list`, for what outlives the notes (a view sent over IPC).
pub fn strings(list: &[Excerpt]) -> Vec<String> {
    list.iter().map(Excerpt::to_string).collect()
}

/// Lets go of the pages of the mapped catalogs that `texts` lie in, once
/// they were all read (see `Snapshot::release_pages`).
pub(crate) fn release_pages<'a>(texts: impl IntoIterator<Item = &'a Excerpt>) {
    let mut released: Option<&Arc<Source>> = None;
    for text in texts {
        if let Some(source) = &text.source
            && matches!(**source, Source::Mapped(_))
            && !released.is_some_and(|done| Arc::ptr_eq(done, source))
        {
            source.release_pages();
            released = Some(source);
        }
    }
}

impl From<String> for Excerpt {
    fn from(text: String) -> Excerpt {
        Excerpt::from(text.into_boxed_str())
    }
}

impl From<&str> for Excerpt {
    fn from(text: &str) -> Excerpt {
        Excerpt::from(Box::<str>::from(text))
    }
}

impl From<Box<str>> for Excerpt {
    fn from(text: Box<str>) -> Excerpt {
        if text.is_empty() {
            return Excerpt::default();
        }
        let range = 0..text.len();
        // Notes are far below 4 GiB (`MAX_NOTE_BYTES`).
        Excerpt::of(&Arc::new(Source::Heap(text)), range).expect("a note's text")
    }
}

impl std::ops::Deref for Excerpt {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Excerpt {
    fn as_ref(&self) -> &str {
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

impl PartialEq<str> for Excerpt {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<String> for Excerpt {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Excerpt> for String {
    fn eq(&self, other: &Excerpt) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Excerpt> for &str {
    fn eq(&self, other: &Excerpt) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq for Excerpt {
    fn eq(&self, other: &Excerpt) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Excerpt {}

/// As a `str` hashes, so that maps keyed by excerpts are looked up by `&str`.
impl std::hash::Hash for Excerpt {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl std::borrow::Borrow<str> for Excerpt {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialOrd for Excerpt {
    fn partial_cmp(&self, other: &Excerpt) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Excerpt {
    fn cmp(&self, other: &Excerpt) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
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
            self.title.to_string()
        } else {
            self.outline.iter().find(|e| e.id == id)?.title.to_string()
        };
        Some(CardRef {
            id: id.to_string(),
            note: self.id.to_string(),
            title,
            fingerprint: String::new(),
        })
    }
}

impl Card {
    pub fn to_ref(&self) -> CardRef {
        CardRef {
            id: self.id.to_string(),
            note: self.note.to_string(),
            title: self.title.to_string(),
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
        note: note.id.to_string(),
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

//! What the window's lists show, and no more: a summary per note at open, a
//! note's outline and questions when it is opened or expanded, one card's
//! answer when it is practised, and the sidebar's filter. At 50,000 notes the
//! answers alone are tens of megabytes, which no list needs.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::Library;
use crate::notes::{self, Card, Excerpt, Note, OutlineEntry};
use crate::{Error, Result};

/// A page of the notes' summaries, with what the whole library counts: the
/// window shows the first page at once and asks for the rest while it is
/// looked at.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NotesPage {
    /// Where this page starts in the library's order.
    pub offset: u32,
    pub notes: Vec<NoteSummary>,
    /// Notes in the library.
    pub total: u32,
    /// Questions in the library.
    pub cards: u32,
    /// Questions with no answer written yet, in the library.
    pub unanswered: u32,
}

/// A note as a list shows it: its title and counts, and a few headings to
/// recognise it by.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteSummary {
    pub id: String,
    pub title: String,
    /// Set when the text was repaired on load (mojibake or invalid UTF-8).
    pub repair: Option<String>,
    pub cards: u32,
    /// Questions with no answer written yet.
    pub unanswered: u32,
    /// Top-level modules.
    pub modules: u32,
    /// The first few module titles, or when there are none the first few
    /// questions.
    pub headings: Vec<String>,
}

/// A question without its answer.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CardSummary {
    pub id: String,
    pub note: String,
    /// The module headings above the question, outermost first.
    pub trail: Vec<String>,
    pub title: String,
    /// No answer written yet.
    pub empty: bool,
}

/// A note's headings and questions, for the sidebar and the reader.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteOutline {
    pub note: NoteSummary,
    pub outline: Vec<OutlineEntry>,
    pub cards: Vec<CardSummary>,
}

/// The notes a sidebar filter keeps, each with the questions that match (all
/// of them when the note's title or a module's title matches).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct FilteredNotes {
    pub notes: Vec<NoteOutline>,
    /// Notes that matched beyond the limit.
    pub more: u32,
}

/// How many headings a summary carries.
const HEADINGS: usize = 4;

impl Library {
    /// The notes from `offset`, at most `limit` of them, as a list shows
    /// them, in the library's order.
    pub fn note_summaries(&self, offset: usize, limit: usize) -> NotesPage {
        let notes = self.notes();
        let cards = notes.iter().map(|n| n.cards.len()).sum::<usize>();
        let unanswered = notes
            .iter()
            .flat_map(|n| &n.cards)
            .filter(|c| c.empty)
            .count();
        NotesPage {
            offset: offset.min(notes.len()) as u32,
            notes: notes.iter().skip(offset).take(limit).map(summary).collect(),
            total: notes.len() as u32,
            cards: cards as u32,
            unanswered: unanswered as u32,
        }
    }

    /// A note's outline and its questions without their answers.
    pub fn note_outline(&self, id: &str) -> Result<NoteOutline> {
        let note = self
            .note(id)
            .ok_or_else(|| Error::UnknownId(id.to_string()))?;
        Ok(outline(note, note.cards.iter()))
    }

    /// One question with its reference answer.
    pub fn card_with_answer(&self, id: &str) -> Result<Card> {
        self.card(id)
            .cloned()
            .ok_or_else(|| Error::UnknownId(id.to_string()))
    }

    /// The sidebar's filter: notes whose title, module or question has every
    /// word of `filter` (case and accents ignored), at most `limit` of them.
    pub fn filter_notes(&self, filter: &str, limit: usize) -> FilteredNotes {
        let words: Vec<String> = fold(filter).split_whitespace().map(String::from).collect();
        let matches = |text: &str| {
            let folded = fold(text);
            words.iter().all(|w| folded.contains(w.as_str()))
        };
        let mut kept = FilteredNotes {
            notes: Vec::new(),
            more: 0,
        };
        for note in self.notes() {
            let found = if matches(&note.title) {
                Some(outline(note, note.cards.iter()))
            } else {
                let cards: Vec<&Card> = note
                    .cards
                    .iter()
                    .filter(|card| {
                        let module = card.trail.first().map_or("", Excerpt::as_str);
                        matches(module) || matches(&format!("{} {module}", card.title))
                    })
                    .collect();
                (!cards.is_empty()).then(|| outline(note, cards.into_iter()))
            };
            match found {
                Some(_) if kept.notes.len() >= limit => kept.more += 1,
                Some(found) => kept.notes.push(found),
                None => {}
            }
        }
        kept
    }
}

fn summary(note: &Note) -> NoteSummary {
    let modules: Vec<&str> = note
        .outline
        .iter()
        .filter(|e| e.depth == 1 && !e.is_card)
        .map(|e| e.title.as_str())
        .collect();
    let headings = if modules.is_empty() {
        note.cards
            .iter()
            .take(HEADINGS)
            .map(|c| c.title.to_string())
            .collect()
    } else {
        modules
            .iter()
            .take(HEADINGS)
            .map(|t| t.to_string())
            .collect()
    };
    NoteSummary {
        id: note.id.to_string(),
        title: note.title.to_string(),
        repair: note.repair.clone(),
        cards: note.cards.len() as u32,
        unanswered: note.cards.iter().filter(|c| c.empty).count() as u32,
        modules: modules.len() as u32,
        headings,
    }
}

fn outline<'a>(note: &Note, cards: impl Iterator<Item = &'a Card>) -> NoteOutline {
    NoteOutline {
        note: summary(note),
        outline: note.outline.clone(),
        cards: cards
            .map(|card| CardSummary {
                id: card.id.to_string(),
                note: card.note.to_string(),
                trail: notes::strings(&card.trail),
                title: card.title.to_string(),
                empty: card.empty,
            })
            .collect(),
    }
}

/// Lowercase without accents, so "cafe" finds "Café" (as the UI folds).
fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

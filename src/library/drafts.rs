//! The user's written answers to questions, with every saved version, and
//! searching them.

use serde::Serialize;

use super::Library;
use crate::practice::{self, DiffOp};
use crate::store::{Draft, DraftSaved, DraftVersion, SaveKind, Timestamp};
use crate::{Error, Result};

/// Characters of a draft shown around its first match.
const DRAFT_SNIPPET_CHARS: usize = 180;

/// A draft whose latest version has every word of a query.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftHit {
    pub card_id: String,
    pub note: String,
    /// The question the draft answers.
    pub title: String,
    /// The draft's text around its first match, HTML-escaped, the matched
    /// words in `<mark>`.
    pub snippet: String,
    pub saved_at: Timestamp,
}

impl Library {
    /// Saves a new version of the answer to the question `id`.
    pub fn save_draft(&self, id: &str, text: &str, kind: SaveKind) -> Result<DraftSaved> {
        self.store()?.save_draft(&self.question(id)?, text, kind)
    }

    /// The latest version of a draft, or version `version`. Drafts of
    /// questions that are gone (orphans) are still there to read.
    pub fn draft(&self, id: &str, version: Option<u32>) -> Result<Draft> {
        if let Some(draft) = self.store()?.draft(id, version)? {
            return Ok(draft);
        }
        let versions = self.store()?.draft_history(id)?.len();
        Err(match version {
            Some(n) if versions > 0 => Error::InvalidInput(format!(
                "The draft for `{id}` has versions 1 to {versions}; there is no version {n}."
            )),
            _ => {
                self.anchor(id)?;
                Error::InvalidInput(format!("No draft is saved for `{id}` yet."))
            }
        })
    }

    /// The latest version of the draft for the question `id`; `None` before
    /// the first save.
    pub fn latest_draft(&self, id: &str) -> Result<Option<Draft>> {
        self.question(id)?;
        self.store()?.draft(id, None)
    }

    /// What changed from version `from` to version `to` of a draft, word by
    /// word.
    pub fn draft_diff(&self, id: &str, from: u32, to: u32) -> Result<Vec<DiffOp>> {
        let older = self.draft(id, Some(from))?;
        let newer = self.draft(id, Some(to))?;
        Ok(practice::word_diff(&older.text, &newer.text))
    }

    /// The latest drafts of the questions in the notes that have every word
    /// of `query` (the last one also as the start of a word, as it is being
    /// typed), newest first, at most `limit`. Words are folded as the index
    /// folds the notes' (`Goroutines` finds `goroutine`, `sync.Mutex` is one
    /// word). Drafts are read afresh on every call rather than indexed: they
    /// change on every pause in typing, the CLI writes them too, and a person
    /// has hundreds, which take well under a millisecond to scan.
    pub fn search_drafts(&self, query: &str, limit: usize) -> Result<Vec<DraftHit>> {
        let wanted: Vec<String> = self
            .index
            .term_spans(query)
            .into_iter()
            .map(|s| s.term)
            .collect();
        let Some((last, whole)) = wanted.split_last() else {
            return Ok(Vec::new());
        };
        let matches =
            |term: &str| whole.iter().any(|w| w == term) || term.starts_with(last.as_str());
        let mut hits: Vec<DraftHit> = Vec::new();
        for draft in self.store()?.latest_drafts()? {
            if draft.orphaned {
                continue;
            }
            let spans = self.index.term_spans(&draft.text);
            let has = |w: &String| spans.iter().any(|s| &s.term == w);
            let has_last = spans.iter().any(|s| s.term.starts_with(last.as_str()));
            if !(whole.iter().all(has) && has_last) {
                continue;
            }
            let marked: Vec<std::ops::Range<usize>> = spans
                .into_iter()
                .filter(|s| matches(&s.term))
                .map(|s| s.range)
                .collect();
            hits.push(DraftHit {
                snippet: draft_snippet(&draft.text, &marked),
                card_id: draft.card_id,
                note: draft.note,
                title: draft.title,
                saved_at: draft.saved_at,
            });
        }
        hits.sort_by_key(|hit| std::cmp::Reverse(hit.saved_at));
        hits.truncate(limit);
        Ok(hits)
    }

    /// Every saved version of a draft, oldest first; an unknown id is an error.
    pub fn draft_history(&self, id: &str) -> Result<Vec<DraftVersion>> {
        let versions = self.store()?.draft_history(id)?;
        if versions.is_empty() {
            self.anchor(id)?;
        }
        Ok(versions)
    }
}

/// The stretch of `text` from a little before its first mark, HTML-escaped,
/// with the marks in `<mark>` and `…` where it was cut.
fn draft_snippet(text: &str, marks: &[std::ops::Range<usize>]) -> String {
    let first = marks.first().map_or(0, |m| m.start);
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(DRAFT_SNIPPET_CHARS / 4)
        .map_or(0, |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .nth(DRAFT_SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut at = start;
    for mark in marks.iter().filter(|m| m.start >= start && m.end <= end) {
        if mark.start < at {
            continue;
        }
        out.push_str(&escape(&text[at..mark.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[mark.clone()]));
        out.push_str("</mark>");
        at = mark.end;
    }
    out.push_str(&escape(&text[at..end]));
    if end < text.len() {
        out.push('…');
    }
    // One line, as search results show text.
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

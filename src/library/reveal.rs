//! Revealing a card's reference beside the answer written to it: ideas
//! covered and missed, key terms, a word diff and a score.

use super::Library;
use crate::practice::{self, Reveal};
use crate::{Error, Result};

impl Library {
    /// Compares `answer` — or, without one, the latest saved draft, or
    /// nothing when none was saved — with the reference answer of the card
    /// `id`. Ideas are judged by meaning once the model is loaded
    /// ([`Library::enable_meaning`]), by key terms alone before; the reveal
    /// says which.
    pub fn reveal(&self, id: &str, answer: Option<&str>) -> Result<Reveal> {
        self.question(id)?;
        let card = self
            .card(id)
            .ok_or_else(|| Error::UnknownId(id.to_string()))?;
        let draft;
        let answer = match answer {
            Some(text) => text,
            None => {
                draft = self.store()?.draft(id, None)?;
                draft.as_ref().map_or("", |d| d.text.as_str())
            }
        };
        practice::reveal(&card.answer, answer, &self.index, self.embedder())
    }
}

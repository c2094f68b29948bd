//! Reading the notes: notes, cards and headings by id, and rendering them.

use std::path::Path;

use super::Library;
use crate::notes::{Card, CardId, CardRef, Note, Section};
use crate::render;
use crate::{Error, Result};

impl Library {
    pub fn notes(&self) -> &[Note] {
        &self.loaded().notes
    }

    /// Every searchable section: cards, and modules or notes with text of
    /// their own.
    pub fn sections(&self) -> &[Section] {
        self.loaded().catalog.sections()
    }

    pub fn cards(&self) -> impl Iterator<Item = &Card> {
        self.loaded().notes.iter().flat_map(|n| n.cards.iter())
    }

    pub fn note(&self, id: &str) -> Option<&Note> {
        let loaded = self.loaded();
        loaded.positions.get(id).map(|&i| &loaded.notes[i])
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.note(note_of(id))?.cards.iter().find(|c| c.id == id)
    }

    /// Cards, optionally of one note; an unknown note is an error rather
    /// than an empty list.
    pub fn cards_of(&self, note: Option<&str>) -> Result<Vec<&Card>> {
        match note {
            None => Ok(self.cards().collect()),
            Some(id) => self
                .note(id)
                .map(|n| n.cards.iter().collect())
                .ok_or_else(|| Error::UnknownId(id.to_string())),
        }
    }

    /// Resolves an id of a card, a module heading or a note to what the store
    /// keeps beside the user's data; unknown ids are an error.
    pub fn anchor(&self, id: &str) -> Result<CardRef> {
        self.note(note_of(id))
            .and_then(|note| note.anchor(id))
            .ok_or_else(|| Error::UnknownId(id.to_string()))
    }

    /// The card `id` names, refusing headings and notes: drafts and reviews
    /// belong to questions.
    pub fn question(&self, id: &str) -> Result<CardRef> {
        if let Some(card) = self.card(id) {
            return Ok(card.to_ref());
        }
        let anchor = self.anchor(id)?;
        Err(Error::InvalidInput(format!(
            "`{id}` is the heading or note \"{}\", not a question; drafts and reviews belong to questions.",
            anchor.title
        )))
    }

    /// A note or a card (by id) as safe HTML.
    pub fn render(&self, id: &str) -> Result<String> {
        if let Some(card) = self.card(id) {
            return Ok(render::card_to_html(card));
        }
        let note = self
            .note(id)
            .ok_or_else(|| Error::UnknownId(id.to_string()))?;
        let targets = render::LinkTargets::new(&self.loaded().notes, &self.config.notes_dirs);
        Ok(render::note_to_html_in(note, &targets))
    }

    /// A file beside the notes that a rendered note shows (an image), read
    /// only when it is inside the notes folders: a `..` or a symlink that
    /// leads out of them is refused.
    pub fn asset(&self, path: &Path) -> Result<Vec<u8>> {
        let real = path.canonicalize().map_err(|e| Error::io(path, e))?;
        if !render::within(&real, &self.config.notes_dirs) {
            return Err(Error::InvalidInput(format!(
                "{} is outside your notes folders; Rehearse shows only files inside them.",
                path.display()
            )));
        }
        std::fs::read(&real).map_err(|e| Error::io(&real, e))
    }

    /// A card as its question and answer in markdown, or a note's source.
    pub fn markdown(&self, id: &str) -> Result<String> {
        if let Some(card) = self.card(id) {
            return Ok(format!("# {}\n\n{}", card.title, card.answer));
        }
        self.note(id)
            .map(|note| note.source.to_string())
            .ok_or_else(|| Error::UnknownId(id.to_string()))
    }
}

fn note_of(id: &str) -> &str {
    CardId::parse(id).note
}

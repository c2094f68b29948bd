//! Bookmarks on cards, module headings and notes.

use super::Library;
use crate::Result;
use crate::store::Bookmark;

impl Library {
    /// Every bookmark, newest first; those whose card is gone say so.
    pub fn bookmarks(&self) -> Result<Vec<Bookmark>> {
        self.store()?.bookmarks()
    }

    /// Bookmarks a card, a module heading or a note; unknown ids are refused.
    pub fn add_bookmark(&self, id: &str, label: Option<&str>) -> Result<Bookmark> {
        self.store()?.add_bookmark(&self.anchor(id)?, label)
    }

    /// Whether there was a bookmark to remove. An id with no bookmark is fine
    /// if it names something in the notes (or an orphan); a typo is an error.
    pub fn remove_bookmark(&self, id: &str) -> Result<bool> {
        let removed = self.store()?.remove_bookmark(id)?;
        if !removed {
            self.anchor(id)?;
        }
        Ok(removed)
    }
}

//! Where the user stopped reading each note.

use super::Library;
use crate::Result;
use crate::store::ReadingPosition;

impl Library {
    /// Remembers how far into a note the reader is: the card at the top of
    /// the view and the scrolled fraction of the whole note.
    pub fn save_reading_position(
        &self,
        note: &str,
        card: Option<&str>,
        fraction: f64,
    ) -> Result<()> {
        self.store()?.set_reading_position(note, card, fraction)
    }

    pub fn reading_position(&self, note: &str) -> Result<Option<ReadingPosition>> {
        self.store()?.reading_position(note)
    }
}

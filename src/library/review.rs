//! Grading yourself, what is due, and the user's data whose card is gone.

use super::Library;
use crate::Result;
use crate::notes::CardRef;
use crate::practice::{self, Grade, NextIntervals, Review};
use crate::store::{CardSchedule, Orphan};

impl Library {
    /// Records a grade for the question `id`; FSRS schedules its next review.
    pub fn grade(&self, id: &str, grade: Grade) -> Result<Review> {
        let review = practice::grade(&self.store, &self.question(id)?, grade)?;
        // After the review is safely recorded: a refit must neither delay nor
        // fail the grade.
        practice::refit_when_due(&self.store);
        Ok(review)
    }

    /// What each grade would schedule for the question `id` now.
    pub fn next_intervals(&self, id: &str) -> Result<NextIntervals> {
        practice::next_intervals(&self.store, &self.question(id)?.id)
    }

    /// Cards due now, soonest first.
    pub fn due(&self) -> Result<Vec<CardSchedule>> {
        self.store.due(self.store.now())
    }

    /// Drafts, bookmarks and reviews whose card is no longer in the notes.
    pub fn orphans(&self) -> Result<Vec<Orphan>> {
        self.store.orphans()
    }

    /// Gives an orphan's data to a card that exists now; returns that card.
    pub fn reattach(&self, orphan: &str, card: &str) -> Result<CardRef> {
        let target = self.anchor(card)?;
        self.store.reattach(orphan, &target)?;
        Ok(target)
    }
}

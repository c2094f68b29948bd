//! Grading yourself, what is due, and the user's data whose card is gone.

use std::sync::PoisonError;

use super::Library;
use crate::Result;
use crate::notes::CardRef;
use crate::practice::{self, Grade, NextIntervals, Review};
use crate::store::{CardSchedule, Orphan, Store};

impl Library {
    /// Records a grade for the question `id`; FSRS schedules its next review.
    pub fn grade(&self, id: &str, grade: Grade) -> Result<Review> {
        let review = practice::grade(self.store()?, &self.question(id)?, grade)?;
        // After the review is safely recorded: a refit must neither delay nor
        // fail the grade.
        if practice::refit_due(self.store()?).unwrap_or(false) {
            self.refit_in_background();
        }
        Ok(review)
    }

    /// Fits the scheduler to the reviews on a thread of its own, with its own
    /// connection: the next card opens while it runs. The library waits for
    /// it when dropped, so a CLI process does not exit halfway through a fit.
    fn refit_in_background(&self) {
        let mut running = self.refit.lock().unwrap_or_else(PoisonError::into_inner);
        if running.as_ref().is_some_and(|fit| !fit.is_finished()) {
            return;
        }
        let path = self.config.database_path();
        *running = Some(std::thread::spawn(move || match Store::open(&path) {
            Ok(store) => practice::refit_when_due(&store),
            Err(e) => tracing::warn!("could not open the store to fit the scheduler: {e}"),
        }));
    }

    /// What each grade would schedule for the question `id` now.
    pub fn next_intervals(&self, id: &str) -> Result<NextIntervals> {
        practice::next_intervals(self.store()?, &self.question(id)?.id)
    }

    /// Cards due now, soonest first.
    pub fn due(&self) -> Result<Vec<CardSchedule>> {
        self.store()?.due(self.store()?.now())
    }

    /// Drafts, bookmarks and reviews whose card is no longer in the notes.
    pub fn orphans(&self) -> Result<Vec<Orphan>> {
        self.store()?.orphans()
    }

    /// Gives an orphan's data to a card that exists now; returns that card.
    pub fn reattach(&self, orphan: &str, card: &str) -> Result<CardRef> {
        let target = self.anchor(card)?;
        self.store()?.reattach(orphan, &target)?;
        Ok(target)
    }
}

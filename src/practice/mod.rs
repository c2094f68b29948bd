//! Practising answers: grading yourself, scheduling the next review with FSRS,
//! sessions of cards to practise, progress, and exporting the answers you
//! wrote. The `fsrs` crate appears here only.

mod export;
mod progress;
mod reveal;
mod schedule;
mod session;

pub use crate::store::Grade;
pub use export::{ExportReport, export_drafts};
pub use progress::{
    CardScores, DayCount, FORECAST_DAYS, HISTORY_DAYS, History, ModuleCoverage, Progress,
    ScorePoint, progress,
};
pub(crate) use reveal::reveal;
pub use reveal::{
    Coverage, DiffOp, DiffTag, Idea, IdeaKind, JudgedBy, KeyTerm, Mark, Reveal, word_diff,
};
pub use schedule::{
    DESIRED_RETENTION, FIT_EVERY_REVIEWS, NextIntervals, Review, fit_parameters, grade,
    next_intervals, refit_due, refit_when_due,
};
pub use session::{Scope, SessionPick, SessionRequest, Standing, select};

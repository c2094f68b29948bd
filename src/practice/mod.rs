//! Practising answers: grading yourself, scheduling the next review with FSRS,
//! and exporting the answers you wrote. The `fsrs` crate appears here only.

mod export;
mod reveal;
mod schedule;

pub use crate::store::Grade;
pub use export::{ExportReport, export_drafts};
pub(crate) use reveal::reveal;
pub use reveal::{Coverage, DiffOp, DiffTag, Idea, IdeaKind, JudgedBy, KeyTerm, Mark, Reveal};
pub use schedule::{
    DESIRED_RETENTION, FIT_EVERY_REVIEWS, NextIntervals, Review, fit_parameters, grade,
    next_intervals, refit_due, refit_when_due,
};

//! Practising answers: grading yourself, scheduling the next review with FSRS,
//! and exporting the answers you wrote. The `fsrs` crate appears here only.

mod export;
mod schedule;

pub use export::{ExportReport, export_drafts};
pub use schedule::{
    DESIRED_RETENTION, FIT_EVERY_REVIEWS, Grade, NextIntervals, Review, fit_parameters, grade,
    next_intervals,
};

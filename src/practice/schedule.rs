//! FSRS scheduling: a grade becomes a memory state and the next due time, with
//! parameters fitted to the user's own history once there is enough of it.

use fsrs::{ComputeParametersInput, FSRS, FSRSItem, FSRSReview, MemoryState, compute_parameters};
use serde::Serialize;

use crate::notes::CardRef;
use crate::store::{
    CardSchedule, FittedParameters, Grade, MILLIS_PER_DAY, PastReview, ReviewRecord, Store,
    Timestamp,
};
use crate::{Error, Result};

/// The recall probability reviews are scheduled for (Anki's default).
pub const DESIRED_RETENTION: f32 = 0.9;

/// Parameters are (re)fitted each time this many reviews have been added since
/// the last fit. Fewer reviews than this say little about one person's memory,
/// and a fit costs tens of milliseconds, too much for every grade.
pub const FIT_EVERY_REVIEWS: u64 = 50;

/// Sub-day intervals (a fresh "Again") are kept so the card returns the same
/// day, but not sooner than this.
const MIN_INTERVAL_DAYS: f32 = 1.0 / (24.0 * 6.0);
const MAX_INTERVAL_DAYS: f32 = 36_500.0;

/// A recorded review and what it scheduled.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub card_id: String,
    pub grade: Grade,
    pub reviewed_at: Timestamp,
    pub due_at: Timestamp,
    pub interval_days: f64,
    pub stability: f32,
    pub difficulty: f32,
    /// Whether parameters fitted to the user's own reviews were used.
    pub personal_parameters: bool,
}

/// The interval, in days, each grade would give a card now.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct NextIntervals {
    pub again: f64,
    pub hard: f64,
    pub good: f64,
    pub easy: f64,
}

/// Records `grade` for `card` and schedules its next review. The card's
/// schedule is read and the review written in one transaction, so two
/// processes grading the same card at once each schedule from the other's
/// review instead of both from the one before. Refitting the parameters is
/// left to [`refit_when_due`], off this path.
pub fn grade(store: &Store, card: &CardRef, grade: Grade) -> Result<Review> {
    let (scheduler, personal_parameters) = scheduler(store)?;
    let mut interval_days = 0.0;
    let record = store.record_review_from(card, |schedule, now| {
        let next = next_states(&scheduler, schedule, now)?;
        let chosen = match grade {
            Grade::Again => next.again,
            Grade::Hard => next.hard,
            Grade::Good => next.good,
            Grade::Easy => next.easy,
        };
        interval_days = self::interval_days(chosen.interval);
        Ok(ReviewRecord {
            grade,
            reviewed_at: now,
            due_at: now.plus_millis((interval_days * MILLIS_PER_DAY as f64).round() as i64),
            stability: chosen.memory.stability,
            difficulty: chosen.memory.difficulty,
        })
    })?;
    Ok(Review {
        card_id: card.id.clone(),
        grade,
        reviewed_at: record.reviewed_at,
        due_at: record.due_at,
        interval_days,
        stability: record.stability,
        difficulty: record.difficulty,
        personal_parameters,
    })
}

/// What each grade would schedule for `card_id` if given now.
pub fn next_intervals(store: &Store, card_id: &str) -> Result<NextIntervals> {
    let (scheduler, _) = scheduler(store)?;
    let schedule = store.card_schedule(card_id)?;
    let next = next_states(&scheduler, schedule.as_ref(), store.now())?;
    Ok(NextIntervals {
        again: interval_days(next.again.interval),
        hard: interval_days(next.hard.interval),
        good: interval_days(next.good.interval),
        easy: interval_days(next.easy.interval),
    })
}

/// Fits the scheduler's parameters to every review recorded so far and keeps
/// them for later reviews. `None` when the history holds no review that came
/// a day or more after the previous one, which is what FSRS learns from.
pub fn fit_parameters(store: &Store) -> Result<Option<FittedParameters>> {
    let histories = store.review_histories()?;
    let review_count = histories.iter().map(|h| h.len() as u64).sum();
    let mut train_set = Vec::new();
    let mut card_ids = Vec::new();
    for (card, history) in histories.iter().enumerate() {
        let reviews = fsrs_reviews(history);
        // One item per review after the first, holding the history up to it,
        // and only those that test memory across days (as Anki does).
        for end in 1..reviews.len() {
            if reviews[end].delta_t > 0 {
                train_set.push(FSRSItem {
                    reviews: reviews[..=end].to_vec(),
                });
                card_ids.push(card as i64);
            }
        }
    }
    if train_set.is_empty() {
        return Ok(None);
    }
    let parameters = compute_parameters(ComputeParametersInput {
        train_set,
        card_ids: Some(card_ids),
        ..ComputeParametersInput::default()
    })
    .map_err(|e| scheduler_error("fit the scheduler to your reviews", e))?;
    let fitted = FittedParameters {
        parameters,
        review_count,
        fitted_at: store.now(),
    };
    store.save_fitted_parameters(&fitted)?;
    Ok(Some(fitted))
}

/// Refits after every [`FIT_EVERY_REVIEWS`] new reviews. It runs after a
/// grade, not inside it (a fit takes tens of milliseconds), and a failed fit
/// is only logged: the reviews are saved, and the previous parameters stay
/// good to use.
pub fn refit_when_due(store: &Store) {
    if let Err(e) = refit_due(store).and_then(|due| {
        if due {
            fit_parameters(store).map(drop)
        } else {
            Ok(())
        }
    }) {
        tracing::warn!("could not fit scheduler parameters: {e}");
    }
}

/// Whether [`FIT_EVERY_REVIEWS`] reviews were recorded since the last fit.
pub fn refit_due(store: &Store) -> Result<bool> {
    let count = store.review_count()?;
    let fitted = store.fitted_parameters()?.map_or(0, |f| f.review_count);
    Ok(count >= fitted + FIT_EVERY_REVIEWS)
}

/// The scheduler with the user's fitted parameters, or FSRS's defaults before
/// there are any (or if the stored ones are no longer accepted).
fn scheduler(store: &Store) -> Result<(FSRS, bool)> {
    if let Some(fitted) = store.fitted_parameters()? {
        match FSRS::new(&fitted.parameters) {
            Ok(fsrs) => return Ok((fsrs, true)),
            Err(e) => tracing::warn!("ignoring fitted scheduler parameters: {e:?}"),
        }
    }
    Ok((FSRS::default(), false))
}

fn next_states(
    scheduler: &FSRS,
    schedule: Option<&CardSchedule>,
    now: Timestamp,
) -> Result<fsrs::NextStates> {
    let (memory, elapsed) = match schedule {
        Some(s) => (
            Some(MemoryState {
                stability: s.stability,
                difficulty: s.difficulty,
            }),
            days_between(s.last_reviewed_at, now),
        ),
        None => (None, 0),
    };
    scheduler
        .next_states(memory, DESIRED_RETENTION, elapsed)
        .map_err(|e| scheduler_error("schedule this card", e))
}

fn fsrs_reviews(history: &[PastReview]) -> Vec<FSRSReview> {
    let mut previous = None;
    history
        .iter()
        .map(|review| {
            let delta_t = previous.map_or(0, |p| days_between(p, review.reviewed_at));
            previous = Some(review.reviewed_at);
            FSRSReview {
                rating: review.grade.rating().into(),
                delta_t,
            }
        })
        .collect()
}

/// Whole days from `from` to `to`, as FSRS counts elapsed time.
fn days_between(from: Timestamp, to: Timestamp) -> u32 {
    let days = (to.millis() - from.millis()).max(0) / MILLIS_PER_DAY;
    u32::try_from(days).unwrap_or(u32::MAX)
}

/// FSRS gives fractional days. Under a day (a fresh "Again") the card comes back
/// the same day; from a day on it is whole days, as people plan reviews by day.
fn interval_days(fsrs_interval: f32) -> f64 {
    let days = if fsrs_interval < 1.0 {
        fsrs_interval.max(MIN_INTERVAL_DAYS)
    } else {
        fsrs_interval.round().min(MAX_INTERVAL_DAYS)
    };
    f64::from(days)
}

fn scheduler_error(doing: &str, error: fsrs::FSRSError) -> Error {
    Error::InvalidInput(format!(
        "Rehearse could not {doing}: FSRS reported {error:?}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_intervals_stay_fractional_and_long_ones_round_to_days() {
        assert!((interval_days(0.25) - 0.25).abs() < 1e-6);
        assert_eq!(interval_days(0.0), f64::from(MIN_INTERVAL_DAYS));
        assert_eq!(interval_days(2.4), 2.0);
        assert_eq!(interval_days(2.6), 3.0);
    }
}

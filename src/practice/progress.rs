//! Progress in numbers for the charts: coverage per module, reviews per day,
//! the reviews due over the coming month, and each card's scores over its
//! attempts. Days are the user's calendar days, not UTC's.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::notes::{Card, Excerpt, Note};
use crate::store::{MILLIS_PER_DAY, ScoredVersion, Timestamp};

/// Days of reviews the heatmap shows, ending today: 26 whole weeks.
pub const HISTORY_DAYS: usize = 182;
/// Days of the due forecast, starting today.
pub const FORECAST_DAYS: usize = 30;

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Each module of each note (a note without modules is one), in the
    /// notes' order.
    pub modules: Vec<ModuleCoverage>,
    /// One entry per day of the last [`HISTORY_DAYS`], oldest first.
    pub reviews_per_day: Vec<DayCount>,
    /// One entry per day of the next [`FORECAST_DAYS`] from today; today's
    /// holds the overdue cards too.
    pub due_forecast: Vec<DayCount>,
    /// The cards revealed at least once, with their scores oldest first.
    pub scores: Vec<CardScores>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ModuleCoverage {
    pub note: String,
    pub note_title: String,
    /// `None` for the cards of a note that sit under no module.
    pub module: Option<String>,
    /// Cards with a non-empty draft.
    pub answered: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DayCount {
    /// `2025-06-01`
    pub day: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CardScores {
    pub card_id: String,
    pub note: String,
    pub title: String,
    pub attempts: Vec<ScorePoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ScorePoint {
    pub at: Timestamp,
    /// The draft version that was revealed.
    pub version: u32,
    pub score: u8,
}

/// What the user's data holds, as progress reads it.
pub struct History<'a> {
    /// Cards with a non-empty draft.
    pub answered: &'a HashSet<&'a str>,
    /// When each review was given.
    pub reviews: &'a [Timestamp],
    /// When each scheduled card is due next.
    pub due: &'a [Timestamp],
    /// By card, oldest first.
    pub scored: &'a [ScoredVersion],
}

/// The progress of the cards of `notes` given what the user did, as of `now`
/// in a time zone `offset_minutes` east of UTC.
pub fn progress(
    notes: &[Note],
    history: &History<'_>,
    now: Timestamp,
    offset_minutes: i32,
) -> Progress {
    let day_of =
        |t: Timestamp| (t.millis() + i64::from(offset_minutes) * 60_000).div_euclid(MILLIS_PER_DAY);
    let label = |day: i64| Timestamp::from_millis(day * MILLIS_PER_DAY).day_label(0);
    let today = day_of(now);

    let first = today - HISTORY_DAYS as i64 + 1;
    let mut reviews_per_day: Vec<DayCount> = (first..=today)
        .map(|d| DayCount {
            day: label(d),
            count: 0,
        })
        .collect();
    for &at in history.reviews {
        let day = day_of(at);
        if (first..=today).contains(&day) {
            reviews_per_day[(day - first) as usize].count += 1;
        }
    }

    let mut due_forecast: Vec<DayCount> = (today..today + FORECAST_DAYS as i64)
        .map(|d| DayCount {
            day: label(d),
            count: 0,
        })
        .collect();
    for &at in history.due {
        let ahead = (day_of(at) - today).max(0) as usize;
        if let Some(day) = due_forecast.get_mut(ahead) {
            day.count += 1;
        }
    }

    let cards: HashMap<&str, &Card> = notes
        .iter()
        .flat_map(|n| n.cards.iter())
        .map(|c| (c.id.as_str(), c))
        .collect();
    let mut scores: Vec<CardScores> = Vec::new();
    for scored in history.scored {
        let Some(card) = cards.get(scored.card_id.as_str()) else {
            continue;
        };
        let point = ScorePoint {
            at: scored.scored_at,
            version: scored.version,
            score: scored.score,
        };
        match scores.last_mut() {
            Some(last) if last.card_id == scored.card_id => last.attempts.push(point),
            _ => scores.push(CardScores {
                card_id: card.id.to_string(),
                note: card.note.to_string(),
                title: card.title.to_string(),
                attempts: vec![point],
            }),
        }
    }

    Progress {
        modules: coverage(notes, history.answered),
        reviews_per_day,
        due_forecast,
        scores,
    }
}

fn coverage(notes: &[Note], answered: &HashSet<&str>) -> Vec<ModuleCoverage> {
    let mut modules: Vec<ModuleCoverage> = Vec::new();
    for note in notes {
        let from = modules.len();
        for card in &note.cards {
            let module = card.trail.first();
            let row = match modules[from..]
                .iter_mut()
                .find(|m| m.module.as_deref() == module.map(Excerpt::as_str))
            {
                Some(row) => row,
                None => {
                    modules.push(ModuleCoverage {
                        note: note.id.to_string(),
                        note_title: note.title.to_string(),
                        module: module.map(Excerpt::to_string),
                        answered: 0,
                        total: 0,
                    });
                    modules.last_mut().expect("just pushed")
                }
            };
            row.total += 1;
            row.answered += u32::from(answered.contains(card.id.as_str()));
        }
    }
    modules
}

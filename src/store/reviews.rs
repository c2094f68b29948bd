//! The review log: each grade the user gave a card, with the memory state and
//! due time the scheduler derived from it, and the scheduler's fitted parameters.
//! The scheduling itself is `practice`'s; this only keeps what it decided.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::anchors::{anchor_for, anchor_id};
use super::{Store, Timestamp};
use crate::notes::CardRef;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
/// How well the user recalled a card: the four answers of FSRS (and Anki).
pub enum Grade {
    Again,
    Hard,
    Good,
    Easy,
}

impl Grade {
    /// FSRS's rating: 1 (again) to 4 (easy).
    pub fn rating(self) -> u8 {
        match self {
            Grade::Again => 1,
            Grade::Hard => 2,
            Grade::Good => 3,
            Grade::Easy => 4,
        }
    }

    pub fn from_rating(rating: u8) -> Option<Grade> {
        match rating {
            1 => Some(Grade::Again),
            2 => Some(Grade::Hard),
            3 => Some(Grade::Good),
            4 => Some(Grade::Easy),
            _ => None,
        }
    }
}

/// One review to record, as the scheduler computed it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord {
    pub grade: Grade,
    pub reviewed_at: Timestamp,
    pub stability: f32,
    pub difficulty: f32,
    pub due_at: Timestamp,
}

/// Where a card stands: the memory state left by its latest review, and when
/// it is due again.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CardSchedule {
    pub card_id: String,
    pub note: String,
    pub title: String,
    pub due_at: Timestamp,
    pub last_reviewed_at: Timestamp,
    pub last_grade: Grade,
    /// FSRS stability: days until recall probability falls to 90%.
    pub stability: f32,
    /// FSRS difficulty, 1 (easy) to 10 (hard).
    pub difficulty: f32,
    pub reviews: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastReview {
    pub grade: Grade,
    pub reviewed_at: Timestamp,
}

/// Scheduler parameters fitted to the user's own reviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FittedParameters {
    pub parameters: Vec<f32>,
    /// How many reviews there were when they were fitted.
    pub review_count: u64,
    pub fitted_at: Timestamp,
}

impl Store {
    pub fn record_review(&self, card: &CardRef, review: &ReviewRecord) -> Result<()> {
        self.record_review_from(card, |_, _| Ok(review.clone()))
            .map(drop)
    }

    /// Records the review that `decide` makes of the card's schedule as it
    /// stands at this moment (none before its first review), reading and
    /// writing in one transaction so no other process's review lands between.
    pub fn record_review_from(
        &self,
        card: &CardRef,
        decide: impl FnOnce(Option<&CardSchedule>, Timestamp) -> Result<ReviewRecord>,
    ) -> Result<ReviewRecord> {
        let now = self.now();
        self.write(|tx| {
            let schedule = match anchor_id(tx, &card.id)? {
                Some(anchor) => query_schedules(tx, Some(anchor), None)?.pop(),
                None => None,
            };
            let review = decide(schedule.as_ref(), now)?;
            let anchor = anchor_for(tx, card)?;
            tx.execute(
                "INSERT INTO reviews (anchor_id, grade, reviewed_at, stability, difficulty, due_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    anchor,
                    review.grade.rating(),
                    review.reviewed_at.millis(),
                    review.stability,
                    review.difficulty,
                    review.due_at.millis()
                ],
            )?;
            Ok(review)
        })
    }

    /// The schedule of `card_id`; `None` until it is first reviewed.
    pub fn card_schedule(&self, card_id: &str) -> Result<Option<CardSchedule>> {
        self.read(|conn| {
            let Some(anchor) = anchor_id(conn, card_id)? else {
                return Ok(None);
            };
            Ok(query_schedules(conn, Some(anchor), None)?.pop())
        })
    }

    /// Cards due by `until`, soonest first. Orphaned cards are left out: there
    /// is no question to practise until they are re-attached.
    pub fn due(&self, until: Timestamp) -> Result<Vec<CardSchedule>> {
        self.read(|conn| Ok(query_schedules(conn, None, Some(until))?))
    }

    /// Every card's reviews in the order they happened, for fitting parameters.
    pub fn review_histories(&self) -> Result<Vec<Vec<PastReview>>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT anchor_id, grade, reviewed_at FROM reviews
                 ORDER BY anchor_id, reviewed_at, id",
            )?;
            let mut rows = stmt.query([])?;
            let mut histories: Vec<Vec<PastReview>> = Vec::new();
            let mut current = None;
            while let Some(row) = rows.next()? {
                let anchor: i64 = row.get(0)?;
                if current != Some(anchor) {
                    histories.push(Vec::new());
                    current = Some(anchor);
                }
                let review = PastReview {
                    grade: grade_from_sql(row.get(1)?)?,
                    reviewed_at: Timestamp::from_millis(row.get(2)?),
                };
                histories
                    .last_mut()
                    .into_iter()
                    .for_each(|h| h.push(review));
            }
            Ok(histories)
        })
    }

    /// When each review from `since` on was given, oldest first.
    pub fn review_times(&self, since: Timestamp) -> Result<Vec<Timestamp>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT reviewed_at FROM reviews WHERE reviewed_at >= ?1 ORDER BY reviewed_at",
            )?;
            let times = stmt
                .query_map([since.millis()], |row| {
                    Ok(Timestamp::from_millis(row.get(0)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(times)
        })
    }

    pub fn review_count(&self) -> Result<u64> {
        self.read(|conn| {
            let count: i64 =
                conn.query_row("SELECT count(*) FROM reviews", [], |row| row.get(0))?;
            Ok(count as u64)
        })
    }

    pub fn fitted_parameters(&self) -> Result<Option<FittedParameters>> {
        self.read(|conn| {
            let row = conn
                .query_row(
                    "SELECT parameters, review_count, fitted_at FROM fsrs_parameters WHERE id = 1",
                    [],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, i64>(1)?,
                            row.get::<_, i64>(2)?,
                        ))
                    },
                )
                .optional()?;
            let Some((text, review_count, fitted_at)) = row else {
                return Ok(None);
            };
            let parameters = text
                .split_whitespace()
                .map(str::parse)
                .collect::<Result<Vec<f32>, _>>()
                .map_err(|e| Error::Database {
                    path: self.path.clone(),
                    message: format!("its fitted scheduler parameters do not parse ({e})"),
                })?;
            Ok(Some(FittedParameters {
                parameters,
                review_count: review_count as u64,
                fitted_at: Timestamp::from_millis(fitted_at),
            }))
        })
    }

    pub fn save_fitted_parameters(&self, fitted: &FittedParameters) -> Result<()> {
        // Plain text, so a person inspecting the database can read them.
        let text = fitted
            .parameters
            .iter()
            .map(f32::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        self.write(|tx| {
            tx.execute(
                "INSERT INTO fsrs_parameters (id, parameters, review_count, fitted_at)
                 VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET parameters = excluded.parameters,
                    review_count = excluded.review_count, fitted_at = excluded.fitted_at",
                params![
                    text,
                    i64::try_from(fitted.review_count).unwrap_or(i64::MAX),
                    fitted.fitted_at.millis()
                ],
            )?;
            Ok(())
        })
    }
}

fn query_schedules(
    conn: &Connection,
    anchor: Option<i64>,
    due_by: Option<Timestamp>,
) -> rusqlite::Result<Vec<CardSchedule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.card_id, a.note, a.title, r.due_at, r.reviewed_at, r.grade,
                r.stability, r.difficulty, r.reviews
         FROM (SELECT anchor_id, due_at, reviewed_at, grade, stability, difficulty,
                      row_number() OVER (PARTITION BY anchor_id
                                         ORDER BY reviewed_at DESC, id DESC) AS newest,
                      count(*) OVER (PARTITION BY anchor_id) AS reviews
               FROM reviews
               WHERE ?1 IS NULL OR anchor_id = ?1) r
         JOIN anchors a ON a.id = r.anchor_id
         WHERE r.newest = 1
           AND (?2 IS NULL OR (r.due_at <= ?2 AND a.orphaned_at IS NULL))
         ORDER BY r.due_at, a.card_id",
    )?;
    stmt.query_map(params![anchor, due_by.map(Timestamp::millis)], |row| {
        Ok(CardSchedule {
            card_id: row.get(0)?,
            note: row.get(1)?,
            title: row.get(2)?,
            due_at: Timestamp::from_millis(row.get(3)?),
            last_reviewed_at: Timestamp::from_millis(row.get(4)?),
            last_grade: grade_from_sql(row.get(5)?)?,
            stability: row.get(6)?,
            difficulty: row.get(7)?,
            reviews: row.get(8)?,
        })
    })?
    .collect()
}

fn grade_from_sql(rating: u8) -> rusqlite::Result<Grade> {
    // The column's CHECK keeps it in 1..=4; anything else is a damaged row.
    Grade::from_rating(rating).ok_or(rusqlite::Error::IntegralValueOutOfRange(1, rating.into()))
}

#[cfg(test)]
mod tests {
    use super::Grade;

    #[test]
    fn grades_map_to_fsrs_ratings_and_back() {
        for grade in [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy] {
            assert_eq!(Grade::from_rating(grade.rating()), Some(grade));
        }
        assert_eq!(Grade::from_rating(0), None);
        assert_eq!(Grade::from_rating(5), None);
    }
}

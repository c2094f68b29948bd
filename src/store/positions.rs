//! Where the user stopped reading each note.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::{Store, Timestamp};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ReadingPosition {
    pub note_id: String,
    /// The card or heading at the top of the view, when there was one.
    pub card_id: Option<String>,
    /// How far down the note, from 0 (top) to 1 (end).
    pub fraction: f64,
    pub updated_at: Timestamp,
}

impl Store {
    pub fn set_reading_position(
        &self,
        note_id: &str,
        card_id: Option<&str>,
        fraction: f64,
    ) -> Result<()> {
        if !(0.0..=1.0).contains(&fraction) {
            return Err(Error::InvalidInput(format!(
                "A reading position is a fraction from 0 to 1, not {fraction}."
            )));
        }
        let now = self.now().millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO reading_positions (note_id, card_id, fraction, updated_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (note_id) DO UPDATE SET
                    card_id = excluded.card_id,
                    fraction = excluded.fraction,
                    updated_at = excluded.updated_at",
                params![note_id, card_id, fraction, now],
            )?;
            Ok(())
        })
    }

    pub fn reading_position(&self, note_id: &str) -> Result<Option<ReadingPosition>> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT note_id, card_id, fraction, updated_at
                     FROM reading_positions WHERE note_id = ?1",
                    [note_id],
                    |row| {
                        Ok(ReadingPosition {
                            note_id: row.get(0)?,
                            card_id: row.get(1)?,
                            fraction: row.get(2)?,
                            updated_at: Timestamp::from_millis(row.get(3)?),
                        })
                    },
                )
                .optional()?)
        })
    }
}

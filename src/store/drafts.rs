//! Answer drafts and their history: every save that changes the text is a
//! version, except that autosaves close together coalesce into one.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::anchors::{anchor_for, anchor_id};
use super::{Store, Timestamp};
use crate::notes::CardRef;
use crate::{Error, Result};

/// Autosaves less than this long after the start of the version they would
/// extend go into it: an editor saving on every pause in typing would otherwise
/// bury the history under dozens of versions a minute.
pub const AUTOSAVE_WINDOW_MILLIS: i64 = 60_000;

/// No answer typed by hand comes near this; a larger "draft" is a mistaken file.
pub const MAX_DRAFT_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum SaveKind {
    /// The editor saving on a pause in typing.
    Autosave,
    /// The user asked for it (and every CLI save): always its own version.
    Explicit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum SaveOutcome {
    NewVersion,
    /// Folded into the latest version (an autosave within the window).
    Coalesced,
    /// The text is the latest version's; nothing new was written.
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftSaved {
    pub card_id: String,
    /// The question the draft answers.
    pub title: String,
    /// The version now holding the text.
    pub version: u32,
    pub outcome: SaveOutcome,
    pub bytes: u64,
    pub saved_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub card_id: String,
    pub note: String,
    /// The question the draft answers.
    pub title: String,
    pub version: u32,
    /// How many versions the history has.
    pub versions: u32,
    pub text: String,
    pub bytes: u64,
    pub saved_at: Timestamp,
    pub orphaned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DraftVersion {
    pub version: u32,
    pub saved_at: Timestamp,
    pub bytes: u64,
    pub kind: SaveKind,
    /// The score (0–100) it got when it was revealed beside its reference.
    pub score: Option<u8>,
}

/// A draft version that was revealed and scored: one attempt at a card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoredVersion {
    pub card_id: String,
    pub version: u32,
    pub score: u8,
    pub scored_at: Timestamp,
}

struct Latest {
    row: i64,
    version: u32,
    kind: SaveKind,
    started_at: i64,
    saved_at: i64,
    same_text: bool,
}

impl Store {
    /// Saves `text` as the draft for `card`. Cheap enough for every pause in
    /// typing: one short transaction, and the text is compared inside SQLite.
    pub fn save_draft(&self, card: &CardRef, text: &str, kind: SaveKind) -> Result<DraftSaved> {
        if text.len() > MAX_DRAFT_BYTES {
            return Err(Error::InvalidInput(format!(
                "The draft is {:.1} MB; drafts are limited to {} MB.",
                text.len() as f64 / (1024.0 * 1024.0),
                MAX_DRAFT_BYTES / (1024 * 1024)
            )));
        }
        let now = self.now().millis();
        let bytes = text.len() as i64;
        self.write(|tx| {
            let anchor = anchor_for(tx, card)?;
            let latest = tx
                .query_row(
                    "SELECT id, version, kind, started_at, saved_at, text = ?2
                     FROM draft_versions WHERE anchor_id = ?1
                     ORDER BY version DESC LIMIT 1",
                    params![anchor, text],
                    |row| {
                        Ok(Latest {
                            row: row.get(0)?,
                            version: row.get(1)?,
                            kind: kind_from_sql(&row.get::<_, String>(2)?),
                            started_at: row.get(3)?,
                            saved_at: row.get(4)?,
                            same_text: row.get(5)?,
                        })
                    },
                )
                .optional()?;
            let saved = |version, outcome, saved_at| DraftSaved {
                card_id: card.id.clone(),
                title: card.title.clone(),
                version,
                outcome,
                bytes: text.len() as u64,
                saved_at: Timestamp::from_millis(saved_at),
            };
            match latest {
                Some(latest) if latest.same_text => {
                    if kind == SaveKind::Explicit && latest.kind == SaveKind::Autosave {
                        // Seals the version: later autosaves start a new one
                        // instead of overwriting what the user chose to keep.
                        tx.execute(
                            "UPDATE draft_versions SET kind = 'explicit' WHERE id = ?1",
                            [latest.row],
                        )?;
                    }
                    Ok(saved(latest.version, SaveOutcome::Unchanged, latest.saved_at))
                }
                Some(latest)
                    if kind == SaveKind::Autosave
                        && latest.kind == SaveKind::Autosave
                        && now - latest.started_at < AUTOSAVE_WINDOW_MILLIS =>
                {
                    tx.execute(
                        "UPDATE draft_versions SET text = ?2, bytes = ?3, saved_at = ?4 WHERE id = ?1",
                        params![latest.row, text, bytes, now],
                    )?;
                    Ok(saved(latest.version, SaveOutcome::Coalesced, now))
                }
                latest => {
                    let version = latest.map_or(1, |l| l.version + 1);
                    tx.execute(
                        "INSERT INTO draft_versions
                            (anchor_id, version, text, bytes, kind, started_at, saved_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                        params![anchor, version, text, bytes, kind_to_sql(kind), now],
                    )?;
                    Ok(saved(version, SaveOutcome::NewVersion, now))
                }
            }
        })
    }

    /// The latest draft for `card_id` (current or orphaned), or the given version.
    pub fn draft(&self, card_id: &str, version: Option<u32>) -> Result<Option<Draft>> {
        self.read(|conn| {
            let Some(anchor) = anchor_id(conn, card_id)? else {
                return Ok(None);
            };
            Ok(query_drafts(conn, Some((anchor, version)))?.pop())
        })
    }

    /// Every version of the draft for `card_id`, oldest first.
    pub fn draft_history(&self, card_id: &str) -> Result<Vec<DraftVersion>> {
        self.read(|conn| {
            let Some(anchor) = anchor_id(conn, card_id)? else {
                return Ok(Vec::new());
            };
            let mut stmt = conn.prepare(
                "SELECT version, saved_at, bytes, kind, score FROM draft_versions
                 WHERE anchor_id = ?1 ORDER BY version",
            )?;
            let versions = stmt
                .query_map([anchor], |row| {
                    Ok(DraftVersion {
                        version: row.get(0)?,
                        saved_at: Timestamp::from_millis(row.get(1)?),
                        bytes: row.get::<_, i64>(2)? as u64,
                        kind: kind_from_sql(&row.get::<_, String>(3)?),
                        score: row.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(versions)
        })
    }

    /// The latest version of every draft, orphans included.
    pub fn latest_drafts(&self) -> Result<Vec<Draft>> {
        self.read(|conn| Ok(query_drafts(conn, None)?))
    }

    /// Keeps the score `version` of the draft for `card_id` got when it was
    /// revealed; a later reveal of the same version replaces it.
    pub fn score_draft(&self, card_id: &str, version: u32, score: u8) -> Result<()> {
        let now = self.now().millis();
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE draft_versions SET score = ?3, scored_at = ?4
                 WHERE version = ?2
                   AND anchor_id = (SELECT id FROM anchors WHERE card_id = ?1)",
                params![card_id, version, score, now],
            )?;
            if changed == 0 {
                return Err(Error::InvalidInput(format!(
                    "The draft for `{card_id}` has no version {version} to score."
                ))
                .into());
            }
            Ok(())
        })
    }

    /// Every scored draft version of cards that are in the notes, by card,
    /// oldest first.
    pub fn scored_versions(&self) -> Result<Vec<ScoredVersion>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT a.card_id, d.version, d.score, d.scored_at
                 FROM draft_versions d JOIN anchors a ON a.id = d.anchor_id
                 WHERE d.score IS NOT NULL AND a.orphaned_at IS NULL
                 ORDER BY a.card_id, d.scored_at, d.version",
            )?;
            let scored = stmt
                .query_map([], |row| {
                    Ok(ScoredVersion {
                        card_id: row.get(0)?,
                        version: row.get(1)?,
                        score: row.get(2)?,
                        scored_at: Timestamp::from_millis(row.get(3)?),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(scored)
        })
    }
}

/// Drafts by anchor and version; `None` for the latest of every anchor.
fn query_drafts(
    conn: &Connection,
    only: Option<(i64, Option<u32>)>,
) -> rusqlite::Result<Vec<Draft>> {
    let (anchor, version) = only.map_or((None, None), |(a, v)| (Some(a), v));
    let mut stmt = conn.prepare_cached(
        "SELECT a.card_id, a.note, a.title, d.version, counts.n, d.text, d.bytes, d.saved_at,
                a.orphaned_at IS NOT NULL
         FROM draft_versions d
         JOIN anchors a ON a.id = d.anchor_id
         JOIN (SELECT anchor_id, count(*) AS n, max(version) AS newest
               FROM draft_versions GROUP BY anchor_id) counts ON counts.anchor_id = d.anchor_id
         WHERE (?1 IS NULL OR d.anchor_id = ?1)
           AND d.version = coalesce(?2, counts.newest)
         ORDER BY a.note, a.card_id",
    )?;
    stmt.query_map(params![anchor, version], |row| {
        Ok(Draft {
            card_id: row.get(0)?,
            note: row.get(1)?,
            title: row.get(2)?,
            version: row.get(3)?,
            versions: row.get(4)?,
            text: row.get(5)?,
            bytes: row.get::<_, i64>(6)? as u64,
            saved_at: Timestamp::from_millis(row.get(7)?),
            orphaned: row.get(8)?,
        })
    })?
    .collect()
}

fn kind_to_sql(kind: SaveKind) -> &'static str {
    match kind {
        SaveKind::Autosave => "autosave",
        SaveKind::Explicit => "explicit",
    }
}

fn kind_from_sql(kind: &str) -> SaveKind {
    // The column's CHECK constraint allows only these two.
    if kind == "autosave" {
        SaveKind::Autosave
    } else {
        SaveKind::Explicit
    }
}

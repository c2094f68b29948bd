//! Bookmarks on cards, module headings and notes, each with an optional label.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::anchors::{anchor_for, anchor_id};
use super::{Store, Timestamp};
use crate::Result;
use crate::notes::CardRef;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Bookmark {
    /// The card, heading or note id (the old id while orphaned).
    pub id: String,
    pub note: String,
    pub title: String,
    pub label: Option<String>,
    pub created_at: Timestamp,
    pub orphaned: bool,
}

impl Store {
    /// Bookmarks `target`. Bookmarking it again keeps its place in the list and
    /// changes the label only when a new one is given.
    pub fn add_bookmark(&self, target: &CardRef, label: Option<&str>) -> Result<Bookmark> {
        let label = label.map(str::trim).filter(|l| !l.is_empty());
        let now = self.now();
        self.write(|tx| {
            let anchor = anchor_for(tx, target)?;
            tx.execute(
                "INSERT INTO bookmarks (anchor_id, label, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (anchor_id) DO UPDATE SET label = coalesce(excluded.label, label)",
                params![anchor, label, now.millis()],
            )?;
            Ok(query_bookmarks(tx, Some(anchor))?.remove(0))
        })
    }

    /// Removes the bookmark on `id`; false when there was none.
    pub fn remove_bookmark(&self, id: &str) -> Result<bool> {
        self.write(|tx| {
            let Some(anchor) = anchor_id(tx, id)? else {
                return Ok(false);
            };
            Ok(tx.execute("DELETE FROM bookmarks WHERE anchor_id = ?1", [anchor])? > 0)
        })
    }

    /// Every bookmark, newest first.
    pub fn bookmarks(&self) -> Result<Vec<Bookmark>> {
        self.read(|conn| Ok(query_bookmarks(conn, None)?))
    }
}

fn query_bookmarks(conn: &Connection, anchor: Option<i64>) -> rusqlite::Result<Vec<Bookmark>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.card_id, a.note, a.title, b.label, b.created_at, a.orphaned_at IS NOT NULL
         FROM bookmarks b JOIN anchors a ON a.id = b.anchor_id
         WHERE ?1 IS NULL OR b.anchor_id = ?1
         ORDER BY b.created_at DESC, b.rowid DESC",
    )?;
    stmt.query_map([anchor], |row| {
        Ok(Bookmark {
            id: row.get(0)?,
            note: row.get(1)?,
            title: row.get(2)?,
            label: row.get(3)?,
            created_at: Timestamp::from_millis(row.get(4)?),
            orphaned: row.get(5)?,
        })
    })?
    .collect()
}

//! Which card each piece of user data belongs to, and keeping the data when the
//! card's id disappears: re-attached to the same question elsewhere, or kept as
//! an orphan until the user re-attaches it by hand.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::{Store, Timestamp};
use crate::notes::CardRef;
use crate::{Error, Result};

/// What reconciling the user's data with the current notes did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReconcileReport {
    /// Data that followed its question to a new id.
    pub reattached: Vec<Reattachment>,
    /// Ids whose data became orphaned by this change of the notes.
    pub newly_orphaned: Vec<String>,
    /// How many orphans there are now, old and new.
    pub orphans: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reattachment {
    pub from: String,
    pub to: String,
    pub title: String,
}

/// User data whose card is no longer in the notes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Orphan {
    /// The id the card had when the data was written.
    pub id: String,
    pub note: String,
    /// The question the data was written for.
    pub title: String,
    pub orphaned_at: Timestamp,
    pub draft_versions: u32,
    pub bookmarked: bool,
    pub reviews: u32,
}

struct Anchor {
    id: i64,
    card_id: String,
    note: String,
    title: String,
    fingerprint: String,
    orphaned: bool,
}

impl Store {
    /// Brings the user's data in line with `refs`, every card, heading and note
    /// that exists now. Data whose id is gone follows its question (same text)
    /// when exactly one new place fits, preferring the same note; otherwise it
    /// is kept as an orphan. Nothing is deleted but bookkeeping rows without data.
    pub fn reconcile(&self, refs: &[CardRef]) -> Result<ReconcileReport> {
        let now = self.now();
        self.write(|tx| {
            tx.execute(
                "DELETE FROM anchors WHERE
                    NOT EXISTS (SELECT 1 FROM draft_versions d WHERE d.anchor_id = anchors.id)
                    AND NOT EXISTS (SELECT 1 FROM bookmarks b WHERE b.anchor_id = anchors.id)
                    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.anchor_id = anchors.id)",
                [],
            )?;
            let current: HashMap<&str, &CardRef> =
                refs.iter().map(|r| (r.id.as_str(), r)).collect();
            follow_duplicates_by_answer(tx, &all_anchors(tx)?, refs, &current)?;
            let anchors = all_anchors(tx)?;
            let anchored: HashSet<&str> = anchors.iter().map(|a| a.card_id.as_str()).collect();
            let mut free_by_question: HashMap<String, Vec<&CardRef>> = HashMap::new();
            for r in refs.iter().filter(|r| !anchored.contains(r.id.as_str())) {
                free_by_question
                    .entry(question_key(&r.title))
                    .or_default()
                    .push(r);
            }

            let mut report = ReconcileReport::default();
            let mut claims: BTreeMap<&str, Vec<&Anchor>> = BTreeMap::new();
            let mut lost = Vec::new();
            for anchor in &anchors {
                if let Some(r) = current.get(anchor.card_id.as_str()) {
                    if anchor.orphaned
                        || r.title != anchor.title
                        || r.note != anchor.note
                        || r.fingerprint != anchor.fingerprint
                    {
                        move_anchor(tx, anchor.id, r)?;
                    }
                    continue;
                }
                let candidates = free_by_question
                    .get(&question_key(&anchor.title))
                    .map_or(&[][..], Vec::as_slice);
                match pick(candidates, &anchor.note) {
                    Some(target) => claims.entry(target.id.as_str()).or_default().push(anchor),
                    None => lost.push(anchor),
                }
            }
            for (target_id, claimants) in claims {
                match claimants.as_slice() {
                    [anchor] => {
                        let target = current[target_id];
                        move_anchor(tx, anchor.id, target)?;
                        report.reattached.push(Reattachment {
                            from: anchor.card_id.clone(),
                            to: target.id.clone(),
                            title: target.title.clone(),
                        });
                    }
                    // Two vanished cards asking the same question: which one is
                    // which is for the user to say.
                    _ => lost.extend(claimants),
                }
            }
            for anchor in lost.into_iter().filter(|a| !a.orphaned) {
                tx.execute(
                    "UPDATE anchors SET orphaned_at = ?2 WHERE id = ?1",
                    params![anchor.id, now.millis()],
                )?;
                report.newly_orphaned.push(anchor.card_id.clone());
            }
            let orphans: i64 = tx.query_row(
                "SELECT count(*) FROM anchors WHERE orphaned_at IS NOT NULL",
                [],
                |row| row.get(0),
            )?;
            report.orphans = orphans as usize;
            Ok(report)
        })
    }

    /// Whether any card, heading or note has data of the user's: with none,
    /// reconciling has nothing to re-attach and is skipped.
    pub fn has_anchors(&self) -> Result<bool> {
        self.read(|conn| {
            Ok(
                conn.query_row("SELECT EXISTS (SELECT 1 FROM anchors)", [], |row| {
                    row.get(0)
                })?,
            )
        })
    }

    /// Whether reconciling after the notes `changed` (ids, changed or gone)
    /// could change anything: data is anchored in one of them, or orphaned
    /// and perhaps claimed by a new card. Checking is cheap; reconciling
    /// reads every card of the library.
    pub fn needs_reconcile(&self, changed: &[&str]) -> Result<bool> {
        self.read(|conn| {
            let any: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM anchors)", [], |row| {
                row.get(0)
            })?;
            if !any {
                return Ok(false);
            }
            let orphans: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM anchors WHERE orphaned_at IS NOT NULL)",
                [],
                |row| row.get(0),
            )?;
            if orphans {
                return Ok(true);
            }
            let mut stmt =
                conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM anchors WHERE note = ?1)")?;
            for note in changed {
                if stmt.query_row([note], |row| row.get::<_, bool>(0))? {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    /// Data whose card is gone, most recently orphaned first.
    pub fn orphans(&self) -> Result<Vec<Orphan>> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT a.card_id, a.note, a.title, a.orphaned_at,
                    (SELECT count(*) FROM draft_versions d WHERE d.anchor_id = a.id),
                    EXISTS (SELECT 1 FROM bookmarks b WHERE b.anchor_id = a.id),
                    (SELECT count(*) FROM reviews r WHERE r.anchor_id = a.id)
                 FROM anchors a
                 WHERE a.orphaned_at IS NOT NULL
                 ORDER BY a.orphaned_at DESC, a.title",
            )?;
            let orphans = stmt
                .query_map([], |row| {
                    Ok(Orphan {
                        id: row.get(0)?,
                        note: row.get(1)?,
                        title: row.get(2)?,
                        orphaned_at: Timestamp::from_millis(row.get(3)?),
                        draft_versions: row.get(4)?,
                        bookmarked: row.get(5)?,
                        reviews: row.get(6)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(orphans)
        })
    }

    /// Gives the orphaned data of `old_id` to `target`, a card that exists now.
    /// If the target has data of its own, the two are merged: draft versions
    /// interleave by time (and are renumbered), reviews join one history, and
    /// the target's bookmark is kept.
    pub fn reattach(&self, old_id: &str, target: &CardRef) -> Result<()> {
        self.write(|tx| {
            let old =
                find_anchor(tx, old_id)?.ok_or_else(|| Error::UnknownId(old_id.to_string()))?;
            if !old.orphaned {
                return Err(Error::InvalidInput(format!(
                    "`{old_id}` is not orphaned: its card is still in the notes."
                ))
                .into());
            }
            match find_anchor(tx, &target.id)? {
                None => move_anchor(tx, old.id, target)?,
                Some(existing) => merge_into(tx, old.id, existing.id)?,
            }
            Ok(())
        })
    }
}

/// The anchor for `card`, created if the card has no data yet. Writing data for
/// a card means the card exists now, so an orphan with its id is home again.
pub(super) fn anchor_for(tx: &Transaction<'_>, card: &CardRef) -> rusqlite::Result<i64> {
    tx.query_row(
        "INSERT INTO anchors (card_id, note, title, fingerprint) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (card_id) DO UPDATE
            SET note = excluded.note, title = excluded.title,
                fingerprint = excluded.fingerprint, orphaned_at = NULL
         RETURNING id",
        params![card.id, card.note, card.title, card.fingerprint],
        |row| row.get(0),
    )
}

/// Questions that share a heading in one note get positional ids (`a`,
/// `a-2`), so inserting a new one above an old one hands the old one's id to
/// the newcomer. The data follows the answer it was written against: an
/// anchor whose card now has another answer moves to the same-titled sibling
/// whose answer is exactly its own, when exactly one is and no other data
/// holds it. An edited answer has no exact match, so the data stays put.
fn follow_duplicates_by_answer(
    tx: &Transaction<'_>,
    anchors: &[Anchor],
    refs: &[CardRef],
    current: &HashMap<&str, &CardRef>,
) -> rusqlite::Result<()> {
    let mut siblings: HashMap<(&str, &str), Vec<&CardRef>> = HashMap::new();
    for r in refs.iter().filter(|r| !r.fingerprint.is_empty()) {
        siblings.entry((&r.note, &r.title)).or_default().push(r);
    }
    let held: HashMap<&str, &Anchor> = anchors.iter().map(|a| (a.card_id.as_str(), a)).collect();
    let mut moves: Vec<(&Anchor, &CardRef)> = Vec::new();
    for anchor in anchors.iter().filter(|a| !a.fingerprint.is_empty()) {
        let Some(now) = current.get(anchor.card_id.as_str()) else {
            continue;
        };
        if now.fingerprint == anchor.fingerprint {
            continue;
        }
        let group = siblings.get(&(now.note.as_str(), now.title.as_str()));
        let mut matching = group
            .into_iter()
            .flatten()
            .filter(|r| r.fingerprint == anchor.fingerprint);
        if let (Some(target), None) = (matching.next(), matching.next()) {
            moves.push((anchor, target));
        }
    }
    let moving: HashSet<&str> = moves.iter().map(|(a, _)| a.card_id.as_str()).collect();
    let mut claims: HashMap<&str, usize> = HashMap::new();
    for (_, target) in &moves {
        *claims.entry(target.id.as_str()).or_default() += 1;
    }
    // Identical answers under identical headings cannot be told apart.
    moves.retain(|(_, target)| {
        claims[target.id.as_str()] == 1
            && held
                .get(target.id.as_str())
                .is_none_or(|holder| moving.contains(holder.card_id.as_str()))
    });
    // Two duplicates can trade places: every mover first steps aside to a
    // name no card has, so the unique index never sees two at one id.
    for (anchor, _) in &moves {
        tx.execute(
            "UPDATE anchors SET card_id = card_id || char(0) || id WHERE id = ?1",
            [anchor.id],
        )?;
    }
    for (anchor, target) in &moves {
        move_anchor(tx, anchor.id, target)?;
    }
    Ok(())
}

/// The anchor row id for a card id, current or orphaned.
pub(super) fn anchor_id(conn: &Connection, card_id: &str) -> rusqlite::Result<Option<i64>> {
    Ok(find_anchor(conn, card_id)?.map(|a| a.id))
}

fn find_anchor(conn: &Connection, card_id: &str) -> rusqlite::Result<Option<Anchor>> {
    conn.query_row(
        "SELECT id, card_id, note, title, fingerprint, orphaned_at IS NOT NULL
         FROM anchors WHERE card_id = ?1",
        [card_id],
        anchor_from_row,
    )
    .optional()
}

fn all_anchors(conn: &Connection) -> rusqlite::Result<Vec<Anchor>> {
    let mut stmt = conn.prepare(
        "SELECT id, card_id, note, title, fingerprint, orphaned_at IS NOT NULL
         FROM anchors ORDER BY id",
    )?;
    stmt.query_map([], anchor_from_row)?.collect()
}

fn anchor_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Anchor> {
    Ok(Anchor {
        id: row.get(0)?,
        card_id: row.get(1)?,
        note: row.get(2)?,
        title: row.get(3)?,
        fingerprint: row.get(4)?,
        orphaned: row.get(5)?,
    })
}

fn move_anchor(tx: &Transaction<'_>, anchor: i64, to: &CardRef) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE anchors SET card_id = ?2, note = ?3, title = ?4, fingerprint = ?5, orphaned_at = NULL
         WHERE id = ?1",
        params![anchor, to.id, to.note, to.title, to.fingerprint],
    )?;
    Ok(())
}

fn merge_into(tx: &Transaction<'_>, from: i64, into: i64) -> rusqlite::Result<()> {
    // Negative row ids as temporary version numbers keep (anchor, version)
    // unique while the two histories are put together and renumbered by time.
    tx.execute(
        "UPDATE draft_versions SET version = -id WHERE anchor_id IN (?1, ?2)",
        params![from, into],
    )?;
    tx.execute(
        "UPDATE draft_versions SET anchor_id = ?2 WHERE anchor_id = ?1",
        params![from, into],
    )?;
    tx.execute(
        "UPDATE draft_versions SET version = ordered.n
         FROM (SELECT id, row_number() OVER (ORDER BY saved_at, id) AS n
               FROM draft_versions WHERE anchor_id = ?1) AS ordered
         WHERE draft_versions.id = ordered.id",
        [into],
    )?;
    tx.execute(
        "UPDATE bookmarks SET label = (SELECT label FROM bookmarks WHERE anchor_id = ?1)
         WHERE anchor_id = ?2 AND label IS NULL",
        params![from, into],
    )?;
    tx.execute(
        "UPDATE OR IGNORE bookmarks SET anchor_id = ?2 WHERE anchor_id = ?1",
        params![from, into],
    )?;
    tx.execute("DELETE FROM bookmarks WHERE anchor_id = ?1", [from])?;
    tx.execute(
        "UPDATE reviews SET anchor_id = ?2 WHERE anchor_id = ?1",
        params![from, into],
    )?;
    tx.execute("DELETE FROM anchors WHERE id = ?1", [from])?;
    Ok(())
}

/// The one place a vanished card's question fits: the only card asking it, or
/// the only one asking it in the same note (questions repeat across notes).
fn pick<'r>(candidates: &[&'r CardRef], note: &str) -> Option<&'r CardRef> {
    match candidates {
        [only] => Some(only),
        _ => {
            let mut same_note = candidates.iter().filter(|c| c.note == note);
            match (same_note.next(), same_note.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        }
    }
}

/// Questions match when they read the same, whatever the spacing or case.
fn question_key(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::question_key;

    #[test]
    fn questions_match_across_spacing_and_case() {
        assert_eq!(
            question_key("  Goroutine  vs\tThread "),
            question_key("goroutine vs thread")
        );
        assert_ne!(
            question_key("Goroutine vs Thread"),
            question_key("Goroutine vs Process")
        );
    }
}

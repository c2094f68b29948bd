//! The schema of the user's database, one migration per released version.
//!
//! Migrations only ever add: a database written by any earlier Rehearse opens in
//! a later one with every row kept (`tests/fixtures/store/v1.sqlite3` pins v1).

use rusqlite_migration::{M, Migrations};

pub(super) const MIGRATIONS: Migrations = Migrations::from_slice(STEPS);

/// The schema version a database has once every migration ran.
pub(super) const LATEST_VERSION: i64 = STEPS.len() as i64;

const STEPS: &[M] = &[
    // v1: bookmarks, drafts with history, reading positions.
    //
    // User data hangs off `anchors`, not off card ids directly: a card id changes
    // when its note is renamed or its heading moves, and re-attaching the data is
    // then one update of `anchors.card_id` instead of a rewrite of every table.
    M::up(
        "CREATE TABLE anchors (
            id INTEGER PRIMARY KEY,
            card_id TEXT NOT NULL UNIQUE,
            note TEXT NOT NULL,
            title TEXT NOT NULL,
            orphaned_at INTEGER
        );

        CREATE TABLE bookmarks (
            anchor_id INTEGER PRIMARY KEY REFERENCES anchors(id),
            label TEXT,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE draft_versions (
            id INTEGER PRIMARY KEY,
            anchor_id INTEGER NOT NULL REFERENCES anchors(id),
            version INTEGER NOT NULL,
            text TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('autosave', 'explicit')),
            started_at INTEGER NOT NULL,
            saved_at INTEGER NOT NULL,
            UNIQUE (anchor_id, version)
        );

        CREATE TABLE reading_positions (
            note_id TEXT PRIMARY KEY,
            card_id TEXT,
            fraction REAL NOT NULL CHECK (fraction BETWEEN 0.0 AND 1.0),
            updated_at INTEGER NOT NULL
        );",
    ),
    // v2: reviews with the FSRS memory state each one left, and the parameters
    // fitted to the user's own history.
    M::up(
        "CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            anchor_id INTEGER NOT NULL REFERENCES anchors(id),
            grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 4),
            reviewed_at INTEGER NOT NULL,
            stability REAL NOT NULL,
            difficulty REAL NOT NULL,
            due_at INTEGER NOT NULL
        );
        CREATE INDEX reviews_by_card ON reviews (anchor_id, reviewed_at);

        CREATE TABLE fsrs_parameters (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            parameters TEXT NOT NULL,
            review_count INTEGER NOT NULL,
            fitted_at INTEGER NOT NULL
        );",
    ),
    // v3: the answer each anchor's data was written against, so two questions
    // with the same heading in one note keep their data apart when one is
    // inserted above the other (their positional ids swap; their answers don't).
    M::up("ALTER TABLE anchors ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';"),
    // v4: the score a draft version got when it was revealed beside its
    // reference, so practice can pick the weakest cards and progress can
    // show each card's scores over its attempts.
    M::up(
        "ALTER TABLE draft_versions ADD COLUMN score INTEGER CHECK (score BETWEEN 0 AND 100);
        ALTER TABLE draft_versions ADD COLUMN scored_at INTEGER;",
    ),
    // v5: the notes folders the user added in the app, in the order added,
    // and whether the bundled notes are shown beside them.
    M::up(
        "CREATE TABLE notes_folders (
            position INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            added_at INTEGER NOT NULL
        );

        CREATE TABLE library_settings (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            show_bundled INTEGER NOT NULL CHECK (show_bundled IN (0, 1))
        );",
    ),
];

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    #[test]
    fn migrations_apply_in_order_to_an_empty_database() {
        MIGRATIONS.validate().unwrap();
    }
}

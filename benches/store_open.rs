//! How long opening the user's database takes once it holds a long history:
//! `Store::open` on a ~200 MB database with 100,000 draft versions, beside the
//! `PRAGMA quick_check` that an open would pay if it checked the whole file
//! every time. Run with `cargo bench --bench store_open`.

use std::path::Path;

use rehearse::store::Store;
use timing::{median, ms};

mod timing;

const VERSIONS: usize = 100_000;
const CARDS: usize = 500;
const DRAFT_BYTES: usize = 1_000;
const RUNS: usize = 7;

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("rehearse.sqlite3");
    fill(&db);
    let size = std::fs::metadata(&db).expect("the database").len();
    println!(
        "database: {:.0} MB, {VERSIONS} draft versions over {CARDS} cards",
        size as f64 / 1e6
    );

    let open = median(RUNS, || drop(Store::open(&db).expect("the database opens")));
    let check = median(RUNS, || {
        let conn = rusqlite::Connection::open(&db).expect("the database opens");
        let result: String = conn
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .expect("quick_check runs");
        assert_eq!(result, "ok");
    });
    println!("Store::open (clean shutdown)   {:>8.1} ms", ms(open));
    println!("PRAGMA quick_check alone       {:>8.1} ms", ms(check));
    println!(
        "a check on every open would cost {:.0}x the open itself",
        check.as_secs_f64() / open.as_secs_f64()
    );
}

/// Writes the history in one transaction: 100,000 separate saves would each
/// wait for a sync to disk and take minutes to set up.
fn fill(db: &Path) {
    drop(Store::open(db).expect("a new database"));
    let mut conn = rusqlite::Connection::open(db).expect("the new database");
    let tx = conn.transaction().expect("a transaction");
    let text: String = "goroutines are multiplexed onto threads; "
        .chars()
        .cycle()
        .take(DRAFT_BYTES)
        .collect();
    for card in 0..CARDS {
        tx.execute(
            "INSERT INTO anchors (id, card_id, note, title) VALUES (?1, ?2, 'bench.md', ?3)",
            rusqlite::params![
                card as i64 + 1,
                format!("bench.md#q{card}"),
                format!("Question {card}")
            ],
        )
        .expect("an anchor");
    }
    let mut insert = tx
        .prepare(
            "INSERT INTO draft_versions (anchor_id, version, text, bytes, kind, started_at, saved_at)
             VALUES (?1, ?2, ?3, ?4, 'autosave', ?5, ?5)",
        )
        .expect("the insert");
    for n in 0..VERSIONS {
        let anchor = (n % CARDS) as i64 + 1;
        let version = (n / CARDS) as i64 + 1;
        let body = format!("{n} {text}");
        insert
            .execute(rusqlite::params![
                anchor,
                version,
                body,
                body.len() as i64,
                1_700_000_000_000_i64 + n as i64
            ])
            .expect("a draft version");
    }
    drop(insert);
    tx.commit().expect("the history is written");
}

//! The store under the failures it promises to survive: processes killed
//! mid-save, two processes writing at once, old schemas, damaged files.
//!
//! Child processes are this test binary itself, re-run with an environment
//! variable that turns the test into the child's work loop.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rehearse::CardRef;
use rehearse::practice::Grade;
use rehearse::store::{ReviewRecord, SaveKind, Store, Timestamp};

fn card(slug: &str) -> CardRef {
    CardRef {
        id: format!("golang-deltas.md#{slug}"),
        note: "golang-deltas.md".into(),
        title: format!("Question {slug}"),
        fingerprint: String::new(),
    }
}

/// Re-runs this test binary as a child doing `test`'s child work.
fn spawn_child(test: &str, env: &[(&str, String)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

fn integrity_check(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap()
}

/// Small and fast, or large enough that a kill lands inside the write.
fn kill_test_text(n: u64) -> String {
    let body = if n.is_multiple_of(5) { 256 * 1024 } else { 64 };
    format!("save {n}\n{}", "ünïcode ✓ ".repeat(body / 12))
}

const SAVE_LOOP: &str = "REHEARSE_TEST_SAVE_LOOP_DB";
const SAVE_LOOP_FIRST: &str = "REHEARSE_TEST_SAVE_LOOP_FIRST";

#[test]
fn draft_survives_sigkill_mid_save() {
    if let Ok(db) = std::env::var(SAVE_LOOP) {
        let first: u64 = std::env::var(SAVE_LOOP_FIRST).unwrap().parse().unwrap();
        let store = Store::open(Path::new(&db)).unwrap();
        for n in first.. {
            store
                .save_draft(&card("killed"), &kill_test_text(n), SaveKind::Explicit)
                .unwrap();
            println!("saved {n}");
        }
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    let mut rng = Rng::seeded();
    let mut reported: BTreeSet<u64> = BTreeSet::new();
    let mut kills_after_a_save = 0;
    let started = Instant::now();
    for round in 0..50 {
        let first = reported.last().map_or(1, |n| n + 1);
        let mut child = spawn_child(
            "draft_survives_sigkill_mid_save",
            &[
                (SAVE_LOOP, db.display().to_string()),
                (SAVE_LOOP_FIRST, first.to_string()),
            ],
        );
        let lines = read_lines(child.stdout.take().unwrap());
        let mut seen = Vec::new();
        // Half the kills at any moment (during start-up and migration too),
        // half once saving is under way.
        if round % 2 == 1 {
            while let Ok(line) = lines.recv_timeout(Duration::from_secs(5)) {
                let saving = line.starts_with("saved ");
                seen.push(line);
                if saving {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_micros(rng.below(40_000)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        seen.extend(lines.iter());
        let round_saves: Vec<u64> = seen
            .iter()
            .filter_map(|line| line.strip_prefix("saved ")?.parse().ok())
            .collect();
        reported.extend(&round_saves);
        if !round_saves.is_empty() {
            kills_after_a_save += 1;
        }

        assert_eq!(
            integrity_check(&db),
            "ok",
            "round {round}, seed {}",
            rng.seed
        );
        let store = Store::open(&db).unwrap();
        let history = store.draft_history(&card("killed").id).unwrap();
        let newest = history.len() as u32;
        // Every save reported in this round is among the newest versions
        // (a save may have committed just before the kill, unreported).
        let recent: BTreeSet<String> = (newest.saturating_sub(round_saves.len() as u32 + 1)
            ..=newest)
            .filter(|&v| v > 0)
            .map(|v| {
                store
                    .draft(&card("killed").id, Some(v))
                    .unwrap()
                    .unwrap()
                    .text
            })
            .collect();
        for n in &round_saves {
            assert!(
                recent.contains(&kill_test_text(*n)),
                "save {n} was lost (round {round}, seed {})",
                rng.seed
            );
        }
        assert!(
            history.len() >= reported.len(),
            "round {round}: {} versions for {} saves",
            history.len(),
            reported.len()
        );
    }
    // At the end, every save acknowledged in any round is still there: a
    // later round's recovery must not have lost an earlier round's work.
    let store = Store::open(&db).unwrap();
    let history = store.draft_history(&card("killed").id).unwrap();
    let kept: BTreeSet<String> = history
        .iter()
        .map(|v| {
            store
                .draft(&card("killed").id, Some(v.version))
                .unwrap()
                .unwrap()
                .text
        })
        .collect();
    let lost: Vec<u64> = reported
        .iter()
        .copied()
        .filter(|n| !kept.contains(&kill_test_text(*n)))
        .collect();
    assert!(
        lost.is_empty(),
        "saves lost by the end: {lost:?} (seed {})",
        rng.seed
    );
    assert!(
        kills_after_a_save >= 20,
        "only {kills_after_a_save} of 50 kills came after a save in their round; the test proves little"
    );
    eprintln!(
        "50 kills, {kills_after_a_save} of them after at least one save in their round; \
         all {} acknowledged saves kept, {:?}",
        reported.len(),
        started.elapsed()
    );
}

fn read_lines(stdout: std::process::ChildStdout) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A small xorshift generator; the seed is printed with any failure.
struct Rng {
    seed: u64,
    state: u64,
}

impl Rng {
    fn seeded() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        Rng { seed, state: seed }
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state % bound
    }
}

const WRITER: &str = "REHEARSE_TEST_WRITER_DB";
const WRITES: usize = 150;

/// Both sides' work: drafts, bookmarks and reviews on their own card, with
/// reads in between, as the app and the CLI would do them.
fn write_a_lot(store: &Store, who: &str) -> Result<(), rehearse::Error> {
    let target = card(who);
    for i in 0..WRITES {
        let kind = if i % 3 == 0 {
            SaveKind::Explicit
        } else {
            SaveKind::Autosave
        };
        store.save_draft(&target, &format!("{who} {i}"), kind)?;
        if i % 10 == 0 {
            store.add_bookmark(&target, Some(&format!("{who} {i}")))?;
            store.record_review(
                &target,
                &ReviewRecord {
                    grade: Grade::Good,
                    reviewed_at: Timestamp::now(),
                    stability: 2.0,
                    difficulty: 5.0,
                    due_at: Timestamp::now(),
                },
            )?;
            store.bookmarks()?;
        }
    }
    Ok(())
}

#[test]
fn app_and_cli_writing_at_once_never_see_a_locked_database() {
    if let Ok(db) = std::env::var(WRITER) {
        let store = Store::open(Path::new(&db)).unwrap();
        if let Err(e) = write_a_lot(&store, "cli") {
            eprintln!("child failed: {e}");
            std::process::exit(3);
        }
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    // Both open a database that does not exist yet: creation races too.
    let child = spawn_child(
        "app_and_cli_writing_at_once_never_see_a_locked_database",
        &[(WRITER, db.display().to_string())],
    );
    let app = std::sync::Arc::new(Store::open(&db).unwrap());
    let backups = dir.path().join("backups-during-writes");
    let threads: Vec<_> = ["app-editor", "app-reader"]
        .into_iter()
        .map(|who| {
            let app = std::sync::Arc::clone(&app);
            let backups = backups.clone();
            std::thread::spawn(move || {
                if who == "app-reader" {
                    for i in 0..5 {
                        app.backup_to(&backups.join(format!("{i}.sqlite3")))?;
                    }
                }
                write_a_lot(&app, who)
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap().expect("the app saw an error");
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the CLI saw an error: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    for who in ["cli", "app-editor", "app-reader"] {
        let draft = app.draft(&card(who).id, None).unwrap().unwrap();
        assert_eq!(draft.text, format!("{who} {}", WRITES - 1));
    }
    assert_eq!(app.review_count().unwrap(), 3 * (WRITES as u64 / 10));
    for i in 0..5 {
        let copy = backups.join(format!("{i}.sqlite3"));
        assert_eq!(integrity_check(&copy), "ok", "backup {i}");
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/store")
        .join(name)
}

fn user_version(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn a_v1_database_migrates_keeping_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    std::fs::copy(fixture("v1.sqlite3"), &db).unwrap();
    assert_eq!(user_version(&db), 1);

    let store = Store::open(&db).unwrap();
    let goroutines = "golang-deltas.md#module-1-golang/goroutine-vs-thread";

    let bookmarks = store.bookmarks().unwrap();
    let summary: Vec<_> = bookmarks
        .iter()
        .map(|b| (b.id.as_str(), b.label.as_deref()))
        .collect();
    assert_eq!(
        summary,
        [
            ("golang-deltas.md#module-1-golang", None),
            (goroutines, Some("revisit before the interview"))
        ]
    );

    let history = store.draft_history(goroutines).unwrap();
    let sizes: Vec<_> = history
        .iter()
        .map(|v| (v.version, v.bytes, v.kind))
        .collect();
    assert_eq!(
        sizes,
        [(1, 34, SaveKind::Autosave), (2, 76, SaveKind::Explicit)]
    );
    assert_eq!(
        history[0].saved_at,
        Timestamp::from_millis(1_748_772_030_000)
    );
    assert_eq!(
        store.draft(goroutines, Some(2)).unwrap().unwrap().text,
        "Goroutines are cheap — ~2 KB stacks, multiplexed M:N onto OS threads. 🧵"
    );
    assert_eq!(
        store.draft(goroutines, Some(1)).unwrap().unwrap().text,
        "Goroutines are cheap: 2 KB stacks."
    );

    let orphans = store.orphans().unwrap();
    assert_eq!(orphans.len(), 1);
    assert_eq!(
        (orphans[0].id.as_str(), orphans[0].title.as_str()),
        ("old-notes.md#what-is-a-channel", "What is a channel?")
    );
    assert_eq!(
        store
            .draft("old-notes.md#what-is-a-channel", None)
            .unwrap()
            .unwrap()
            .text,
        "A typed conduit: ch <- v sends, v := <-ch receives."
    );

    let position = store.reading_position("golang-deltas.md").unwrap().unwrap();
    assert_eq!(
        (position.card_id.as_deref(), position.fraction),
        (Some(goroutines), 0.42)
    );

    // v2's tables work on the migrated database.
    let target = CardRef {
        id: goroutines.into(),
        note: "golang-deltas.md".into(),
        title: "Goroutine vs Thread".into(),
        fingerprint: String::new(),
    };
    let review = rehearse::practice::grade(&store, &target, Grade::Good).unwrap();
    assert!(review.due_at > review.reviewed_at);
    assert_eq!(user_version(&db), 5);
    drop(store);
    assert_eq!(
        application_id_in_header(&db),
        REHEARSE_APPLICATION_ID,
        "a recognised legacy database is marked as Rehearse's in its main file"
    );
}

#[test]
fn a_backup_of_the_old_database_is_written_before_migrating() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    std::fs::copy(fixture("v1.sqlite3"), &db).unwrap();
    drop(Store::open(&db).unwrap());

    let backups: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("rehearse-v1-") && name.ends_with(".sqlite3"),
        "{name}"
    );
    // Taken before the migration: still schema v1, with every row.
    assert_eq!(user_version(&backups[0]), 1);
    let conn = rusqlite::Connection::open(&backups[0]).unwrap();
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .unwrap()
    };
    assert_eq!(
        [
            count("anchors"),
            count("bookmarks"),
            count("draft_versions"),
            count("reading_positions")
        ],
        [3, 2, 3, 1]
    );

    // Opening the migrated database again needs no migration and no backup.
    drop(Store::open(&db).unwrap());
    assert_eq!(
        std::fs::read_dir(dir.path().join("backups"))
            .unwrap()
            .count(),
        1
    );
}

/// Opening `path` must fail with `code`, name the file, and leave it and its
/// neighbours byte-for-byte as they were.
fn assert_refused_untouched(path: &Path, code: &str) -> String {
    let dir = path.parent().unwrap();
    let before = snapshot(dir);
    let err = match Store::open(path) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(e) => e,
    };
    assert_eq!(err.code(), code, "{err}");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert_eq!(snapshot(dir), before, "the files changed");
    message
}

/// Each file's name, size and hash: enough to see any change, short to print.
fn snapshot(dir: &Path) -> Vec<(String, usize, u64)> {
    use std::hash::{Hash, Hasher};
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut hasher);
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, bytes.len(), hasher.finish())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    std::fs::write(&db, "# My notes\n\nI saved these here by mistake.\n").unwrap();
    let message = assert_refused_untouched(&db, "database_corrupt");
    assert!(message.contains("untouched"), "{message}");
}

/// A database with real data in it, closed (so everything is in the main file).
fn database_with_drafts(dir: &Path) -> PathBuf {
    let db = dir.join("rehearse.sqlite3");
    let store = Store::open(&db).unwrap();
    for i in 0..120 {
        store
            .save_draft(
                &card(&format!("q{i}")),
                &"answer ".repeat(100),
                SaveKind::Explicit,
            )
            .unwrap();
    }
    drop(store);
    db
}

/// A clean shutdown leaves no `-wal`, and opening then skips the whole-file
/// check (it would cost 600 times the open on a long history:
/// docs/benchmarks.md). Damage that came while Rehearse was closed is met on
/// the first read or write that reaches it, as a clear error, and nothing is
/// written to the file.
#[test]
fn a_database_damaged_while_rehearse_was_closed_answers_with_a_clear_error_and_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_drafts(dir.path());
    let mut bytes = std::fs::read(&db).unwrap();
    assert!(bytes.len() > 16 * 4096);
    // Scribble over b-tree pages in the middle, keeping the file header valid.
    for byte in &mut bytes[4096 * 3..4096 * 6] {
        *byte = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let store = Store::open(&db).unwrap();
    let reads: Vec<_> = (0..120)
        .map(|i| store.draft(&card(&format!("q{i}")).id, None))
        .collect();
    let error = reads
        .into_iter()
        .find_map(Result::err)
        .expect("a read reaches the damaged pages");
    assert_eq!(error.code(), "database_corrupt", "{error}");
    assert!(error.to_string().contains("untouched"), "{error}");
    let write = store.save_draft(&card("q7"), "new answer", SaveKind::Explicit);
    assert_eq!(write.unwrap_err().code(), "database_corrupt");
    drop(store);
    assert!(
        std::fs::read(&db).unwrap() == bytes,
        "the damaged file was written to"
    );
}

#[test]
fn a_truncated_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_drafts(dir.path());
    let bytes = std::fs::read(&db).unwrap();
    std::fs::write(&db, &bytes[..bytes.len() / 2]).unwrap();
    assert_refused_untouched(&db, "database_corrupt");
}

#[test]
fn another_program_s_sqlite_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Ada');")
        .unwrap();
    drop(conn);
    assert_refused_untouched(&db, "database_corrupt");
}

#[test]
fn a_database_from_a_newer_rehearse_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_with_drafts(dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let message = assert_refused_untouched(&db, "database");
    assert!(message.contains("newer Rehearse"), "{message}");
}

/// "RHRS": the mark Rehearse writes into every database it creates.
const REHEARSE_APPLICATION_ID: i32 = 0x5248_5253;

/// The `application_id` as it stands in the main file's header, where a
/// process reads it without opening the database.
fn application_id_in_header(path: &Path) -> i32 {
    let bytes = std::fs::read(path).unwrap();
    i32::from_be_bytes(bytes[68..72].try_into().unwrap())
}

#[test]
fn every_new_database_is_marked_as_rehearse_s_in_its_main_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    let store = Store::open(&db).unwrap();
    store
        .save_draft(&card("q"), "an answer", SaveKind::Explicit)
        .unwrap();
    // Read while the store is still open: the mark is in the main file from
    // the start, not only in the -wal.
    assert_eq!(application_id_in_header(&db), REHEARSE_APPLICATION_ID);
    drop(store);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store.draft(&card("q").id, None).unwrap().unwrap().text,
        "an answer"
    );
}

#[test]
fn another_program_s_database_is_refused_untouched_whatever_its_user_version() {
    for version in [0, 1, 2, 3, 99] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("rehearse.sqlite3");
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('Ada');")
            .unwrap();
        conn.pragma_update(None, "user_version", version).unwrap();
        drop(conn);
        let message = assert_refused_untouched(&db, "database_corrupt");
        assert!(
            message.contains("other program"),
            "user_version {version}: {message}"
        );
    }
}

#[test]
fn a_database_with_rehearse_s_tables_but_another_program_s_mark_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    drop(Store::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "application_id", 0x0F0F_0F0F)
        .unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(conn);
    let message = assert_refused_untouched(&db, "database_corrupt");
    assert!(message.contains("0xf0f0f0f"), "{message}");
}

/// Copies `db` and the files beside it into `into` while `conn` still has
/// them open: what a process killed at that moment leaves on disk.
fn copy_as_left_by_a_crash(db: &Path, into: &Path) -> PathBuf {
    let copy = into.join("rehearse.sqlite3");
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let source = PathBuf::from(format!("{}{suffix}", db.display()));
        if source.exists() {
            std::fs::copy(&source, format!("{}{suffix}", copy.display())).unwrap();
        }
    }
    copy
}

#[test]
fn a_foreign_database_with_a_wal_beside_it_is_refused_and_its_wal_and_shm_stay_as_they_were() {
    let scratch = tempfile::tempdir().unwrap();
    let original = scratch.path().join("other.sqlite3");
    let conn = rusqlite::Connection::open(&original).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         CREATE TABLE people (name TEXT);",
    )
    .unwrap();
    for i in 0..200 {
        conn.execute("INSERT INTO people VALUES (?1)", [format!("person {i}")])
            .unwrap();
    }
    conn.pragma_update(None, "user_version", 2).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = copy_as_left_by_a_crash(&original, dir.path());
    drop(conn);
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    assert!(wal.metadata().unwrap().len() > 0, "the -wal holds the rows");
    assert!(PathBuf::from(format!("{}-shm", db.display())).exists());
    // assert_refused_untouched compares every file of the folder, the -wal
    // and -shm included.
    assert_refused_untouched(&db, "database_corrupt");
}

#[test]
fn a_foreign_database_with_a_hot_journal_beside_it_is_refused_untouched() {
    let scratch = tempfile::tempdir().unwrap();
    let original = scratch.path().join("other.sqlite3");
    let conn = rusqlite::Connection::open(&original).unwrap();
    conn.execute_batch("PRAGMA cache_size = 1; CREATE TABLE people (name TEXT);")
        .unwrap();
    conn.execute_batch("BEGIN;").unwrap();
    for i in 0..2_000 {
        conn.execute(
            "INSERT INTO people VALUES (?1)",
            [format!("person {i} {}", "x".repeat(200))],
        )
        .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let db = copy_as_left_by_a_crash(&original, dir.path());
    drop(conn);
    let journal = PathBuf::from(format!("{}-journal", db.display()));
    assert!(journal.metadata().unwrap().len() > 0, "the journal is hot");
    assert_refused_untouched(&db, "database_corrupt");
}

#[test]
fn a_damaged_database_left_by_a_crash_is_refused_and_left_untouched() {
    let scratch = tempfile::tempdir().unwrap();
    let original = database_with_drafts(scratch.path());
    let store = Store::open(&original).unwrap();
    store
        .save_draft(
            &card("last"),
            "saved just before the crash",
            SaveKind::Explicit,
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = copy_as_left_by_a_crash(&original, dir.path());
    drop(store);
    let mut bytes = std::fs::read(&db).unwrap();
    for byte in &mut bytes[4096 * 3..4096 * 6] {
        *byte = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    assert_refused_untouched(&db, "database_corrupt");
}

#[test]
fn a_crash_during_the_first_start_leaves_a_database_the_next_start_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rehearse.sqlite3");
    // What SQLite leaves when a first start dies before its first write.
    std::fs::write(&db, b"").unwrap();
    let store = Store::open(&db).unwrap();
    store
        .save_draft(&card("q"), "first answer", SaveKind::Explicit)
        .unwrap();
    assert_eq!(application_id_in_header(&db), REHEARSE_APPLICATION_ID);
}

const ROUNDS: usize = 30;
const PROCESSES: usize = 8;
const GOROUTINES: &str = "go.md#module-1-golang/goroutine-vs-thread";

/// The `rehearse` command, as the user runs it, on the small notes fixture.
fn rehearse(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    command
        .arg("--notes")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store/notes"))
        .arg("--data")
        .arg(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

#[test]
fn eight_processes_starting_at_once_on_a_fresh_data_folder_all_succeed() {
    for round in 0..ROUNDS {
        let data = tempfile::tempdir().unwrap();
        // Half save a draft (database and index), half search (index only):
        // each is a whole start of the CLI on a folder nobody created yet.
        let children: Vec<(usize, Child)> = (0..PROCESSES)
            .map(|i| {
                let args: Vec<String> = if i % 2 == 0 {
                    vec!["draft".into(), "save".into(), GOROUTINES.into()]
                } else {
                    vec!["--json".into(), "search".into(), "gorutine".into()]
                };
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                (i, rehearse(data.path(), &args).spawn().unwrap())
            })
            .collect();
        let mut saved = 0;
        for (i, mut child) in children {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            if i % 2 == 0 {
                stdin
                    .write_all(format!("answer from process {i}").as_bytes())
                    .unwrap();
            }
            drop(stdin);
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}, process {i} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            if i % 2 == 0 {
                saved += 1;
            } else {
                let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
                assert_eq!(
                    results["hits"][0]["id"], GOROUTINES,
                    "round {round}, process {i} searched an incomplete index: {results}"
                );
            }
        }
        let store = Store::open(&data.path().join("rehearse.sqlite3")).unwrap();
        assert_eq!(
            store.draft_history(GOROUTINES).unwrap().len(),
            saved,
            "round {round}: every process's save is kept"
        );
        assert!(
            !data.path().join("backups").exists(),
            "round {round}: a new database was taken for an old one and backed up"
        );
    }
}

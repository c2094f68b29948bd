//! The `rehearse` commands on the user's data, run as a user runs them: the
//! built binary, a small notes folder, a fresh data folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use rehearse::store::{ReviewRecord, Store, Timestamp};

const GOROUTINES: &str = "go.md#module-1-golang/goroutine-vs-thread";
const CHANNELS: &str = "go.md#module-1-golang/what-is-a-channel";

struct Cli {
    notes: PathBuf,
    data: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        Cli {
            notes: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store/notes"),
            data: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of the notes the test may edit.
    fn with_own_notes() -> Cli {
        let mut cli = Cli::new();
        let notes = cli.data.path().join("notes");
        std::fs::create_dir(&notes).unwrap();
        for entry in std::fs::read_dir(&cli.notes).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, notes.join(path.file_name().unwrap())).unwrap();
        }
        cli.notes = notes;
        cli
    }

    fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rehearse"))
            .arg("--notes")
            .arg(&self.notes)
            .arg("--data")
            .arg(self.data.path())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.unwrap_or_default()).unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    }

    /// Runs a command that must succeed, returning its stdout.
    fn ok(&self, args: &[&str]) -> String {
        self.ok_with_stdin(args, b"")
    }

    fn ok_with_stdin(&self, args: &[&str], stdin: &[u8]) -> String {
        let out = self.run(args, Some(stdin));
        assert!(
            out.status.success(),
            "rehearse {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    fn store(&self) -> Store {
        Store::open(&self.data.path().join("rehearse.sqlite3")).unwrap()
    }
}

#[test]
fn drafts_saved_from_stdin_and_files_keep_a_history() {
    let cli = Cli::new();
    cli.ok_with_stdin(
        &["draft", "save", GOROUTINES],
        "M:N — “green” threads 🧵".as_bytes(),
    );
    let file = cli.data.path().join("answer.md");
    std::fs::write(&file, "Goroutines: 2 KB stacks, grown on demand.\n").unwrap();
    cli.ok(&[
        "draft",
        "save",
        GOROUTINES,
        "--file",
        file.to_str().unwrap(),
    ]);
    let again = cli.json(&[
        "draft",
        "save",
        GOROUTINES,
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        again["outcome"], "unchanged",
        "the same text makes no new version"
    );

    let history = cli.json(&["draft", "history", GOROUTINES]);
    let versions = history["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    for (v, bytes) in versions.iter().zip(["M:N — “green” threads 🧵".len(), 42]) {
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["bytes", "saved_at", "version"]);
        assert_eq!(v["bytes"], bytes);
        assert!(v["saved_at"].as_str().unwrap().ends_with('Z'));
    }
    assert_eq!(versions[1]["version"], 2);

    assert_eq!(
        cli.ok(&["draft", "show", GOROUTINES, "--version", "1"]),
        "M:N — “green” threads 🧵"
    );
    assert_eq!(
        cli.ok(&["draft", "show", GOROUTINES]),
        "Goroutines: 2 KB stacks, grown on demand.\n"
    );
    let missing = cli.run(&["draft", "show", GOROUTINES, "--version", "7"], None);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("versions 1 to 2"));
}

#[test]
fn a_multi_megabyte_draft_round_trips_through_the_cli_byte_for_byte() {
    let cli = Cli::new();
    let text = "ゴルーチン\tgoroutine ✓ \u{1F9F5}\r\n".repeat(100_000);
    assert!(text.len() > 3_000_000);
    let saved = cli.ok_with_stdin(&["--json", "draft", "save", CHANNELS], text.as_bytes());
    let saved: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(saved["bytes"], text.len());
    assert!(
        cli.ok(&["draft", "show", CHANNELS]) == text,
        "the text changed on the way"
    );
}

#[test]
fn unknown_ids_are_refused_and_nothing_is_written() {
    let cli = Cli::new();
    let attempts: [&[&str]; 4] = [
        &["bookmark", "add", "go.md#no-such-question"],
        &[
            "draft",
            "save",
            "golang.md#module-1-golang/goroutine-vs-thread",
        ],
        &["review", "nope.md", "good"],
        &["bookmark", "remove", "go.md#typo"],
    ];
    for args in attempts {
        let out = cli.run(args, Some(b"some text"));
        assert!(!out.status.success(), "{args:?} succeeded");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("No card or note has the id"),
            "{args:?}: {stderr}"
        );
    }
    // A heading is a real id, but not a question to answer.
    let out = cli.run(&["draft", "save", "go.md#module-1-golang"], Some(b"text"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a question"));
    let invalid_utf8 = cli.run(&["draft", "save", GOROUTINES], Some(&[0x66, 0xff, 0xfe]));
    assert!(String::from_utf8_lossy(&invalid_utf8.stderr).contains("not UTF-8"));

    let store = cli.store();
    assert!(store.bookmarks().unwrap().is_empty());
    assert!(store.latest_drafts().unwrap().is_empty());
    assert_eq!(store.review_count().unwrap(), 0);
}

#[test]
fn bookmarks_are_added_listed_newest_first_and_removed() {
    let cli = Cli::new();
    let added = cli.json(&["bookmark", "add", GOROUTINES, "--label", "revisit"]);
    assert_eq!(
        (added["id"].as_str(), added["label"].as_str()),
        (Some(GOROUTINES), Some("revisit"))
    );
    cli.ok(&["bookmark", "add", "go.md#module-2-docker"]);
    cli.ok(&["bookmark", "add", "hr.md"]);
    let list = cli.json(&["bookmark", "list"]);
    let ids: Vec<_> = list["bookmarks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["hr.md", "go.md#module-2-docker", GOROUTINES]);
    assert_eq!(list["bookmarks"][2]["title"], "Goroutine vs Thread");

    assert_eq!(
        cli.json(&["bookmark", "remove", "go.md#module-2-docker"])["removed"],
        true
    );
    assert_eq!(
        cli.json(&["bookmark", "remove", "go.md#module-2-docker"])["removed"],
        false
    );
    assert_eq!(
        cli.json(&["bookmark", "list"])["bookmarks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn review_schedules_the_card_and_due_lists_what_is_due() {
    let cli = Cli::new();
    let review = cli.json(&["review", GOROUTINES, "good"]);
    assert_eq!(
        (review["grade"].as_str(), review["intervalDays"].as_f64()),
        (Some("good"), Some(2.0))
    );
    assert_eq!(
        cli.json(&["due"])["due"],
        serde_json::json!([]),
        "not due for two days"
    );
    let text = cli.ok(&["review", CHANNELS, "again"]);
    assert!(text.starts_with("Again: next review in"), "{text}");

    // A review from a week ago, due yesterday, as the app may have recorded it.
    let store = cli.store();
    let day = rehearse::store::MILLIS_PER_DAY;
    let now = Timestamp::now();
    let card = rehearse::CardRef {
        id: "go.md#module-2-docker/what-is-an-image".into(),
        note: "go.md".into(),
        title: "What is an image?".into(),
        fingerprint: String::new(),
    };
    store
        .record_review(
            &card,
            &ReviewRecord {
                grade: rehearse::practice::Grade::Good,
                reviewed_at: now.plus_millis(-7 * day),
                stability: 6.0,
                difficulty: 5.0,
                due_at: now.plus_millis(-day),
            },
        )
        .unwrap();
    let due = cli.json(&["due"]);
    let ids: Vec<_> = due["due"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["cardId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [card.id.as_str()]);
}

#[test]
fn drafts_of_a_deleted_question_are_listed_as_orphans_and_can_be_reattached() {
    let cli = Cli::with_own_notes();
    cli.ok_with_stdin(&["draft", "save", CHANNELS], b"A typed pipe.");
    cli.ok(&["bookmark", "add", CHANNELS]);
    // The user rewrites the question: a new id and new words.
    let go = cli.notes.join("go.md");
    let text = std::fs::read_to_string(&go).unwrap();
    std::fs::write(
        &go,
        text.replace("### What is a channel?", "### How do channels work?"),
    )
    .unwrap();

    let orphans = cli.json(&["orphans"]);
    let orphan = &orphans["orphans"][0];
    assert_eq!(
        (orphan["id"].as_str(), orphan["title"].as_str()),
        (Some(CHANNELS), Some("What is a channel?"))
    );
    assert_eq!(
        (
            orphan["draftVersions"].as_u64(),
            orphan["bookmarked"].as_bool()
        ),
        (Some(1), Some(true))
    );
    assert_eq!(
        cli.ok(&["draft", "show", CHANNELS]),
        "A typed pipe.",
        "still readable"
    );

    let new_id = "go.md#module-1-golang/how-do-channels-work";
    cli.ok(&["reattach", CHANNELS, new_id]);
    assert_eq!(cli.json(&["orphans"])["orphans"], serde_json::json!([]));
    assert_eq!(cli.ok(&["draft", "show", new_id]), "A typed pipe.");
    assert_eq!(
        cli.json(&["bookmark", "list"])["bookmarks"][0]["id"],
        new_id
    );
}

#[test]
fn export_and_backup_write_files_a_user_can_open() {
    let cli = Cli::new();
    cli.ok_with_stdin(&["draft", "save", GOROUTINES], b"Runtime-scheduled, cheap.");
    cli.ok_with_stdin(
        &["draft", "save", "hr.md#why-this-company"],
        b"The product.",
    );
    let out = cli.data.path().join("export/answers.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let report = cli.json(&["export", "--out", out.to_str().unwrap()]);
    assert_eq!(report["cards"], 2);
    let markdown = std::fs::read_to_string(&out).unwrap();
    assert!(
        markdown.contains("#### Goroutine vs Thread\n\nRuntime-scheduled, cheap.\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("Why this company?\n\nThe product.\n"),
        "{markdown}"
    );

    let backup = cli.data.path().join("backup.sqlite3");
    let done = cli.json(&["backup", backup.to_str().unwrap()]);
    assert!(done["bytes"].as_u64().unwrap() > 0);
    let copy = Store::open(&backup).unwrap();
    assert_eq!(
        copy.draft(GOROUTINES, None).unwrap().unwrap().text,
        "Runtime-scheduled, cheap."
    );
}

#[test]
fn grading_in_the_app_and_the_cli_at_once_loses_no_review() {
    const EACH: usize = 12;
    let cli = Cli::new();
    // The app: one library open in this process, grading as a person does.
    let library = rehearse::Library::open(rehearse::LibraryConfig::new(
        vec![cli.notes.clone()],
        cli.data.path().to_path_buf(),
    ))
    .unwrap();
    std::thread::scope(|scope| {
        let terminal = scope.spawn(|| {
            for i in 0..EACH {
                let grade = if i % 2 == 0 { "good" } else { "hard" };
                cli.ok(&["review", CHANNELS, grade]);
            }
        });
        for i in 0..EACH {
            let grade = if i % 3 == 0 {
                rehearse::practice::Grade::Again
            } else {
                rehearse::practice::Grade::Good
            };
            library.grade(GOROUTINES, grade).expect("the app grades");
        }
        terminal.join().expect("the CLI grades");
    });
    drop(library);
    assert_eq!(cli.store().review_count().unwrap(), 2 * EACH as u64);
}

//! Watching the notes folders: every kind of change a person or an editor
//! makes reaches search, in this process through `Library::update` and in
//! another through the index on disk (`rehearse watch`).

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rehearse::watch::NotesWatcher;
use rehearse::{Library, LibraryConfig};

const PATIENCE: Duration = Duration::from_secs(20);

/// Applies the watcher's changes until `found` holds, or fails after
/// [`PATIENCE`] saying what was awaited.
fn until(
    library: &mut Library,
    watcher: &NotesWatcher,
    what: &str,
    found: impl Fn(&Library) -> bool,
) {
    let deadline = Instant::now() + PATIENCE;
    while !found(library) {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "search never showed that {what}");
        if let Some(changes) = watcher.next(Some(left)) {
            library
                .update(changes.expect("the watcher reports").paths)
                .expect("the update applies");
        }
    }
}

fn notes_of(library: &Library, query: &str) -> Vec<String> {
    let mut notes: Vec<String> = common::ids(library, query)
        .into_iter()
        .map(|id| id.split('#').next().unwrap().to_string())
        .collect();
    notes.dedup();
    notes
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("the note is written");
}

#[test]
fn search_follows_edits_creations_renames_moves_temp_file_saves_and_deletions() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = (root.path().join("work"), root.path().join("home"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    write(
        &a.join("go.md"),
        "# Go\n\n## What is a goroutine?\n\nA light thread.\n",
    );
    let data = tempfile::tempdir().unwrap();
    let mut library = Library::open(LibraryConfig::new(
        vec![a.clone(), b.clone()],
        data.path().to_path_buf(),
    ))
    .unwrap();
    let watcher = NotesWatcher::start(&library.config().notes_dirs).unwrap();

    write(
        &a.join("zoo.md"),
        "# Zoo\n\n## What is a quokkafish?\n\nA made-up animal.\n",
    );
    until(&mut library, &watcher, "a created note is found", |l| {
        notes_of(l, "quokkafish") == ["zoo.md"]
    });

    write(
        &a.join("zoo.md"),
        "# Zoo\n\n## What is a flamingoray?\n\nAnother one.\n",
    );
    until(
        &mut library,
        &watcher,
        "an edit replaces the old text",
        |l| notes_of(l, "flamingoray") == ["zoo.md"] && notes_of(l, "quokkafish").is_empty(),
    );

    std::fs::rename(a.join("zoo.md"), a.join("animals.md")).unwrap();
    until(
        &mut library,
        &watcher,
        "a renamed note is found under its new name",
        |l| notes_of(l, "flamingoray") == ["animals.md"] && l.note("zoo.md").is_none(),
    );

    std::fs::rename(a.join("animals.md"), b.join("animals.md")).unwrap();
    until(
        &mut library,
        &watcher,
        "a note moved to the other folder is found there",
        |l| {
            l.note("animals.md").is_some_and(|n| n.path.starts_with(&b))
                && notes_of(l, "flamingoray") == ["animals.md"]
        },
    );

    // How many editors save: the whole text to a temporary file, renamed over the note.
    let temporary = b.join(".animals.md.swp");
    write(
        &temporary,
        "# Zoo\n\n## What is a pandashark?\n\nSaved the careful way.\n",
    );
    std::fs::rename(&temporary, b.join("animals.md")).unwrap();
    until(
        &mut library,
        &watcher,
        "a temp-file save shows the new text",
        |l| notes_of(l, "pandashark") == ["animals.md"] && notes_of(l, "flamingoray").is_empty(),
    );

    std::fs::remove_file(b.join("animals.md")).unwrap();
    until(&mut library, &watcher, "a deleted note is gone", |l| {
        notes_of(l, "pandashark").is_empty() && l.note("animals.md").is_none()
    });
    assert_eq!(
        notes_of(&library, "goroutine"),
        ["go.md"],
        "the untouched note is still there"
    );
    let reopened =
        Library::open(LibraryConfig::new(vec![a, b], data.path().to_path_buf())).unwrap();
    assert_eq!(
        reopened.notes().len(),
        1,
        "the catalog on disk followed too"
    );
}

#[test]
fn rehearse_watch_in_one_process_and_search_in_another_see_a_new_file() {
    let notes = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(
        &notes.path().join("go.md"),
        "# Go\n\n## What is a goroutine?\n\nA light thread.\n",
    );
    let rehearse = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rehearse"));
        command
            .arg("--notes")
            .arg(notes.path())
            .arg("--data")
            .arg(data.path())
            .args(args);
        command
    };
    let mut watching = rehearse(&["watch", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rehearse watch starts");
    let mut started = BufReader::new(watching.stderr.take().unwrap());
    let mut line = String::new();
    started.read_line(&mut line).unwrap();
    assert!(
        line.starts_with("Watching"),
        "it says it is watching: {line}"
    );

    write(
        &notes.path().join("zoo.md"),
        "# Zoo\n\n## What is a quokkafish?\n\nA made-up animal.\n",
    );
    let mut updates = BufReader::new(watching.stdout.take().unwrap()).lines();
    let update = updates.next().expect("an update line").unwrap();
    let update: serde_json::Value = serde_json::from_str(&update).expect("a JSON line");
    assert_eq!(update["added"], serde_json::json!(["zoo.md"]), "{update}");
    assert!(update["latency_ms"].as_f64().is_some(), "{update}");

    let found = rehearse(&["search", "quokkafish", "--json"])
        .output()
        .unwrap();
    let _ = watching.kill();
    let _ = watching.wait();
    let found: serde_json::Value =
        serde_json::from_slice(&found.stdout).expect("search answers JSON");
    assert_eq!(found["hits"][0]["note"], "zoo.md", "{found}");
}

#[test]
fn a_renamed_note_is_reported_as_moved_so_the_reader_can_follow_it() {
    let notes = tempfile::tempdir().unwrap();
    let text = "# Zoo\n\n## What is a quokkafish?\n\nA made-up animal.\n";
    write(&notes.path().join("zoo.md"), text);
    write(&notes.path().join("old.md"), "# Old\n\n## Gone?\n\nSoon.\n");
    let data = tempfile::tempdir().unwrap();
    let mut library = Library::open(LibraryConfig::new(
        vec![notes.path().to_path_buf()],
        data.path().to_path_buf(),
    ))
    .unwrap();

    std::fs::create_dir(notes.path().join("animals")).unwrap();
    std::fs::rename(
        notes.path().join("zoo.md"),
        notes.path().join("animals/zoo.md"),
    )
    .unwrap();
    // Deleted, and a note with other words added in the same update: not a move.
    std::fs::remove_file(notes.path().join("old.md")).unwrap();
    write(&notes.path().join("new.md"), "# New\n\n## Here?\n\nYes.\n");
    let report = library
        .update(
            ["zoo.md", "animals/zoo.md", "old.md", "new.md"]
                .iter()
                .map(|p| notes.path().join(p))
                .collect(),
        )
        .unwrap();
    assert_eq!(
        report.renamed,
        [rehearse::Renamed {
            from: "zoo.md".into(),
            to: "animals/zoo.md".into(),
        }]
    );
    assert_eq!(report.removed, ["old.md", "zoo.md"]);
    assert_eq!(report.added, ["animals/zoo.md", "new.md"]);
}

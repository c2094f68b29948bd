//! The index is a cache of the notes: rebuilt when missing, damaged or of an
//! older schema, updated only where notes changed, and readable while another
//! process writes it.

mod common;

use rehearse::{Library, LibraryConfig, SearchRequest};

fn open(notes: &std::path::Path, data: &std::path::Path) -> Library {
    Library::open(LibraryConfig::new(
        vec![notes.to_path_buf()],
        data.to_path_buf(),
    ))
    .expect("opens")
}

fn finds_goroutine(library: &Library) -> bool {
    common::search(library, "gorutine")
        .iter()
        .any(|h| h.title.contains("Goroutine"))
}

#[test]
fn a_deleted_index_is_rebuilt() {
    let data = tempfile::tempdir().unwrap();
    drop(open(&common::bundled_notes(), data.path()));
    std::fs::remove_dir_all(data.path().join("index")).unwrap();
    let library = open(&common::bundled_notes(), data.path());
    assert!(library.index_report().rebuilt);
    assert!(finds_goroutine(&library));
}

#[test]
fn an_index_whose_segments_are_overwritten_with_garbage_is_rebuilt() {
    let data = tempfile::tempdir().unwrap();
    drop(open(&common::bundled_notes(), data.path()));
    // Only Tantivy's segment files: the state file and meta.json still say
    // the index is complete and current, so nothing but the damage itself can
    // make the next start rebuild.
    let mut damaged = 0;
    for entry in std::fs::read_dir(data.path().join("index")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let is_segment = name
            .split('.')
            .next()
            .is_some_and(|stem| stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit()));
        if is_segment {
            std::fs::write(&path, b"\x00garbage\xff not an index").unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0, "the index has segment files to damage");
    let library = open(&common::bundled_notes(), data.path());
    assert!(library.index_report().rebuilt);
    assert!(finds_goroutine(&library));
}

#[test]
fn an_index_of_an_older_schema_is_rebuilt() {
    let data = tempfile::tempdir().unwrap();
    drop(open(&common::bundled_notes(), data.path()));
    let state = data.path().join("index/rehearse-index.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    value["schema_version"] = serde_json::json!(0);
    std::fs::write(&state, value.to_string()).unwrap();
    let library = open(&common::bundled_notes(), data.path());
    assert!(library.index_report().rebuilt);
    assert!(finds_goroutine(&library));
}

#[test]
fn an_index_built_by_another_stemmer_release_is_rebuilt() {
    let data = tempfile::tempdir().unwrap();
    drop(open(&common::bundled_notes(), data.path()));
    let state = data.path().join("index/rehearse-index.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert!(value["stemmer"].as_str().unwrap().starts_with("frostem "));
    value["stemmer"] = serde_json::json!("frostem 1.20250101.0");
    std::fs::write(&state, value.to_string()).unwrap();
    let library = open(&common::bundled_notes(), data.path());
    assert!(library.index_report().rebuilt);
    assert!(finds_goroutine(&library));
}

#[test]
fn only_changed_notes_are_reindexed() {
    let notes = common::copy_notes(&common::bundled_notes());
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));
    let reopened = open(notes.path(), data.path());
    assert_eq!(reopened.index_report().updated_files, 0);
    drop(reopened);

    let path = notes.path().join("concurrency-in-go.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}\n**13. What is a quokkaphobia?**\nFear of quokkas.\n"),
    )
    .unwrap();
    std::fs::remove_file(notes.path().join("sde2-notes.md")).unwrap();
    let library = open(notes.path(), data.path());
    let report = library.index_report();
    assert_eq!(
        (report.updated_files, report.removed_files, report.rebuilt),
        (1, 1, false)
    );
    assert_eq!(
        common::search(&library, "quokkaphobia")[0].note,
        "concurrency-in-go.md"
    );
    assert!(
        common::search(&library, "lexical scoping")
            .iter()
            .all(|h| h.note != "sde2-notes.md")
    );
}

#[test]
fn reload_picks_up_edited_notes() {
    let notes = common::copy_notes(&common::fixture("forms"));
    let data = tempfile::tempdir().unwrap();
    let mut library = open(notes.path(), data.path());
    assert!(common::search(&library, "zanzibar").is_empty());
    std::fs::write(
        notes.path().join("new.md"),
        "# New\n## Where is Zanzibar?\nOff Tanzania.\n",
    )
    .unwrap();
    let report = library.reload().unwrap();
    assert_eq!(report.updated_files, 1);
    assert_eq!(
        common::search(&library, "zanzibar")[0].title,
        "Where is Zanzibar?"
    );
}

const HOLD_WRITER: &str = "REHEARSE_TEST_HOLD_WRITER_OF";

#[test]
fn searching_works_while_another_process_holds_the_writer() {
    if let Ok(index) = std::env::var(HOLD_WRITER) {
        // The other process: holds Tantivy's writer lock until told to stop.
        let other = tantivy::Index::open_in_dir(index).unwrap();
        let _writer: tantivy::IndexWriter = other.writer(15_000_000).unwrap();
        println!("holding");
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).unwrap();
        return;
    }
    let notes = common::copy_notes(&common::fixture("forms"));
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));
    let mut other = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "searching_works_while_another_process_holds_the_writer",
            "--nocapture",
        ])
        .env(HOLD_WRITER, data.path().join("index"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    let mut stdout = std::io::BufReader::new(other.stdout.take().unwrap());
    while !said.contains("holding") {
        use std::io::BufRead;
        assert!(
            stdout.read_line(&mut said).unwrap() > 0,
            "the other process ended before it held the writer"
        );
    }

    std::fs::write(
        notes.path().join("new.md"),
        "# New\n## Fresh question?\nYes.\n",
    )
    .unwrap();
    let library = open(notes.path(), data.path());
    assert!(
        library.index_report().busy,
        "the update waits for the other writer"
    );
    let hits = library
        .search(&SearchRequest::new("goroutine"))
        .unwrap()
        .hits;
    assert!(!hits.is_empty(), "the current index still answers");
    drop(other.stdin.take());
    assert!(other.wait().unwrap().success());

    // Once the other process is gone, the next start brings the new note in.
    drop(library);
    let library = open(notes.path(), data.path());
    assert!(!library.index_report().busy);
    assert_eq!(
        common::search(&library, "fresh question")[0].title,
        "Fresh question?"
    );
}

#[test]
fn indexing_stopped_midway_keeps_the_index_as_it_was_and_the_next_open_finishes_it() {
    use std::sync::atomic::{AtomicBool, Ordering};

    let first = common::copy_notes(&common::bundled_notes());
    let data = tempfile::tempdir().unwrap();
    drop(open(first.path(), data.path()));
    let added = tempfile::tempdir().unwrap();
    for animal in ["quokkas", "wombats", "numbats"] {
        std::fs::write(
            added.path().join(format!("{animal}.md")),
            format!("# {animal}\n\n## Why do {animal} smile?\nTheir mouths turn up.\n"),
        )
        .unwrap();
    }
    let both = LibraryConfig::new(
        vec![first.path().to_path_buf(), added.path().to_path_buf()],
        data.path().to_path_buf(),
    );

    let cancel = AtomicBool::new(false);
    let mut seen = 0;
    let stopped = Library::open_with_progress(
        both.clone(),
        &mut |progress| {
            seen = seen.max(progress.done + 1);
            cancel.store(true, Ordering::Relaxed);
        },
        &cancel,
    );
    assert!(
        matches!(stopped, Err(rehearse::Error::Cancelled)),
        "stopping the indexing ends the open with `Cancelled`"
    );
    assert_eq!(seen, 1, "no note is indexed after the stop");

    let before = open(first.path(), data.path());
    let report = before.index_report();
    assert_eq!(
        (report.updated_files, report.removed_files, report.rebuilt),
        (0, 0, false),
        "the library as it was opens as it was: nothing of the stopped work was kept"
    );
    assert!(common::search(&before, "quokkas smile").is_empty());
    drop(before);

    let library = Library::open(both).expect("opens");
    assert_eq!(library.index_report().updated_files, 3);
    assert_eq!(
        common::search(&library, "quokkas smile")[0].title,
        "Why do quokkas smile?"
    );
}

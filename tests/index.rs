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
fn an_index_overwritten_with_garbage_is_rebuilt() {
    let data = tempfile::tempdir().unwrap();
    drop(open(&common::bundled_notes(), data.path()));
    for entry in std::fs::read_dir(data.path().join("index")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::write(&path, b"\x00garbage\xff not an index").unwrap();
        }
    }
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

#[test]
fn searching_works_while_another_process_holds_the_writer() {
    let notes = common::copy_notes(&common::fixture("forms"));
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));
    // Another process writing: it holds Tantivy's writer lock on the index.
    let other = tantivy::Index::open_in_dir(data.path().join("index")).unwrap();
    let _writer: tantivy::IndexWriter = other.writer(15_000_000).unwrap();

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
}

//! A search that opens the library without reading its notes must still
//! never answer from stale notes; an update writes only what changed; an
//! index of an older format is rebuilt on open.

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use rehearse::{Library, LibraryConfig};

fn open(notes: &Path, data: &Path) -> Library {
    Library::open(LibraryConfig::new(
        vec![notes.to_path_buf()],
        data.to_path_buf(),
    ))
    .expect("the library opens")
}

/// Notes in nested folders, last changed an hour ago.
fn library_of(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..count {
        let folder = dir.path().join(format!("module-{}", i % 7));
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(format!("note-{i}.md"));
        std::fs::write(
            &path,
            format!("# Note {i}\n\n## Question {i}?\n\nThe answer number {i} is plain.\n"),
        )
        .unwrap();
        age(&path);
    }
    dir
}

fn age(path: &Path) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now() - Duration::from_secs(3600)))
        .expect("the note's time can be set");
}

#[test]
fn a_file_edited_in_place_while_nothing_watched_is_found_by_its_new_words_on_the_next_search() {
    let notes = library_of(40);
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));
    let unchanged = open(notes.path(), data.path());
    assert_eq!(unchanged.index_report().files_read, 0);
    drop(unchanged);

    // Written in place, same length, as an editor that truncates and writes
    // does: the folder's time does not move, only the file's.
    let path = notes.path().join("module-3/note-10.md");
    let folder_time = std::fs::metadata(notes.path().join("module-3"))
        .unwrap()
        .modified()
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("plain", "zebra")).unwrap();
    assert_eq!(
        std::fs::metadata(notes.path().join("module-3"))
            .unwrap()
            .modified()
            .unwrap(),
        folder_time
    );

    let library = open(notes.path(), data.path());
    assert_eq!(library.index_report().files_read, 1);
    let found = common::ids(&library, "zebra");
    assert_eq!(found, ["module-3/note-10.md#question-10"]);
}

#[test]
fn a_file_added_or_deleted_while_nothing_watched_shows_up_or_goes_on_the_next_search() {
    let notes = library_of(20);
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));

    std::fs::remove_file(notes.path().join("module-1/note-8.md")).unwrap();
    std::fs::write(
        notes.path().join("module-1/fresh.md"),
        "# Fresh\n\n## Newcomer?\n\nA quokka arrives.\n",
    )
    .unwrap();
    let library = open(notes.path(), data.path());
    assert_eq!(
        common::ids(&library, "quokka"),
        ["module-1/fresh.md#newcomer"]
    );
    assert!(
        common::ids(&library, "number 8")
            .iter()
            .all(|id| !id.contains("note-8.md"))
    );
}

#[test]
fn a_one_note_update_appends_to_the_index_state_instead_of_rewriting_it() {
    let notes = library_of(300);
    let data = tempfile::tempdir().unwrap();
    let mut library = open(notes.path(), data.path());
    let state = data.path().join("index/rehearse-index.journal");
    let before = std::fs::metadata(&state).unwrap().len();

    let path = notes.path().join("module-2/note-9.md");
    std::fs::write(
        &path,
        "# Note 9\n\n## Question 9?\n\nNow about capybaras.\n",
    )
    .unwrap();
    let report = library.update(vec![path]).unwrap();
    assert_eq!(report.changed, ["module-2/note-9.md"]);

    let after = std::fs::metadata(&state).unwrap().len();
    let one_note = before / 300;
    assert!(
        after > before && after - before <= 2 * one_note,
        "the journal grew by one note's record ({before} → {after} bytes)"
    );
    assert_eq!(
        common::ids(&library, "capybaras"),
        ["module-2/note-9.md#question-9"]
    );
    drop(library);

    // The state read back from the journal agrees with the notes: the next
    // start opens unchanged.
    let again = open(notes.path(), data.path());
    assert_eq!(again.index_report().updated_files, 0);
    assert!(!again.index_report().rebuilt);
    assert_eq!(
        common::ids(&again, "capybaras"),
        ["module-2/note-9.md#question-9"]
    );
}

#[test]
fn an_index_of_the_previous_format_is_rebuilt_on_open() {
    let notes = library_of(10);
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));
    // What version 6 wrote: one JSON file with every note's version.
    std::fs::write(
        data.path().join("index/rehearse-index.json"),
        r#"{"schema_version":6,"stemmer":"frostem 1.20260821.8","notes":{"module-0/note-0.md":"00"},"modules":[]}"#,
    )
    .unwrap();
    let library = open(notes.path(), data.path());
    assert!(library.index_report().rebuilt);
    assert_eq!(library.index_report().files, 10);
    assert_eq!(
        common::ids(&library, "number 7")
            .first()
            .map(String::as_str),
        Some("module-0/note-7.md#question-7")
    );
}

#[test]
fn an_index_state_that_disagrees_with_its_journal_is_rebuilt_not_trusted() {
    let notes = library_of(10);
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));
    let journal = data.path().join("index/rehearse-index.journal");
    let mut bytes = std::fs::read(&journal).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&journal, bytes).unwrap();
    // A changed note makes the index read its journal.
    let path = notes.path().join("module-4/note-4.md");
    std::fs::write(&path, "# Note 4\n\n## Question 4?\n\nWombats now.\n").unwrap();

    let library = open(notes.path(), data.path());
    assert!(library.index_report().rebuilt);
    assert_eq!(
        common::ids(&library, "wombats"),
        ["module-4/note-4.md#question-4"]
    );
    assert_eq!(
        common::ids(&library, "number 5")
            .first()
            .map(String::as_str),
        Some("module-5/note-5.md#question-5")
    );
}

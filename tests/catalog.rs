//! The catalog of parsed notes in the data dir: an unchanged library opens
//! without reading its notes, a changed one reads only what changed, and a
//! damaged catalog is rebuilt without an error or a lost note.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rehearse::{Library, LibraryConfig};
use tempfile::TempDir;

/// A copy of the bundled notes, last changed an hour ago, as notes written
/// before the app started are.
fn notes_written_earlier() -> TempDir {
    let dir = common::copy_notes(&common::bundled_notes());
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        age(&entry.unwrap().path());
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

fn open(notes: &Path, data: &Path) -> Library {
    Library::open(LibraryConfig::new(
        vec![notes.to_path_buf()],
        data.to_path_buf(),
    ))
    .expect("the library opens")
}

fn catalog_file(data: &Path) -> PathBuf {
    data.join("notes-catalog.bin")
}

#[test]
fn a_library_opened_a_second_time_unchanged_reads_no_note_file() {
    let notes = notes_written_earlier();
    let data = tempfile::tempdir().unwrap();
    let first = open(notes.path(), data.path());
    assert_eq!(
        first.index_report().files_read,
        5,
        "the first start reads every note"
    );
    let cards = first.cards().count();
    drop(first);

    let second = open(notes.path(), data.path());
    assert_eq!(second.index_report().files_read, 0);
    assert!(
        common::ids(&second, "gorutine")
            .iter()
            .any(|id| id.contains("goroutine")),
        "search answers from the catalog"
    );
    assert_eq!(second.notes().len(), 5);
    assert_eq!(second.cards().count(), cards, "every card is decoded back");
    assert!(
        second
            .warnings()
            .iter()
            .any(|w| w.message.contains("repaired")),
        "the repaired note's warning is shown again"
    );
}

#[test]
fn only_the_changed_and_new_files_are_read_and_deleted_ones_are_dropped() {
    let notes = notes_written_earlier();
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));

    let edited = std::fs::read_dir(notes.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("\n\n## What is a quokkafish?\n\nAn animal of the catalog tests.\n");
    std::fs::write(&edited, text).unwrap();
    std::fs::write(
        notes.path().join("new.md"),
        "# New\n\n## Why zebras?\n\nStripes.\n",
    )
    .unwrap();
    // Changed just now, they would be read once more at the next start: a
    // time within the file system's clock tick cannot vouch for them.
    age(&edited);
    age(&notes.path().join("new.md"));
    let library = open(notes.path(), data.path());
    assert_eq!(
        library.index_report().files_read,
        2,
        "the edited note and the new one"
    );
    assert_eq!(library.notes().len(), 6);
    assert_eq!(common::ids(&library, "quokkafish").len(), 1);
    drop(library);

    std::fs::remove_file(notes.path().join("new.md")).unwrap();
    let library = open(notes.path(), data.path());
    assert_eq!(
        library.index_report().files_read,
        0,
        "a deletion reads nothing"
    );
    assert_eq!(library.notes().len(), 5);
    assert!(
        common::ids(&library, "zebras").is_empty(),
        "the deleted note is not found"
    );
    drop(library);

    // The catalog now ends with the deletion's record: read back, the note
    // stays gone and the others need no reading.
    let library = open(notes.path(), data.path());
    assert_eq!(library.index_report().files_read, 0);
    assert_eq!(library.notes().len(), 5);
    assert!(common::ids(&library, "zebras").is_empty());
    assert_eq!(common::ids(&library, "quokkafish").len(), 1);
}

#[test]
fn a_truncated_catalog_is_rebuilt_with_no_error_and_nothing_lost() {
    let notes = notes_written_earlier();
    let data = tempfile::tempdir().unwrap();
    let cards = open(notes.path(), data.path()).cards().count();
    let file = catalog_file(data.path());
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() * 2 / 3]).unwrap();

    let library = open(notes.path(), data.path());
    assert!(
        library.index_report().files_read >= 1,
        "what was cut off is read again"
    );
    assert_eq!(library.cards().count(), cards);
    drop(library);
    let library = open(notes.path(), data.path());
    assert_eq!(
        library.index_report().files_read,
        0,
        "the catalog was rewritten whole"
    );
    assert_eq!(library.cards().count(), cards);
}

#[test]
fn a_catalog_damaged_in_the_middle_is_never_believed() {
    let notes = notes_written_earlier();
    let data = tempfile::tempdir().unwrap();
    let library = open(notes.path(), data.path());
    let answers: Vec<String> = library.cards().map(|c| c.answer.to_string()).collect();
    drop(library);
    let file = catalog_file(data.path());
    let mut bytes = std::fs::read(&file).unwrap();
    // Flip a byte every 997: heads and bodies of several notes alike.
    for i in (100..bytes.len()).step_by(997) {
        bytes[i] ^= 0x5a;
    }
    std::fs::write(&file, &bytes).unwrap();

    let library = open(notes.path(), data.path());
    let after: Vec<String> = library.cards().map(|c| c.answer.to_string()).collect();
    assert_eq!(
        after, answers,
        "every answer is the note's, none a damaged copy"
    );
    drop(library);
    std::fs::write(&file, b"not a catalog").unwrap();
    let library = open(notes.path(), data.path());
    assert_eq!(library.index_report().files_read, 5);
    assert_eq!(library.cards().count(), answers.len());
}

#[test]
fn an_open_library_keeps_its_notes_whole_when_another_process_rewrites_the_catalog() {
    let notes = notes_written_earlier();
    let data = tempfile::tempdir().unwrap();
    drop(open(notes.path(), data.path()));
    // Decoded from the catalog, whose texts it reads in place.
    let library = open(notes.path(), data.path());
    assert_eq!(library.index_report().files_read, 0);
    let answers: Vec<String> = library.cards().map(|c| c.answer.to_string()).collect();
    let note = library.notes()[0].id.clone();
    let html = library.render(&note).expect("the note renders");

    // Another process finds the catalog damaged (a copy renamed over it, as
    // a sync tool would) and writes it anew, renamed over the old one.
    let file = catalog_file(data.path());
    let stranger = data.path().join("stranger.bin");
    std::fs::write(&stranger, b"not a catalog").unwrap();
    std::fs::rename(&stranger, &file).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--notes")
        .arg(notes.path())
        .arg("--data")
        .arg(data.path())
        .arg("index")
        .output()
        .expect("rehearse runs");
    assert!(status.status.success(), "{status:?}");
    assert!(std::fs::metadata(&file).unwrap().len() > 1000, "rewritten");

    let after: Vec<String> = library.cards().map(|c| c.answer.to_string()).collect();
    assert_eq!(after, answers, "every answer reads as before");
    assert_eq!(library.render(&note).unwrap(), html);
    assert!(!common::ids(&library, "gorutine").is_empty());
}

#[test]
fn a_first_start_stopped_midway_leaves_no_catalog_behind_and_the_next_reads_every_note() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let notes = notes_written_earlier();
    let data = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(false);
    let stopped = Library::open_with_progress(
        LibraryConfig::new(vec![notes.path().to_path_buf()], data.path().to_path_buf()),
        &mut |_| cancel.store(true, Ordering::Relaxed),
        &cancel,
    );
    assert!(matches!(stopped, Err(rehearse::Error::Cancelled)));
    // The catalog is written while the index is built; stopped, it must
    // neither claim notes the index never got nor leave its half on disk.
    let left: Vec<String> = std::fs::read_dir(data.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("notes-catalog"))
        .collect();
    assert!(left.is_empty(), "nothing of the catalog is left: {left:?}");

    let library = open(notes.path(), data.path());
    assert_eq!(library.index_report().files_read, 5);
    assert!(!common::ids(&library, "gorutine").is_empty());
}

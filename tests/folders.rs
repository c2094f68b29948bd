//! The notes folders chosen in the app: saved in the store, restored on the
//! next start, and changed without losing any of the user's answers.

mod common;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rehearse::store::SaveKind;
use rehearse::{Error, FolderChange, Library, LibraryConfig};

const OWN_NOTE: &str = "# Distributed systems\n\n## Consensus\n\n### What does the Raft leader election guarantee?\n\nAt most one leader per term, elected by a majority of votes.\n";

fn own_folder() -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("systems.md"), OWN_NOTE).unwrap();
    folder
}

fn open_saved(data: &Path) -> Library {
    Library::open(LibraryConfig::with_saved_folders(data.to_path_buf())).expect("the library opens")
}

fn add(path: &Path) -> FolderChange {
    FolderChange::Add {
        path: path.to_path_buf(),
    }
}

/// Makes `folder_change` as the app does: the new library opens beside the
/// one open, which the caller then drops.
fn change(library: &Library, folder_change: FolderChange) -> rehearse::Result<Library> {
    Library::open_changed(
        library.config(),
        &folder_change,
        &mut |_| {},
        &AtomicBool::new(false),
    )
}

/// A data folder whose saved folders are the bundled notes and one of the
/// user's own, and that folder with its full path.
fn saved_own_folder() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let data = tempfile::tempdir().unwrap();
    let folder = own_folder();
    let path = folder.path().canonicalize().unwrap();
    drop(change(&open_saved(data.path()), add(&path)).unwrap());
    (data, folder, path)
}

fn raft_card(library: &Library) -> Option<String> {
    common::ids(library, "raft leader election")
        .into_iter()
        .find(|id| id.starts_with("systems.md#"))
}

#[test]
fn a_folder_added_in_the_app_is_read_again_on_the_next_start() {
    let data = tempfile::tempdir().unwrap();
    let folder = own_folder();
    let library = open_saved(data.path());
    assert_eq!(
        library.config().notes_dirs,
        vec![LibraryConfig::bundled_notes_dir()],
        "a new library shows the bundled notes"
    );
    let reopened = change(&library, add(folder.path())).unwrap();
    drop(library);
    assert!(
        raft_card(&reopened).is_some(),
        "the added folder's note is searchable"
    );
    drop(reopened);

    let restarted = open_saved(data.path());
    assert!(
        raft_card(&restarted).is_some(),
        "after a restart the added folder is still in the library"
    );
    let folders = restarted.folders().unwrap();
    assert!(folders.editable);
    assert_eq!(folders.folders.len(), 2, "{folders:?}");
    assert!(folders.folders[0].bundled && folders.folders[0].notes == 5);
    assert_eq!(
        folders.folders[1].path,
        folder.path().canonicalize().unwrap()
    );
    assert_eq!(folders.folders[1].notes, 1);
}

#[test]
fn hiding_the_bundled_notes_leaves_only_the_users_own_and_is_remembered() {
    let data = tempfile::tempdir().unwrap();
    let folder = own_folder();
    let library = open_saved(data.path());
    let library = change(&library, add(folder.path())).unwrap();
    let library = change(&library, FolderChange::ShowBundled { show: false }).unwrap();
    assert_eq!(library.notes().len(), 1);
    assert!(common::ids(&library, "goroutine").is_empty());
    drop(library);
    let restarted = open_saved(data.path());
    assert_eq!(restarted.notes().len(), 1, "still hidden after a restart");
    assert!(!restarted.folders().unwrap().show_bundled);
}

#[test]
fn a_folder_that_does_not_exist_or_is_a_file_is_refused_with_a_sentence_saying_so() {
    let data = tempfile::tempdir().unwrap();
    let library = open_saved(data.path());
    let missing = data.path().join("no-such-folder");
    let error = change(&library, add(&missing)).err().unwrap();
    assert!(matches!(error, Error::NotesFolderMissing(_)), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "The notes folder {} does not exist or is not a folder.",
            missing.display()
        )
    );

    let file = data.path().join("note.md");
    std::fs::write(&file, OWN_NOTE).unwrap();
    let error = change(&library, add(&file)).err().unwrap();
    assert!(
        error.to_string().contains("is a file; choose the folder"),
        "{error}"
    );

    let error = change(&library, add(Path::new("notes/mine")))
        .err()
        .unwrap();
    assert!(error.to_string().contains("not a full path"), "{error}");
    assert_eq!(
        library.folders().unwrap().folders.len(),
        1,
        "nothing refused was saved"
    );
}

#[test]
fn removing_a_folder_removes_its_notes_from_search_and_keeps_the_answers_for_when_it_is_back() {
    let data = tempfile::tempdir().unwrap();
    let folder = own_folder();
    let library = open_saved(data.path());
    let library = change(&library, add(folder.path())).unwrap();
    let card = raft_card(&library).expect("the card is found");
    library
        .save_draft(
            &card,
            "One leader per term, by majority.",
            SaveKind::Explicit,
        )
        .unwrap();

    let library = change(
        &library,
        FolderChange::Remove {
            path: folder.path().canonicalize().unwrap(),
        },
    )
    .unwrap();
    assert_eq!(raft_card(&library), None, "its notes are gone from search");
    assert_eq!(library.notes().len(), 5, "the bundled notes stay");
    assert!(
        library.orphans().unwrap().iter().any(|o| o.id == card),
        "the answer waits as an orphan"
    );

    let library = change(&library, add(folder.path())).unwrap();
    assert_eq!(raft_card(&library).as_deref(), Some(card.as_str()));
    let draft = library
        .latest_draft(&card)
        .unwrap()
        .expect("the answer is back");
    assert_eq!(draft.text, "One leader per term, by majority.");
}

#[test]
fn folders_named_on_the_command_line_are_shown_but_not_changed_from_the_app() {
    let data = tempfile::tempdir().unwrap();
    let folder = own_folder();
    let library = Library::open(LibraryConfig::new(
        vec![folder.path().to_path_buf()],
        data.path().to_path_buf(),
    ))
    .unwrap();
    let folders = library.folders().unwrap();
    assert!(!folders.editable);
    assert_eq!(folders.folders.len(), 1);
    assert_eq!(folders.folders[0].notes, 1);
    let error = change(&library, FolderChange::ShowBundled { show: false })
        .err()
        .unwrap();
    assert!(error.to_string().contains("--notes"), "{error}");
}

#[test]
fn a_saved_folder_that_went_missing_is_listed_as_missing_and_the_library_still_opens() {
    let (data, folder, path) = saved_own_folder();
    drop(folder);
    let library = open_saved(data.path());
    assert_eq!(library.notes().len(), 5);
    let folders = library.folders().unwrap();
    assert_eq!(folders.folders.len(), 2);
    assert!(folders.folders[1].missing && folders.folders[1].path == path);
    assert!(!folders.folders[1].left_out);
}

#[test]
fn a_folder_inside_one_already_added_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let folder = own_folder();
    std::fs::create_dir(folder.path().join("inner")).unwrap();
    let library = open_saved(data.path());
    let library = change(&library, add(folder.path())).unwrap();
    let error = change(&library, add(&folder.path().join("inner")))
        .err()
        .unwrap();
    assert!(error.to_string().contains("is inside"), "{error}");
    let error = change(&library, add(folder.path())).err().unwrap();
    assert!(error.to_string().contains("already"), "{error}");
}

#[test]
fn a_folder_whose_indexing_is_stopped_is_not_added_and_the_open_library_is_untouched() {
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    for n in 0..20 {
        std::fs::write(folder.path().join(format!("note-{n}.md")), OWN_NOTE).unwrap();
    }
    let library = open_saved(data.path());
    let stop = AtomicBool::new(false);
    let stopped = Library::open_changed(
        library.config(),
        &add(folder.path()),
        &mut |progress| {
            if progress.done == 3 {
                stop.store(true, Ordering::Relaxed);
            }
        },
        &stop,
    );
    assert!(
        matches!(stopped, Err(Error::Cancelled)),
        "{:?}",
        stopped.err()
    );
    assert!(
        !common::ids(&library, "goroutine").is_empty(),
        "the library open meanwhile still answers"
    );
    assert_eq!(
        library.folders().unwrap().folders.len(),
        1,
        "nothing was saved"
    );
    drop(library);
    let restarted = open_saved(data.path());
    assert_eq!(
        restarted.notes().len(),
        5,
        "the next start reads only the bundled notes"
    );
    assert_eq!(restarted.index_report().updated_files, 0);
}

#[test]
fn a_saved_folder_left_out_after_a_stopped_first_start_is_listed_as_left_out_not_missing() {
    // The folder is kept (not dropped) to the end: it is there, only not read.
    let (data, _folder, path) = saved_own_folder();
    // What the app opens when the first start's indexing is stopped.
    let bundled_only = LibraryConfig {
        notes_dirs: vec![LibraryConfig::bundled_notes_dir()],
        ..LibraryConfig::with_saved_folders(data.path().to_path_buf())
    };
    let library = Library::open(bundled_only).unwrap();
    let folders = library.folders().unwrap();
    let own = &folders.folders[1];
    assert_eq!(own.path, path);
    assert!(own.left_out && !own.missing, "{own:?}");
    assert_eq!(own.notes, 0);
    assert!(!folders.folders[0].left_out);
}

//! The notes folders chosen in the app: saved in the store, restored on the
//! next start, and changed without losing any of the user's answers.

mod common;

use std::path::{Path, PathBuf};

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
    let config = library.change_folders(&add(folder.path())).unwrap();
    drop(library);
    let reopened = Library::open(config).unwrap();
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
    library.change_folders(&add(folder.path())).unwrap();
    let config = library
        .change_folders(&FolderChange::ShowBundled { show: false })
        .unwrap();
    drop(library);
    let library = Library::open(config).unwrap();
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
    let error = library.change_folders(&add(&missing)).unwrap_err();
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
    let error = library.change_folders(&add(&file)).unwrap_err();
    assert!(
        error.to_string().contains("is a file; choose the folder"),
        "{error}"
    );

    let error = library
        .change_folders(&add(Path::new("notes/mine")))
        .unwrap_err();
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
    let config = library.change_folders(&add(folder.path())).unwrap();
    drop(library);
    let library = Library::open(config).unwrap();
    let card = raft_card(&library).expect("the card is found");
    library
        .save_draft(
            &card,
            "One leader per term, by majority.",
            SaveKind::Explicit,
        )
        .unwrap();

    let config = library
        .change_folders(&FolderChange::Remove {
            path: folder.path().canonicalize().unwrap(),
        })
        .unwrap();
    drop(library);
    let library = Library::open(config).unwrap();
    assert_eq!(raft_card(&library), None, "its notes are gone from search");
    assert_eq!(library.notes().len(), 5, "the bundled notes stay");
    assert!(
        library.orphans().unwrap().iter().any(|o| o.id == card),
        "the answer waits as an orphan"
    );

    let config = library.change_folders(&add(folder.path())).unwrap();
    drop(library);
    let library = Library::open(config).unwrap();
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
    let error = library
        .change_folders(&FolderChange::ShowBundled { show: false })
        .unwrap_err();
    assert!(error.to_string().contains("--notes"), "{error}");
}

#[test]
fn a_saved_folder_that_went_missing_is_listed_as_missing_and_the_library_still_opens() {
    let data = tempfile::tempdir().unwrap();
    let folder = own_folder();
    let path: PathBuf = folder.path().canonicalize().unwrap();
    open_saved(data.path()).change_folders(&add(&path)).unwrap();
    drop(folder);
    let library = open_saved(data.path());
    assert_eq!(library.notes().len(), 5);
    let folders = library.folders().unwrap();
    assert_eq!(folders.folders.len(), 2);
    assert!(folders.folders[1].missing && folders.folders[1].path == path);
}

#[test]
fn a_folder_inside_one_already_added_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let folder = own_folder();
    std::fs::create_dir(folder.path().join("inner")).unwrap();
    let library = open_saved(data.path());
    library.change_folders(&add(folder.path())).unwrap();
    let error = library
        .change_folders(&add(&folder.path().join("inner")))
        .unwrap_err();
    assert!(error.to_string().contains("is inside"), "{error}");
    let error = library.change_folders(&add(folder.path())).unwrap_err();
    assert!(error.to_string().contains("already"), "{error}");
}

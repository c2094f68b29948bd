//! Ids that hold whatever a user's files are called, and user data that stays
//! with its question when the notes around it change.

use std::path::Path;

use rehearse::practice::Grade;
use rehearse::store::SaveKind;
use rehearse::{Library, LibraryConfig};

fn open(notes: &[&Path], data: &Path) -> Library {
    Library::open(LibraryConfig::new(
        notes.iter().map(|p| p.to_path_buf()).collect(),
        data.to_path_buf(),
    ))
    .expect("the library opens")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn notes_whose_paths_hold_a_hash_spaces_or_any_unicode_can_be_read_bookmarked_drafted_and_reviewed()
{
    let notes = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    write(
        &notes.path().join("C#.md"),
        "# C#\n## What is LINQ?\nQueries over collections.\n",
    );
    write(
        &notes.path().join("my notes/été ñ 100%.md"),
        "# Été\n## Qu'est-ce qu'une goroutine ?\nUn fil léger.\n",
    );
    let library = open(&[notes.path()], data.path());
    let mut ids: Vec<String> = library.cards().map(|c| c.id.to_string()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "C%23.md#what-is-linq",
            "my notes/été ñ 100%25.md#qu-est-ce-qu-une-goroutine"
        ]
    );
    for id in &ids {
        let card = library.card(id).expect("found by its own id");
        assert!(
            library.note(&card.note).is_some(),
            "{id}: its note is found"
        );
        assert!(library.render(id).unwrap().contains("<p>"), "{id}");
        assert!(library.markdown(id).unwrap().starts_with("# "), "{id}");
        library.add_bookmark(id, None).unwrap();
        library
            .save_draft(id, "my answer", SaveKind::Explicit)
            .unwrap();
        assert_eq!(library.draft(id, None).unwrap().text, "my answer");
        library.grade(id, Grade::Good).unwrap();
        library.render(&card.note).unwrap();
    }
    assert_eq!(library.bookmarks().unwrap().len(), 2);
    drop(library);
    // Reopened, nothing was taken for an orphan.
    let library = open(&[notes.path()], data.path());
    assert!(library.orphans().unwrap().is_empty());
}

#[test]
fn two_folders_holding_the_same_file_path_both_load() {
    let root = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    // Three folders; two are even called the same.
    let folders = [
        root.path().join("a/notes"),
        root.path().join("b/notes"),
        root.path().join("c/notes"),
    ];
    for (i, folder) in folders.iter().enumerate() {
        write(
            &folder.join("go.md"),
            &format!("# Go {i}\n## Question from folder {i}?\nAnswer {i}.\n"),
        );
    }
    let library = open(
        &folders.iter().map(|f| f.as_path()).collect::<Vec<_>>(),
        data.path(),
    );
    let mut notes: Vec<&str> = library.notes().iter().map(|n| n.id.as_str()).collect();
    notes.sort();
    assert_eq!(notes, ["go.md", "notes (3)/go.md", "notes/go.md"]);
    for i in 0..3 {
        let hits = library
            .search(&rehearse::SearchRequest::new(format!(
                "question from folder {i}"
            )))
            .unwrap()
            .hits;
        assert_eq!(hits[0].title, format!("Question from folder {i}?"));
    }
}

#[test]
fn data_stays_with_its_question_when_a_question_with_the_same_heading_is_inserted_above_it() {
    let notes = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let note = notes.path().join("go.md");
    write(
        &note,
        "# Go\n## What is a channel?\nA typed pipe between goroutines.\n",
    );
    let library = open(&[notes.path()], data.path());
    let old = "go.md#what-is-a-channel";
    library
        .save_draft(old, "my answer about pipes", SaveKind::Explicit)
        .unwrap();
    library.add_bookmark(old, Some("pipes")).unwrap();
    drop(library);

    // The user adds a second question with the same heading, above the first.
    write(
        &note,
        "# Go\n## What is a channel?\nIn Docker: a release track.\n\n\
         ## What is a channel?\nA typed pipe between goroutines.\n",
    );
    let library = open(&[notes.path()], data.path());
    let moved = "go.md#what-is-a-channel-2";
    assert_eq!(
        library.card(moved).unwrap().answer.trim(),
        "A typed pipe between goroutines."
    );
    assert_eq!(
        library.draft(moved, None).unwrap().text,
        "my answer about pipes",
        "the draft followed its answer"
    );
    assert!(
        library.draft(old, None).is_err(),
        "the new question starts without the old one's draft"
    );
    let bookmarks = library.bookmarks().unwrap();
    assert_eq!(bookmarks.len(), 1);
    assert_eq!(bookmarks[0].id, moved);
    assert!(library.orphans().unwrap().is_empty());
    drop(library);

    // Editing that answer afterwards keeps the data where it now is.
    write(
        &note,
        "# Go\n## What is a channel?\nIn Docker: a release track.\n\n\
         ## What is a channel?\nA typed pipe between goroutines; it can be buffered.\n",
    );
    let library = open(&[notes.path()], data.path());
    assert_eq!(
        library.draft(moved, None).unwrap().text,
        "my answer about pipes"
    );
}

//! Loading notes: every question form of the bundled notes, encoding repair,
//! stable ids, and files that are broken in every way we could think of.

mod common;

use std::path::PathBuf;

use rehearse::{Card, Library, LibraryConfig, notes};

fn card<'a>(library: &'a Library, note: &str, title: &str) -> &'a Card {
    library
        .cards()
        .find(|c| c.note == note && c.title == title)
        .unwrap_or_else(|| panic!("no card {title:?} in {note}"))
}

#[test]
fn bundled_library_has_all_five_notes_with_their_titles() {
    let library = common::bundled();
    let mut titles: Vec<&str> = library.notes().iter().map(|n| n.title.as_str()).collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Concurrency in Go",
            "Golang Deltas - One Stop SDE2 Preparation",
            "Persistent Systems - Golang Developer Interview Preparation",
            "SDE2-Notes",
            "Step by Step: Prepare for Go Backend Engineer",
        ]
    );
}

#[test]
fn questions_under_module_headings_are_cards_with_the_module_as_trail() {
    let c = card(common::bundled(), "golang-deltas.md", "Goroutine vs Thread");
    assert_eq!(c.trail, ["Module 1: Golang"]);
    assert_eq!(c.id, "golang-deltas.md#module-1-golang/goroutine-vs-thread");
    assert!(!c.empty);
}

#[test]
fn questions_as_level_two_headings_are_cards_of_the_note_itself() {
    let c = card(
        common::bundled(),
        "sde2-notes.md",
        "What are the Difference between GoRoutine and Thread?",
    );
    assert!(c.trail.is_empty());
    assert!(c.answer.contains("Go Routines communicate using Channels"));
}

#[test]
fn bold_heading_questions_have_their_emphasis_removed() {
    let library = common::bundled();
    let c = card(
        library,
        "persistent-systems-golang.md",
        "Q1: Explain the GMP Model (Goroutine Scheduler).",
    );
    assert_eq!(c.trail, ["1. Core Golang & Concurrency"]);
    assert!(
        library.cards().all(|c| !c.title.contains("**")),
        "no title keeps markdown emphasis"
    );
}

#[test]
fn bold_numbered_paragraphs_are_cards_in_a_note_without_headings() {
    let library = common::bundled();
    let cards: Vec<&Card> = library
        .cards()
        .filter(|c| c.note == "concurrency-in-go.md")
        .collect();
    assert_eq!(cards.len(), 12, "12 bold questions, numbered 2, 2, 3 … 12");
    let runes = card(
        library,
        "concurrency-in-go.md",
        "12. What is the difference between strings and runes?",
    );
    assert!(!runes.empty);
    let rest = card(library, "concurrency-in-go.md", "4. REST and RESTFUL");
    assert!(
        rest.answer.starts_with("REST:"),
        "text on the next line is the answer: {:?}",
        rest.answer
    );
}

#[test]
fn mojibake_is_repaired_and_reported() {
    let library = common::bundled();
    let note = library
        .note("step-by-step-go-backend.md")
        .expect("the note is loaded");
    assert!(note.source.contains("🧩") && note.source.contains("🌸") && note.source.contains('’'));
    assert!(!note.source.contains("ðŸ") && !note.source.contains("â€™"));
    assert!(
        note.repair
            .as_deref()
            .is_some_and(|r| r.contains("Windows-1252"))
    );
    assert!(library.cards().any(|c| c.title == "🧩Challenges"));
    assert!(
        library
            .warnings()
            .iter()
            .any(|w| w.path.ends_with("step-by-step-go-backend.md"))
    );
}

#[test]
fn empty_sections_are_kept_as_empty_cards() {
    let c = card(
        common::bundled(),
        "step-by-step-go-backend.md",
        "🧩Challenges",
    );
    assert!(c.empty);
}

#[test]
fn a_todo_heading_answers_the_empty_question_above_it() {
    let library = common::bundled();
    let c = card(
        library,
        "sde2-notes.md",
        "How would you design and secure a microservices architecture?",
    );
    assert!(c.answer.contains("JWT"), "{:?}", c.answer);
    assert!(!library.cards().any(|c| c.title == "TODO"));
}

#[test]
fn hash_lines_inside_code_fences_are_not_headings() {
    let library = common::bundled();
    let note = library.note("golang-deltas.md").expect("loaded");
    assert!(note.outline.iter().all(|e| !e.title.starts_with("Step 1")));
    // The Dockerfile is the module's own text, before its first sub-heading.
    let docker = note
        .outline
        .iter()
        .find(|e| e.title == "Module 3: Docker Kubernetis:")
        .expect("the module");
    assert!(
        docker
            .intro
            .contains("# Step 1: Use the official Golang image")
    );
}

#[test]
fn card_ids_are_unique_even_for_repeated_questions() {
    let (_data, library) = common::open(&[common::fixture("forms")]);
    let mut ids: Vec<&str> = library.cards().map(|c| c.id.as_str()).collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
    let goroutine: Vec<&str> = library
        .cards()
        .filter(|c| c.title == "What is a goroutine?")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        goroutine,
        [
            "headings.md#module-1-go/what-is-a-goroutine",
            "headings.md#module-2-docker/what-is-a-goroutine"
        ]
    );
    let closures: Vec<&str> = library
        .cards()
        .filter(|c| c.title == "2. Closures")
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(closures, ["bold.md#closures", "bold.md#closures-2"]);
}

#[test]
fn card_ids_survive_unrelated_edits() {
    let notes = common::copy_notes(&common::fixture("forms"));
    let ids = |dir: &std::path::Path| -> Vec<String> {
        let loaded = notes::load_folders(&[dir.to_path_buf()]).expect("loads");
        loaded
            .notes
            .iter()
            .flat_map(|n| n.cards.iter().map(|c| c.id.to_string()))
            .collect()
    };
    let before = ids(notes.path());
    let path = notes.path().join("headings.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = text
        .replace("A lightweight thread", "A cheap, lightweight thread")
        .replace("## Empty question", "A new paragraph.\n\n## Empty question");
    std::fs::write(&path, edited).unwrap();
    assert_eq!(ids(notes.path()), before);
}

#[test]
fn front_matter_names_the_note_and_is_not_shown() {
    let (_data, library) = common::open(&[common::fixture("forms")]);
    let note = library.note("headings.md").expect("loaded");
    assert_eq!(note.title, "Forms of questions");
    assert!(!note.source.contains("tags:"));
}

#[test]
fn broken_files_are_survived_with_a_warning_naming_each() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("good.md"), "# Good\n## Question?\nAnswer.\n").unwrap();
    std::fs::write(root.join("binary.md"), [0x89, b'P', b'N', b'G', 0, 0, 1, 2]).unwrap();
    std::fs::write(
        root.join("latin1.md"),
        b"# Caf\xe9\n## R\xe9sum\xe9?\nOui.\n",
    )
    .unwrap();
    std::fs::write(root.join("empty.md"), b"").unwrap();
    let huge = vec![b'a'; (notes::MAX_NOTE_BYTES + 1) as usize];
    std::fs::write(root.join("huge.md"), huge).unwrap();
    std::os::unix::fs::symlink(root.join("missing-target.md"), root.join("dangling.md")).unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::os::unix::fs::symlink(root, root.join("sub/loop")).unwrap();

    let (_data, library) = common::open(&[root.to_path_buf()]);
    let ids: Vec<&str> = library.notes().iter().map(|n| n.id.as_str()).collect();
    assert!(
        ids.contains(&"good.md") && ids.contains(&"latin1.md") && ids.contains(&"empty.md"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"binary.md") && !ids.contains(&"huge.md"));
    assert_eq!(library.note("latin1.md").unwrap().title, "Café");
    let warned = |name: &str| library.warnings().iter().any(|w| w.path.ends_with(name));
    for name in ["binary.md", "huge.md", "latin1.md", "dangling.md"] {
        assert!(
            warned(name),
            "a warning names {name}: {:?}",
            library.warnings()
        );
    }
}

#[test]
fn a_missing_notes_folder_is_a_clear_error() {
    let data = tempfile::tempdir().unwrap();
    let missing = PathBuf::from("/nonexistent/notes");
    let error = Library::open(LibraryConfig::new(vec![missing], data.path().to_path_buf()))
        .err()
        .expect("fails");
    assert_eq!(error.code(), "notes_folder_missing");
    assert!(error.to_string().contains("/nonexistent/notes"));
}

#[test]
fn several_folders_load_together_and_same_names_stay_apart() {
    let other = common::copy_notes(&common::fixture("forms"));
    let (_data, library) = common::open(&[common::fixture("forms"), other.path().to_path_buf()]);
    assert_eq!(library.notes().len(), 4);
    let ids: std::collections::HashSet<&str> =
        library.notes().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
}

//! Reading notes in whatever encoding they were saved in: mojibake is repaired
//! only in files that show it, and files that are not UTF-8 are read in the
//! encoding they were written in.

use std::path::{Path, PathBuf};

use rehearse::Note;
use rehearse::notes::{LoadedNotes, load_folders};

fn folder(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn load(relative: &str) -> LoadedNotes {
    load_folders(&[folder(relative)]).expect("the folder loads")
}

fn note<'a>(loaded: &'a LoadedNotes, id: &str) -> &'a Note {
    loaded
        .notes
        .iter()
        .find(|n| n.id == id)
        .unwrap_or_else(|| panic!("no note {id}"))
}

fn card_titles(note: &Note) -> Vec<&str> {
    note.cards.iter().map(|c| c.title.as_str()).collect()
}

fn warned(loaded: &LoadedNotes, id: &str) -> bool {
    loaded.warnings.iter().any(|w| w.path.ends_with(id))
}

#[test]
fn genuine_text_that_looks_like_mojibake_to_windows_1252_stays_exactly_as_written() {
    let loaded = load("tests/fixtures/encodings");
    let written =
        std::fs::read_to_string(folder("tests/fixtures/encodings/genuine-punctuation.md")).unwrap();
    let note = note(&loaded, "genuine-punctuation.md");
    assert_eq!(*note.source, written);
    for genuine in ["café\u{a0}»", "weiß“", "CAFÉ’S"] {
        assert!(note.source.contains(genuine), "{genuine:?} is kept");
    }
    assert_eq!(
        card_titles(note),
        ["Was heißt „weiß“?", "Why is it CAFÉ’S and not CAFE'S?"]
    );
    assert_eq!(note.repair, None);
    assert!(!warned(&loaded, "genuine-punctuation.md"));
}

#[test]
fn the_step_by_step_note_is_still_repaired_and_says_so() {
    let loaded = load("notes");
    let note = note(&loaded, "step-by-step-go-backend.md");
    assert!(note.source.contains('🧩') && note.source.contains('’'));
    assert!(!note.source.contains("ðŸ") && !note.source.contains("â€"));
    assert!(card_titles(note).contains(&"🧩Challenges"));
    let repair = note.repair.as_deref().expect("the repair is reported");
    assert!(repair.contains("Windows-1252"), "{repair}");
    assert!(warned(&loaded, "step-by-step-go-backend.md"));
}

#[test]
fn bundled_notes_with_genuine_curly_quotes_are_not_marked_repaired() {
    let loaded = load("notes");
    for id in ["golang-deltas.md", "sde2-notes.md", "concurrency-in-go.md"] {
        let note = note(&loaded, id);
        assert!(note.source.contains('’'), "{id} has its own ’");
        assert_eq!(note.repair, None, "{id}");
    }
}

#[test]
fn a_shift_jis_note_reads_right_and_says_which_encoding() {
    let loaded = load("tests/fixtures/encodings");
    let note = note(&loaded, "japanese-shift-jis.md");
    assert_eq!(note.title, "Go言語 面接対策ノート");
    assert_eq!(
        card_titles(note),
        [
            "ゴルーチンとスレッドの違いは何ですか？",
            "チャネルはどのように使いますか？"
        ]
    );
    assert!(note.source.contains("通信してメモリを共有する"));
    assert!(!note.source.contains('\u{FFFD}'));
    assert_eq!(
        note.repair.as_deref(),
        Some("not valid UTF-8; read as Shift_JIS")
    );
    assert!(warned(&loaded, "japanese-shift-jis.md"));
}

#[test]
fn a_latin_2_note_reads_right_and_says_which_encoding() {
    let loaded = load("tests/fixtures/encodings");
    let note = note(&loaded, "czech-latin-2.md");
    assert_eq!(note.title, "Příprava na pohovor: Go");
    assert_eq!(
        card_titles(note),
        [
            "Jaký je rozdíl mezi gorutinou a vláknem?",
            "Kdy použít kanál a kdy zámek?"
        ]
    );
    // š, ť and ž sit where windows-1250 has other letters: these prove Latin-2.
    assert!(note.source.contains("Šťastný vývojář") && note.source.contains("žije věčně"));
    assert_eq!(
        note.repair.as_deref(),
        Some("not valid UTF-8; read as ISO-8859-2")
    );
}

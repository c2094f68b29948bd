//! What the window's lists are sent: summaries without answers at open, a
//! note's outline on demand, one card's answer for practice, and the
//! sidebar's filter run in the core — on the bundled notes.

use std::fs;

mod common;

const GOROUTINES: &str = "golang-deltas.md#module-1-golang/goroutine-vs-thread";

#[test]
fn the_list_sent_at_open_has_every_note_and_its_counts_but_no_answer() {
    let library = common::bundled();
    let page = library.note_summaries(0, 100);
    let summaries = page.notes;
    assert_eq!(summaries.len(), library.notes().len());
    assert_eq!(page.total as usize, library.notes().len());
    assert_eq!(page.cards as usize, library.cards().count());
    for (summary, note) in summaries.iter().zip(library.notes()) {
        assert_eq!(summary.id, note.id);
        assert_eq!(summary.cards as usize, note.cards.len());
        assert_eq!(
            summary.unanswered as usize,
            note.cards.iter().filter(|c| c.empty).count()
        );
        assert!(summary.headings.len() <= 4);
    }
    let sent = serde_json::to_string(&summaries).unwrap();
    let answer = &library.card(GOROUTINES).unwrap().answer;
    let a_line_of_it = answer.lines().find(|l| l.len() > 40).unwrap();
    assert!(
        !sent.contains(a_line_of_it.trim()),
        "an answer was sent with the list"
    );
    let everything = serde_json::to_string(library.notes()).unwrap();
    assert!(
        sent.len() * 10 < everything.len(),
        "{} bytes against {}",
        sent.len(),
        everything.len()
    );
}

#[test]
fn the_notes_come_in_pages_that_together_list_each_note_once() {
    let library = common::bundled();
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = library.note_summaries(offset, 2);
        assert_eq!(page.offset as usize, offset);
        assert_eq!(page.total as usize, library.notes().len());
        if page.notes.is_empty() {
            break;
        }
        offset += page.notes.len();
        seen.extend(page.notes.into_iter().map(|n| n.id));
    }
    let ids: Vec<&str> = library.notes().iter().map(|n| n.id.as_str()).collect();
    assert_eq!(seen, ids);
    assert!(library.note_summaries(10_000, 5).notes.is_empty());
}

#[test]
fn a_notes_outline_lists_its_questions_without_their_answers() {
    let library = common::bundled();
    let outline = library.note_outline("golang-deltas.md").unwrap();
    let note = library.note("golang-deltas.md").unwrap();
    assert_eq!(outline.cards.len(), note.cards.len());
    assert_eq!(outline.outline.len(), note.outline.len());
    let goroutines = outline.cards.iter().find(|c| c.id == GOROUTINES).unwrap();
    assert_eq!(goroutines.title, "Goroutine vs Thread");
    assert!(
        !serde_json::to_string(&outline)
            .unwrap()
            .contains("\"answer\"")
    );
}

#[test]
fn a_card_opened_for_practice_comes_with_its_reference_answer() {
    let library = common::bundled();
    let card = library.card_with_answer(GOROUTINES).unwrap();
    assert!(card.answer.len() > 100);
    let unknown = library.card_with_answer("golang-deltas.md#no-such-question");
    assert!(matches!(unknown, Err(rehearse::Error::UnknownId(_))));
    assert!(library.note_outline("no-such-note.md").is_err());
}

#[test]
fn the_sidebar_filter_keeps_matching_questions_across_notes_ignoring_case() {
    let library = common::bundled();
    let kept = library.filter_notes("GOROUTINE thread", 100);
    let titles: Vec<&str> = kept
        .notes
        .iter()
        .flat_map(|n| n.cards.iter().map(|c| c.title.as_str()))
        .collect();
    assert!(titles.contains(&"Goroutine vs Thread"), "{titles:?}");
    for title in &titles {
        let folded = title.to_lowercase();
        assert!(
            folded.contains("thread")
                || kept
                    .notes
                    .iter()
                    .any(|n| n.note.title.to_lowercase().contains("thread")),
            "{title} does not match"
        );
    }
    assert!(
        library
            .filter_notes("goroutine nosuchword", 100)
            .notes
            .is_empty()
    );
}

#[test]
fn the_sidebar_filter_keeps_a_whole_note_when_its_title_matches() {
    let library = common::bundled();
    let note = library.note("concurrency-in-go.md").unwrap();
    let kept = library.filter_notes(&note.title.to_uppercase(), 100);
    let found = kept
        .notes
        .iter()
        .find(|n| n.note.id == "concurrency-in-go.md")
        .unwrap();
    assert_eq!(found.cards.len(), note.cards.len());
}

#[test]
fn the_sidebar_filter_ignores_accents_and_says_how_many_notes_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        fs::write(
            dir.path().join(format!("note-{i:02}.md")),
            format!("# Café {i}\n\n## Déjà vu?\n\nSeen before.\n"),
        )
        .unwrap();
    }
    let (_data, library) = common::open(&[dir.path().to_path_buf()]);
    let kept = library.filter_notes("deja", 5);
    assert_eq!(kept.notes.len(), 5);
    assert_eq!(kept.more, 7);
    assert_eq!(kept.notes[0].cards[0].title, "Déjà vu?");
    assert_eq!(library.filter_notes("cafe 7", 5).notes.len(), 1);
}

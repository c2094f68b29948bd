//! Practice sessions, attempts, progress, the same question in other notes,
//! and searching your own answers — through `Library`, on the bundled notes.

use std::collections::{HashMap, HashSet};
use std::process::Command;

use rehearse::Library;
use rehearse::notes::Card;
use rehearse::practice::{self, Grade, Scope, SessionPick, SessionRequest, Standing};
use rehearse::store::{SaveKind, Timestamp};

mod common;

const GOROUTINES: &str = "golang-deltas.md#module-1-golang/goroutine-vs-thread";
const WAITGROUP: &str = "golang-deltas.md#module-1-golang/wait-for-goroutine-completion";

fn request(pick: SessionPick) -> SessionRequest {
    SessionRequest {
        pick,
        scope: Vec::new(),
        limit: None,
        seed: 1,
    }
}

fn ids(library: &Library, request: &SessionRequest) -> Vec<String> {
    library
        .session(request)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

/// A card id of the bundled notes other than the two named above.
fn some_other_card(library: &Library, n: usize) -> String {
    library
        .cards()
        .filter(|c| !c.empty && c.id != GOROUTINES && c.id != WAITGROUP)
        .nth(n)
        .unwrap()
        .id
        .to_string()
}

#[test]
fn bookmarked_sessions_ask_the_bookmarked_cards_in_the_notes_order() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    library.add_bookmark(WAITGROUP, None).unwrap();
    library.add_bookmark(GOROUTINES, None).unwrap();
    library.add_bookmark("golang-deltas.md", None).unwrap();
    assert_eq!(
        ids(&library, &request(SessionPick::Bookmarked)),
        [GOROUTINES, WAITGROUP],
        "questions only (not the bookmarked note), as they come in the note"
    );
}

#[test]
fn never_answered_leaves_out_cards_with_an_answer_but_not_an_empty_draft() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    library
        .save_draft(GOROUTINES, "M:N scheduling", SaveKind::Explicit)
        .unwrap();
    library
        .save_draft(WAITGROUP, "   ", SaveKind::Explicit)
        .unwrap();
    let never = ids(&library, &request(SessionPick::NeverAnswered));
    assert!(!never.contains(&GOROUTINES.to_string()));
    assert!(
        never.contains(&WAITGROUP.to_string()),
        "blank is not answered"
    );
    assert_eq!(never.len(), library.cards().count() - 1);
}

#[test]
fn a_scope_keeps_a_session_to_the_chosen_notes_and_modules() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    let module = SessionRequest {
        scope: vec![Scope {
            note: "golang-deltas.md".into(),
            module: Some("Module 1: Golang".into()),
        }],
        ..request(SessionPick::NeverAnswered)
    };
    let picked = ids(&library, &module);
    let in_module = library
        .cards()
        .filter(|c| {
            c.note == "golang-deltas.md"
                && c.trail.first().map(|m| m.as_str()) == Some("Module 1: Golang")
        })
        .count();
    assert_eq!(picked.len(), in_module);
    assert!(
        picked
            .iter()
            .all(|id| id.starts_with("golang-deltas.md#module-1-golang/"))
    );

    let two_notes = SessionRequest {
        scope: vec![
            Scope {
                note: "sde2-notes.md".into(),
                module: None,
            },
            Scope {
                note: "concurrency-in-go.md".into(),
                module: None,
            },
        ],
        ..request(SessionPick::NeverAnswered)
    };
    let notes: HashSet<String> = library
        .session(&two_notes)
        .unwrap()
        .into_iter()
        .map(|c| c.note)
        .collect();
    assert_eq!(
        notes,
        HashSet::from([
            "sde2-notes.md".to_string(),
            "concurrency-in-go.md".to_string()
        ])
    );
}

#[test]
fn a_random_session_asks_n_different_cards_with_a_reference_the_same_for_the_same_seed() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    let five = SessionRequest {
        limit: Some(5),
        seed: 42,
        ..request(SessionPick::Random)
    };
    let first = ids(&library, &five);
    assert_eq!(first.len(), 5);
    assert_eq!(
        first.iter().collect::<HashSet<_>>().len(),
        5,
        "no card twice"
    );
    assert!(
        first.iter().all(|id| !library.card(id).unwrap().empty),
        "every card has a reference to reveal at the end of a mock interview"
    );
    assert_eq!(ids(&library, &five), first, "same seed, same interview");
    let other = SessionRequest { seed: 43, ..five };
    assert_ne!(
        ids(&library, &other),
        first,
        "another seed, another interview"
    );
}

#[test]
fn the_weakest_session_asks_the_lowest_last_score_first() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    let strong = library.card(GOROUTINES).unwrap().answer.clone();
    // The first attempt at the goroutines card was weak, the last one strong:
    // the last score counts.
    library.reveal_attempt(GOROUTINES, "no idea").unwrap();
    library.reveal_attempt(GOROUTINES, &strong).unwrap();
    library
        .reveal_attempt(WAITGROUP, "use a channel somehow")
        .unwrap();
    let weakest = ids(&library, &request(SessionPick::Weakest));
    assert_eq!(
        weakest,
        [WAITGROUP, GOROUTINES],
        "only revealed cards, weakest first"
    );
}

#[test]
fn selection_follows_the_due_order_and_breaks_score_ties_by_age() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    let cards: Vec<&Card> = library.cards().collect();
    let (a, b, c) = (
        some_other_card(&library, 0),
        some_other_card(&library, 1),
        some_other_card(&library, 2),
    );
    let standing = Standing {
        due: vec![c.as_str(), a.as_str()],
        last_scores: HashMap::from([
            (a.as_str(), (40, Timestamp::from_millis(2_000))),
            (b.as_str(), (40, Timestamp::from_millis(1_000))),
            (c.as_str(), (90, Timestamp::from_millis(500))),
        ]),
        ..Standing::default()
    };
    let picked = |pick| -> Vec<String> {
        practice::select(&cards, &request(pick), &standing)
            .into_iter()
            .map(|c| c.id.to_string())
            .collect()
    };
    assert_eq!(
        picked(SessionPick::Due),
        [c.clone(), a.clone()],
        "soonest due first"
    );
    assert_eq!(
        picked(SessionPick::Weakest),
        [b, a, c],
        "equal scores: the one practised longer ago first"
    );
}

#[test]
fn a_revealed_attempt_keeps_the_answer_as_a_version_with_its_score() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    let reveal = library
        .reveal_attempt(GOROUTINES, "Goroutines are managed by the Go runtime.")
        .unwrap();
    let score = reveal.score.expect("the card has a reference");
    let history = library.draft_history(GOROUTINES).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].score, Some(score));
    assert_eq!(
        history[0].kind,
        SaveKind::Explicit,
        "sealed: typing on starts a new version"
    );

    library.reveal_attempt(WAITGROUP, "  ").unwrap();
    assert!(
        library.latest_draft(WAITGROUP).unwrap().is_none(),
        "an empty answer is revealed but not kept"
    );
}

#[test]
fn progress_counts_answers_per_module_reviews_today_what_falls_due_and_scores() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    library
        .save_draft(GOROUTINES, "M:N scheduling", SaveKind::Autosave)
        .unwrap();
    library
        .reveal_attempt(WAITGROUP, "sync.WaitGroup with Add, Done and Wait")
        .unwrap();
    library.grade(GOROUTINES, Grade::Good).unwrap();
    library.grade(WAITGROUP, Grade::Again).unwrap();

    let progress = library.progress(0).unwrap();
    let module = progress
        .modules
        .iter()
        .find(|m| m.note == "golang-deltas.md" && m.module.as_deref() == Some("Module 1: Golang"))
        .unwrap();
    assert_eq!(module.answered, 2);
    assert!(module.total > 2);
    assert_eq!(
        progress.modules.iter().map(|m| m.total).sum::<u32>() as usize,
        library.cards().count(),
        "every card is in one module row"
    );
    assert_eq!(progress.modules.iter().map(|m| m.answered).sum::<u32>(), 2);

    assert_eq!(progress.reviews_per_day.len(), practice::HISTORY_DAYS);
    let today = Timestamp::now().day_label(0);
    assert_eq!(progress.reviews_per_day.last().unwrap().day, today);
    assert_eq!(progress.reviews_per_day.last().unwrap().count, 2);
    assert_eq!(
        progress
            .reviews_per_day
            .iter()
            .map(|d| d.count)
            .sum::<u32>(),
        2
    );

    assert_eq!(progress.due_forecast.len(), practice::FORECAST_DAYS);
    assert_eq!(progress.due_forecast[0].day, today);
    assert_eq!(
        progress.due_forecast.iter().map(|d| d.count).sum::<u32>(),
        2,
        "Again comes back today or tomorrow, Good within days"
    );

    assert_eq!(
        progress.scores.len(),
        1,
        "only the revealed card has scores"
    );
    assert_eq!(progress.scores[0].card_id, WAITGROUP);
    assert_eq!(progress.scores[0].attempts.len(), 1);
}

#[test]
fn good_stretches_the_next_interval_and_again_shrinks_it() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    let before = library.next_intervals(GOROUTINES).unwrap();
    library.grade(GOROUTINES, Grade::Good).unwrap();
    let after_good = library.next_intervals(GOROUTINES).unwrap();
    assert!(
        after_good.good >= before.good,
        "{after_good:?} vs {before:?}"
    );
    assert!(after_good.again < after_good.good);
    library.grade(GOROUTINES, Grade::Again).unwrap();
    let after_again = library.next_intervals(GOROUTINES).unwrap();
    assert!(
        after_again.good < after_good.good,
        "{after_again:?} vs {after_good:?}"
    );
    assert!(
        library.due().unwrap().is_empty(),
        "nothing is due the moment it was graded"
    );
}

#[test]
fn grading_in_the_app_and_from_the_cli_at_once_loses_no_review() {
    let (data, library) = common::open(&[common::bundled_notes()]);
    const EACH: usize = 6;
    let cli = || {
        Command::new(env!("CARGO_BIN_EXE_rehearse"))
            .arg("--notes")
            .arg(common::bundled_notes())
            .arg("--data")
            .arg(data.path())
            .args(["review", GOROUTINES, "good"])
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = (0..EACH).map(|_| cli()).collect();
    for _ in 0..EACH {
        library.grade(GOROUTINES, Grade::Hard).unwrap();
    }
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let progress = library.progress(0).unwrap();
    let reviewed_today: u32 = progress.reviews_per_day.iter().map(|d| d.count).sum();
    assert_eq!(
        reviewed_today as usize,
        2 * EACH,
        "every grade was recorded"
    );
}

#[test]
fn the_same_question_in_other_notes_is_found_despite_wording_numbering_and_typos() {
    let library = common::bundled();
    let others: Vec<String> = library
        .same_question(GOROUTINES)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert!(
        others.contains(
            &"sde2-notes.md#what-are-the-difference-between-goroutine-and-thread".to_string()
        ),
        "\"What are the Difference between GoRoutine and Thread?\": {others:?}"
    );
    assert!(
        others.contains(&"concurrency-in-go.md#advantages-of-goroutinues-over-threads".to_string()),
        "\"2. Advantages of Goroutinues over threads\": {others:?}"
    );
    assert!(!others.contains(&GOROUTINES.to_string()), "not itself");
    assert!(
        library.same_question(WAITGROUP).unwrap().is_empty(),
        "a question asked once has no others"
    );
}

#[test]
fn your_answers_are_found_by_their_words_as_the_index_folds_them() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    library
        .save_draft(
            GOROUTINES,
            "Goroutines are multiplexed onto OS threads by the runtime; use sync.Mutex for shared state.",
            SaveKind::Autosave,
        )
        .unwrap();
    library
        .save_draft(
            WAITGROUP,
            "A WaitGroup waits for goroutines.",
            SaveKind::Autosave,
        )
        .unwrap();
    let found = |query: &str| -> Vec<String> {
        library
            .search_drafts(query, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.card_id)
            .collect()
    };
    let mut both = found("goroutine");
    both.sort();
    assert_eq!(
        both,
        [GOROUTINES, WAITGROUP],
        "goroutine finds Goroutines and goroutines"
    );
    assert_eq!(
        found("multiplexed threads"),
        [GOROUTINES],
        "every word must be there"
    );
    assert_eq!(
        found("sync.Mutex"),
        [GOROUTINES],
        "a code token is one word"
    );
    assert_eq!(
        found("multipl"),
        [GOROUTINES],
        "the last word is taken as the start of one"
    );
    assert!(found("kubernetes").is_empty());
    assert!(found("   ").is_empty());

    let hit = &library.search_drafts("multiplexed", 10).unwrap()[0];
    assert!(
        hit.snippet.contains("<mark>multiplexed</mark>"),
        "{}",
        hit.snippet
    );
    assert_eq!(hit.title, "Goroutine vs Thread");
}

#[test]
fn two_versions_of_a_draft_compare_word_by_word() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    library
        .save_draft(
            GOROUTINES,
            "goroutines are cheap threads",
            SaveKind::Explicit,
        )
        .unwrap();
    library
        .save_draft(
            GOROUTINES,
            "goroutines are light threads",
            SaveKind::Explicit,
        )
        .unwrap();
    let diff = library.draft_diff(GOROUTINES, 1, 2).unwrap();
    let changed: Vec<(practice::DiffTag, &str)> = diff
        .iter()
        .filter(|op| op.tag != practice::DiffTag::Equal)
        .map(|op| (op.tag, op.text.as_str()))
        .collect();
    assert_eq!(
        changed,
        [
            (practice::DiffTag::Delete, "cheap"),
            (practice::DiffTag::Insert, "light")
        ]
    );
    assert!(
        library.draft_diff(GOROUTINES, 1, 3).is_err(),
        "there is no version 3"
    );
}

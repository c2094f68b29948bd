//! Grading, FSRS scheduling and the due list, on a real database with a clock
//! the tests move; and the export of the user's answers.

use std::path::Path;

use rehearse::practice::{self, FIT_EVERY_REVIEWS, Grade};
use rehearse::store::{MILLIS_PER_DAY, SaveKind, Store};
use rehearse::{CardRef, Library, LibraryConfig};

mod common;

/// A store whose clock only moves when the test says so.
use common::ClockedStore as Fixture;

/// The cards due within `days_ahead` days of the fixture's now, soonest first.
fn due_ids(f: &Fixture, days_ahead: f64) -> Vec<String> {
    let until = f
        .store
        .now()
        .plus_millis((days_ahead * MILLIS_PER_DAY as f64) as i64);
    f.store
        .due(until)
        .unwrap()
        .into_iter()
        .map(|c| c.card_id)
        .collect()
}

fn card(slug: &str) -> CardRef {
    CardRef {
        id: format!("golang-deltas.md#{slug}"),
        note: "golang-deltas.md".into(),
        title: format!("Question {slug}"),
        fingerprint: String::new(),
    }
}

fn days_until(review: &practice::Review) -> f64 {
    (review.due_at.millis() - review.reviewed_at.millis()) as f64 / MILLIS_PER_DAY as f64
}

#[test]
fn good_on_a_new_card_brings_it_back_in_a_couple_of_days() {
    let f = Fixture::new();
    let review = practice::grade(&f.store, &card("q"), Grade::Good).unwrap();
    assert_eq!(review.reviewed_at, f.store.now());
    assert_eq!(
        review.interval_days, 2.0,
        "FSRS-6's default first Good interval"
    );
    assert!((days_until(&review) - 2.0).abs() < 1e-9);
    assert!(!review.personal_parameters);

    let schedule = f.store.card_schedule(&card("q").id).unwrap().unwrap();
    assert_eq!(
        (schedule.due_at, schedule.reviews, schedule.last_grade),
        (review.due_at, 1, Grade::Good)
    );
    assert!((schedule.stability - review.stability).abs() < 1e-6);
    assert!((1.0..=10.0).contains(&schedule.difficulty));
}

#[test]
fn again_returns_the_same_day_and_easy_waits_over_a_week() {
    let f = Fixture::new();
    let again = practice::grade(&f.store, &card("forgot"), Grade::Again).unwrap();
    let hard = practice::grade(&f.store, &card("struggled"), Grade::Hard).unwrap();
    let easy = practice::grade(&f.store, &card("knew"), Grade::Easy).unwrap();
    assert!(days_until(&again) < 1.0, "{}", days_until(&again));
    assert!(days_until(&again) < days_until(&hard));
    assert!(days_until(&easy) >= 7.0, "{}", days_until(&easy));
    assert!(again.difficulty > easy.difficulty);
}

#[test]
fn remembering_again_on_time_stretches_the_interval() {
    let f = Fixture::new();
    let first = practice::grade(&f.store, &card("q"), Grade::Good).unwrap();
    f.advance_days(first.interval_days);
    let second = practice::grade(&f.store, &card("q"), Grade::Good).unwrap();
    assert!(
        second.interval_days > first.interval_days * 2.0,
        "{} then {}",
        first.interval_days,
        second.interval_days
    );
    assert!(second.stability > first.stability);
    f.advance_days(second.interval_days);
    let lapse = practice::grade(&f.store, &card("q"), Grade::Again).unwrap();
    assert!(lapse.interval_days < second.interval_days);
    assert_eq!(
        f.store
            .card_schedule(&card("q").id)
            .unwrap()
            .unwrap()
            .reviews,
        3
    );
}

#[test]
fn next_intervals_preview_what_each_grade_would_schedule() {
    let f = Fixture::new();
    let preview = practice::next_intervals(&f.store, &card("q").id).unwrap();
    assert!(
        preview.again < preview.hard && preview.hard < preview.good && preview.good < preview.easy
    );
    let review = practice::grade(&f.store, &card("q"), Grade::Hard).unwrap();
    assert_eq!(review.interval_days, preview.hard);
}

#[test]
fn the_due_list_holds_cards_due_by_then_soonest_first() {
    let f = Fixture::new();
    practice::grade(&f.store, &card("easy"), Grade::Easy).unwrap();
    practice::grade(&f.store, &card("good"), Grade::Good).unwrap();
    practice::grade(&f.store, &card("again"), Grade::Again).unwrap();
    assert!(
        due_ids(&f, 0.0).is_empty(),
        "nothing is due right after grading"
    );
    assert_eq!(due_ids(&f, 1.0), [card("again").id]);
    assert_eq!(due_ids(&f, 3.0), [card("again").id, card("good").id]);
    assert_eq!(
        due_ids(&f, 30.0),
        [card("again").id, card("good").id, card("easy").id]
    );

    // Reviewing the first due card moves it back in the line.
    f.advance_days(1.0);
    practice::grade(&f.store, &card("again"), Grade::Easy).unwrap();
    assert_eq!(due_ids(&f, 0.0), Vec::<String>::new());
    assert_eq!(due_ids(&f, 29.0).first(), Some(&card("good").id));
}

#[test]
fn an_orphaned_card_leaves_the_due_list_until_reattached() {
    let f = Fixture::new();
    practice::grade(&f.store, &card("gone"), Grade::Again).unwrap();
    practice::grade(&f.store, &card("kept"), Grade::Again).unwrap();
    f.store.reconcile(&[card("kept")]).unwrap();
    assert_eq!(due_ids(&f, 1.0), [card("kept").id]);
    let orphans = f.store.orphans().unwrap();
    assert_eq!(orphans[0].reviews, 1);

    let moved = CardRef {
        id: "go.md#gone".into(),
        ..card("gone")
    };
    f.store.reattach(&card("gone").id, &moved).unwrap();
    let mut due = due_ids(&f, 1.0);
    due.sort();
    assert_eq!(due, [moved.id, card("kept").id], "both, by id");
}

/// A user whose memory is better than average: they remember nearly
/// everything, even when reviews come late.
fn review_like_a_strong_memory(f: &Fixture, cards: usize, days: i64) -> u64 {
    let mut reviews = 0;
    for day in 0..days {
        for c in 0..cards {
            // Each card comes up every few days, at gaps that vary by card.
            let gap = 1 + (c % 7) as i64 * 2;
            if (day + c as i64) % gap != 0 {
                continue;
            }
            let grade = if (day * 31 + c as i64) % 17 == 0 {
                Grade::Hard
            } else {
                Grade::Good
            };
            practice::grade(&f.store, &card(&format!("q{c}")), grade).unwrap();
            // What the library does after each grade, off the grading path.
            practice::refit_when_due(&f.store);
            reviews += 1;
        }
        f.advance_days(1.0);
    }
    reviews
}

/// Many reviews with a durable write each: a memory-backed folder where there
/// is one, so the test takes a second rather than ten.
fn scratch_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

#[test]
fn parameters_are_fitted_to_the_user_s_own_history_once_there_is_enough() {
    let f = Fixture::in_dir(scratch_dir());
    review_like_a_strong_memory(&f, 10, 3);
    assert!(f.store.review_count().unwrap() < FIT_EVERY_REVIEWS);
    assert_eq!(
        f.store.fitted_parameters().unwrap(),
        None,
        "too few reviews to learn from"
    );
    let default_first_good = practice::next_intervals(&f.store, &card("new").id)
        .unwrap()
        .good;

    let reviews = review_like_a_strong_memory(&f, 120, 60);
    let fitted = f
        .store
        .fitted_parameters()
        .unwrap()
        .expect("fitted after enough reviews");
    assert_eq!(fitted.parameters.len(), 21);
    assert!(
        fitted.review_count >= reviews / 2,
        "refitted as reviews came in"
    );
    assert!(f.store.review_count().unwrap() - fitted.review_count < FIT_EVERY_REVIEWS);

    // What the user notices: a new card answered Good waits longer than it
    // would for the average person, and reviews say so.
    let personal_first_good = practice::next_intervals(&f.store, &card("new").id)
        .unwrap()
        .good;
    assert!(
        personal_first_good > default_first_good,
        "{personal_first_good} days vs the default {default_first_good}"
    );
    let review = practice::grade(&f.store, &card("new"), Grade::Good).unwrap();
    assert!(review.personal_parameters);
}

#[test]
fn export_writes_the_latest_answers_under_their_questions_by_note_and_module() {
    let data = tempfile::tempdir().unwrap();
    // A draft written earlier for a question that has since left the notes.
    let gone = CardRef {
        id: "old.md#deleted".into(),
        note: "old.md".into(),
        title: "A deleted question".into(),
        fingerprint: String::new(),
    };
    Store::open(&data.path().join("rehearse.sqlite3"))
        .unwrap()
        .save_draft(&gone, "still mine", SaveKind::Explicit)
        .unwrap();
    let notes = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store/notes");
    let library = Library::open(LibraryConfig::new(vec![notes], data.path().into())).unwrap();
    let find = |title: &str| {
        library
            .cards()
            .find(|c| c.title == title)
            .unwrap()
            .id
            .clone()
    };
    let image = find("What is an image?");
    let goroutines = find("Goroutine vs Thread");
    let yourself = find("Tell me about yourself");
    for (id, text) in [
        (&image, "Layers, read-only."),
        (&goroutines, "first try"),
        (&goroutines, "M:N scheduling — ✓"),
        (&yourself, "Backend engineer, 5 years.\n"),
    ] {
        library.save_draft(id, text, SaveKind::Explicit).unwrap();
    }

    let out = data.path().join("answers.md");
    let report = library.export_drafts(&out).unwrap();
    assert_eq!((report.cards, report.orphans), (3, 1));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("first try"), "only the latest version");
    let order = [
        "## Go interview notes",
        "### Module 1: Golang",
        "#### Goroutine vs Thread\n\nM:N scheduling — ✓\n",
        "### Module 2: Docker",
        "#### What is an image?\n\nLayers, read-only.\n",
        "## HR round",
        "### Tell me about yourself\n\nBackend engineer, 5 years.\n",
        "#### A deleted question",
        "still mine",
    ];
    let mut at = 0;
    for part in order {
        let found = text[at..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} missing or out of order in:\n{text}"));
        at += found + part.len();
    }
    assert!(
        !text.contains("What is a channel?"),
        "questions without a draft are left out"
    );
}

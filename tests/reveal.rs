//! Reveal on real cards of the bundled notes, with answers written for these
//! tests: ideas covered by meaning with the real model (models/all-minilm-l6-v2,
//! installed by scripts/setup) and by key terms without it, key terms through
//! the index's analyzers, the word diff, the score, and the CLI.

mod common;

use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use rehearse::practice::{Coverage, DiffTag, JudgedBy, Reveal};
use rehearse::store::SaveKind;
use rehearse::{Error, Library};
use tempfile::TempDir;

/// The bundled notes with the model loaded, shared by the tests of this binary.
fn with_model() -> &'static Library {
    static LIBRARY: OnceLock<(TempDir, Library)> = OnceLock::new();
    &LIBRARY
        .get_or_init(|| {
            let (dir, library) = common::open(&[common::bundled_notes()]);
            library
                .enable_meaning(&mut |_, _| {}, &AtomicBool::new(false))
                .expect("the model is installed (run scripts/setup) and loads");
            (dir, library)
        })
        .1
}

/// The bundled notes before the model is loaded.
fn without_model() -> &'static Library {
    common::bundled()
}

fn card_id(title_part: &str) -> String {
    let matching: Vec<_> = without_model()
        .cards()
        .filter(|c| c.title.contains(title_part))
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "one bundled card's title holds {title_part:?}"
    );
    matching[0].id.to_string()
}

fn reveal(library: &Library, title_part: &str, answer: &str) -> Reveal {
    library
        .reveal(&card_id(title_part), Some(answer))
        .expect("the card is revealed")
}

fn reference(title_part: &str) -> String {
    without_model()
        .card(&card_id(title_part))
        .expect("the card exists")
        .answer
        .to_string()
}

fn statuses(reveal: &Reveal) -> Vec<Coverage> {
    reveal.ideas.iter().map(|i| i.status).collect()
}

/// The idea whose text starts with `start`.
fn idea<'r>(reveal: &'r Reveal, start: &str) -> &'r rehearse::practice::Idea {
    reveal
        .ideas
        .iter()
        .find(|i| i.text.starts_with(start))
        .unwrap_or_else(|| panic!("an idea starts with {start:?}: {:#?}", reveal.ideas))
}

fn score(reveal: &Reveal) -> u8 {
    reveal.score.expect("the reference is not empty")
}

const CLOSURE: &str = "Closure in golang";
const CLOSURE_IDEA: &str = "A closure is a special type of anonymous function";
const INNER_FUNCTION: &str =
    "An inner function that remembers the variables of the function around it.";

const GMP: &str = "Explain the GMP Model";
const GMP_GOOD: &str = "Go's scheduler multiplexes many goroutines onto a few OS threads. G is a goroutine with its own small stack, M is an operating system thread, and P is a logical processor that holds a run queue of goroutines. This is why Go handles thousands of concurrent tasks cheaply.";
const GMP_HALF: &str = "Go uses an M:N scheduler: many goroutines run on a few OS threads. A G is a goroutine with its own stack.";

const KAFKA: &str = "At-Least-Once";
const KAFKA_PARAPHRASE: &str = "Make the producer wait until all in-sync copies acknowledge a write. Only acknowledge a message's position once you've handled it. A crash can cause the same message to be handled twice, so handling must be safe to repeat.";

const RACES: &str = "How do you handle Data Races";

#[test]
fn a_paraphrase_with_few_shared_words_covers_the_closure_idea_by_meaning() {
    let reveal = reveal(with_model(), CLOSURE, INNER_FUNCTION);
    assert_eq!(reveal.judged_by, JudgedBy::Meaning);
    let closure = idea(&reveal, CLOSURE_IDEA);
    assert_eq!(closure.status, Coverage::Covered, "{closure:#?}");
    assert_eq!(closure.closest.as_deref(), Some(INNER_FUNCTION));
    assert!(
        closure.terms < 0.3,
        "the answer shares few key terms with the idea: {closure:#?}"
    );
}

#[test]
fn without_the_model_the_same_paraphrase_counts_only_as_far_as_its_key_terms_reach() {
    let reveal = reveal(without_model(), CLOSURE, INNER_FUNCTION);
    assert_eq!(reveal.judged_by, JudgedBy::KeyTermsOnly);
    assert!(
        reveal.explanation.contains("key terms alone"),
        "{}",
        reveal.explanation
    );
    assert!(reveal.ideas.iter().all(|i| i.similarity.is_none()));
    let closure = idea(&reveal, CLOSURE_IDEA);
    // `function` and `variables` are there; `closure`, `anonymous` and
    // `outside` are not.
    assert!(closure.terms > 0.0 && closure.terms < 0.3, "{closure:#?}");
    assert_eq!(closure.status, Coverage::Missed);
    assert!(score(&reveal) < score(&self::reveal(with_model(), CLOSURE, INNER_FUNCTION)));
}

#[test]
fn an_unrelated_answer_covers_no_idea_and_scores_zero() {
    for library in [with_model(), without_model()] {
        let reveal = reveal(
            library,
            CLOSURE,
            "Docker containers share the host kernel and start quickly.",
        );
        assert!(
            statuses(&reveal).iter().all(|s| *s == Coverage::Missed),
            "{:#?}",
            reveal.ideas
        );
        assert_eq!(score(&reveal), 0);
    }
}

#[test]
fn an_empty_answer_misses_every_idea_and_scores_zero() {
    for library in [with_model(), without_model()] {
        for answer in ["", "  \n\n"] {
            let reveal = reveal(library, GMP, answer);
            assert_eq!(reveal.ideas.len(), 5, "{:#?}", reveal.ideas);
            assert!(statuses(&reveal).iter().all(|s| *s == Coverage::Missed));
            assert!(reveal.key_terms.iter().all(|t| !t.covered));
            assert!(reveal.answer_marks.is_empty());
            assert_eq!(score(&reveal), 0);
        }
    }
}

#[test]
fn a_copy_of_the_reference_covers_every_idea_and_scores_100() {
    for title in [CLOSURE, GMP, RACES, KAFKA, "What is Closure in GOlang"] {
        let copy = reference(title);
        for library in [with_model(), without_model()] {
            let reveal = reveal(library, title, &copy);
            assert!(
                statuses(&reveal).iter().all(|s| *s == Coverage::Covered),
                "{title}: {:#?}",
                reveal.ideas
            );
            assert!(reveal.key_terms.iter().all(|t| t.covered));
            assert_eq!(score(&reveal), 100, "{title}: {}", reveal.explanation);
        }
    }
}

#[test]
fn the_diff_of_identical_texts_is_all_equal() {
    let reveal = reveal(without_model(), RACES, &reference(RACES));
    assert!(!reveal.diff.is_empty());
    assert!(reveal.diff.iter().all(|op| op.tag == DiffTag::Equal));
}

#[test]
fn a_changed_word_is_deleted_from_the_answer_and_inserted_from_the_reference() {
    let changed = reference(RACES).replace("simple counters", "plain counters");
    let reveal = reveal(without_model(), RACES, &changed);
    let ops: Vec<(DiffTag, &str)> = reveal
        .diff
        .iter()
        .filter(|op| op.tag != DiffTag::Equal)
        .map(|op| (op.tag, op.text.as_str()))
        .collect();
    assert_eq!(
        ops,
        [(DiffTag::Delete, "plain"), (DiffTag::Insert, "simple")]
    );
}

#[test]
fn an_empty_reference_says_so_and_the_answer_stands_on_its_own() {
    for library in [with_model(), without_model()] {
        let reveal = reveal(
            library,
            "What do you know about GO in market trading operations",
            "Low latency matters: Go's goroutines handle many market feeds at once.",
        );
        assert!(reveal.reference_empty);
        assert_eq!(reveal.score, None);
        assert!(reveal.ideas.is_empty() && reveal.key_terms.is_empty());
        assert!(
            reveal.explanation.contains("reference answer is empty"),
            "{}",
            reveal.explanation
        );
    }
}

#[test]
fn goroutines_in_the_answer_count_for_the_key_term_goroutine_in_any_case() {
    for answer in [
        "Many goroutines share few threads.",
        "Many GOROUTINE share few threads.",
    ] {
        let reveal = reveal(without_model(), GMP, answer);
        let goroutine = reveal
            .key_terms
            .iter()
            .find(|t| t.term == "goroutin")
            .expect("goroutine is a key term of the GMP card");
        assert!(goroutine.forms.iter().any(|f| f == "Goroutines"));
        assert!(goroutine.covered, "{answer}");
        let written = answer.split_whitespace().nth(1).unwrap();
        assert_eq!(goroutine.answer_forms, [written]);
        let marked: Vec<&str> = reveal
            .answer_marks
            .iter()
            .filter(|m| m.term == "goroutin")
            .map(|m| &answer[m.start..m.end])
            .collect();
        assert_eq!(marked, [written]);
    }
}

#[test]
fn sync_mutex_is_a_key_term_of_a_reference_that_mentions_it_and_is_marked_there() {
    let reveal = reveal(
        without_model(),
        RACES,
        "Lock the shared map with a SYNC.MUTEX.",
    );
    let mutex = reveal
        .key_terms
        .iter()
        .find(|t| t.term == "sync.mutex")
        .unwrap_or_else(|| panic!("sync.Mutex is a key term: {:#?}", reveal.key_terms));
    assert_eq!(mutex.forms, ["sync.Mutex"]);
    assert!(mutex.covered);
    assert_eq!(mutex.answer_forms, ["SYNC.MUTEX"]);
    let text = reference(RACES);
    let marked: Vec<&str> = reveal
        .reference_marks
        .iter()
        .filter(|m| m.term == "sync.mutex")
        .map(|m| &text[m.start..m.end])
        .collect();
    assert_eq!(marked, ["sync.Mutex"]);
    // The token is marked whole, not as `sync` and `Mutex`.
    assert!(
        reveal
            .reference_marks
            .windows(2)
            .all(|w| w[0].end <= w[1].start)
    );
}

#[test]
fn acks_all_counts_whether_written_whole_or_as_its_words() {
    for (answer, forms) in [
        ("Set acks=all on the producer.", vec!["acks=all"]),
        ("Set acks to all on the producer.", vec!["acks", "all"]),
    ] {
        let reveal = reveal(without_model(), KAFKA, answer);
        let acks = reveal
            .key_terms
            .iter()
            .find(|t| t.term == "acks=all")
            .unwrap_or_else(|| panic!("acks=all is a key term: {:#?}", reveal.key_terms));
        assert!(acks.covered, "{answer}");
        assert_eq!(acks.answer_forms, forms);
    }
    let reveal = reveal(without_model(), KAFKA, "Set acks on the producer.");
    assert!(
        !reveal
            .key_terms
            .iter()
            .find(|t| t.term == "acks=all")
            .unwrap()
            .covered
    );
}

#[test]
fn a_good_answer_beats_a_half_answer_which_beats_an_off_topic_one() {
    let good = reveal(with_model(), GMP, GMP_GOOD);
    let half = reveal(with_model(), GMP, GMP_HALF);
    let off = reveal(with_model(), GMP, "Use a mutex to protect shared state.");
    assert!(
        statuses(&good).iter().all(|s| *s == Coverage::Covered),
        "{:#?}",
        good.ideas
    );
    assert!(score(&good) >= 80, "{}", good.explanation);
    assert!((25..=65).contains(&score(&half)), "{}", half.explanation);
    assert_eq!(score(&off), 0, "{}", off.explanation);
    // The half answer names G and the M:N scheduling, not what M and P are.
    assert_eq!(idea(&half, "Concept").status, Coverage::Covered);
    assert_eq!(idea(&half, "G (Goroutine)").status, Coverage::Covered);
    assert_eq!(idea(&half, "M (Machine)").status, Coverage::Missed);
    assert_eq!(idea(&half, "P (Processor)").status, Coverage::Missed);
}

#[test]
fn a_paraphrase_scores_well_above_an_off_topic_answer_and_higher_by_meaning_than_by_words() {
    let paraphrase = reveal(with_model(), KAFKA, KAFKA_PARAPHRASE);
    let off = reveal(with_model(), KAFKA, "Goroutines are cheaper than threads.");
    assert!(score(&paraphrase) >= 60, "{}", paraphrase.explanation);
    assert_eq!(score(&off), 0);
    let by_words = reveal(without_model(), KAFKA, KAFKA_PARAPHRASE);
    assert!(
        score(&by_words) + 30 <= score(&paraphrase),
        "{} / {}",
        by_words.explanation,
        paraphrase.explanation
    );
}

#[test]
fn plural_singular_and_case_move_the_score_by_a_few_points_at_most() {
    let varied = GMP_GOOD
        .replace("goroutines", "goroutine")
        .replace("threads", "thread")
        .replace("tasks", "task")
        .to_uppercase();
    for library in [with_model(), without_model()] {
        let a = score(&reveal(library, GMP, GMP_GOOD));
        let b = score(&reveal(library, GMP, &varied));
        assert!(a.abs_diff(b) <= 5, "{a} and {b}");
    }
}

#[test]
fn key_terms_come_from_the_prose_before_the_names_of_a_code_example() {
    let reveal = reveal(without_model(), "What is Closure in GOlang", "");
    let terms: Vec<&str> = reveal.key_terms.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(terms.first(), Some(&"closur"), "{terms:?}");
    assert!(
        !terms.contains(&"x_name"),
        "the example's variable is no key term: {terms:?}"
    );
}

#[test]
fn the_explanation_gives_the_counts_the_score_was_reached_from() {
    let reveal = reveal(with_model(), GMP, GMP_HALF);
    let covered = statuses(&reveal)
        .iter()
        .filter(|s| **s == Coverage::Covered)
        .count();
    let terms = reveal.key_terms.iter().filter(|t| t.covered).count();
    let expected = format!("{covered} of 5 ideas covered",);
    assert!(
        reveal.explanation.starts_with(&expected),
        "{}",
        reveal.explanation
    );
    assert!(
        reveal
            .explanation
            .contains(&format!("{terms} of {} key terms", reveal.key_terms.len())),
        "{}",
        reveal.explanation
    );
    assert!(
        reveal
            .explanation
            .contains(&format!("= {}", score(&reveal))),
        "{}",
        reveal.explanation
    );
}

#[test]
fn headings_and_unknown_ids_are_refused() {
    let library = without_model();
    let heading = library
        .notes()
        .iter()
        .flat_map(|n| n.outline.iter())
        .find(|e| !e.is_card)
        .expect("the notes have module headings");
    assert!(matches!(
        library.reveal(&heading.id, Some("x")),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        library.reveal("golang-deltas.md#no-such-card", Some("x")),
        Err(Error::UnknownId(_))
    ));
}

#[test]
fn without_an_answer_the_latest_saved_draft_is_compared() {
    let (_data, library) = common::open(&[common::bundled_notes()]);
    let id = card_id(GMP);
    let nothing = library.reveal(&id, None).unwrap();
    assert_eq!(nothing.score, Some(0));

    library
        .save_draft(&id, "Goroutines run on threads.", SaveKind::Explicit)
        .unwrap();
    library
        .save_draft(&id, GMP_GOOD, SaveKind::Autosave)
        .unwrap();
    let from_draft = library.reveal(&id, None).unwrap();
    let given = library.reveal(&id, Some(GMP_GOOD)).unwrap();
    assert_eq!(from_draft.score, given.score);
    assert!(from_draft.score > Some(50));
}

#[test]
fn the_cli_prints_ideas_key_terms_and_score_and_says_when_it_judges_by_key_terms_alone() {
    let data = tempfile::tempdir().unwrap();
    let no_model = tempfile::tempdir().unwrap();
    let answer = data.path().join("answer.md");
    std::fs::write(&answer, "Set acks=all on the producer.").unwrap();
    let run = |json: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_rehearse"));
        command
            .arg("--notes")
            .arg(common::bundled_notes())
            .arg("--data")
            .arg(data.path())
            .args(["reveal", &card_id(KAFKA), "--answer"])
            .arg(&answer)
            .env("REHEARSE_MODEL_DIR", no_model.path());
        if json {
            command.arg("--json");
        }
        let output = command.output().expect("the CLI runs");
        assert!(output.status.success(), "{output:?}");
        (
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    let (text, warning) = run(false);
    assert_eq!(warning.lines().count(), 1, "{warning}");
    assert!(warning.contains("key terms alone"), "{warning}");
    assert!(text.contains("✓ Producer: Set acks=all"), "{text}");
    assert!(text.contains("✗ Consumer: Commit offsets"), "{text}");
    assert!(
        text.contains("Key terms:") && text.contains("✓acks=all"),
        "{text}"
    );
    assert!(text.contains("\nScore "), "{text}");

    let (json, _) = run(true);
    let value: serde_json::Value = serde_json::from_str(&json).expect("the output is JSON");
    assert_eq!(value["judgedBy"], "keyTermsOnly");
    assert_eq!(value["ideas"][0]["status"], "covered");
    assert!(value["score"].is_u64());
}

#[test]
fn compare_reads_the_answer_from_stdin_judges_it_by_meaning_and_embeds_no_section() {
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--notes")
        .arg(common::bundled_notes())
        .arg("--data")
        .arg(data.path())
        .args(["--json", "compare", &card_id(KAFKA)])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(KAFKA_PARAPHRASE.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(value["judgedBy"], "meaning", "{value}");
    let score = value["score"].as_u64().expect("a score");
    assert!(score > 0, "{value}");
    let ideas = value["ideas"].as_array().unwrap();
    assert!(!ideas.is_empty());
    for idea in ideas {
        assert!(
            idea["text"].is_string() && idea["status"].is_string(),
            "{idea}"
        );
        assert!(idea["similarity"].is_f64(), "{idea}");
    }
    assert!(ideas.iter().any(|i| i["status"] == "covered"), "{value}");
    let terms =
        value["covered"].as_array().unwrap().len() + value["missed"].as_array().unwrap().len();
    assert!(terms > 0, "{value}");
    assert!(value["diff"].as_array().is_some_and(|d| !d.is_empty()));
    // Judging one answer needs the model, not the whole library embedded.
    assert!(
        !data.path().join("vectors/sections.vectors").exists(),
        "compare embedded the library's sections"
    );
}

#[test]
fn compare_of_an_answer_file_prints_the_same_reveal_as_text() {
    let data = tempfile::tempdir().unwrap();
    let answer = data.path().join("answer.md");
    std::fs::write(&answer, GMP_HALF).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--notes")
        .arg(common::bundled_notes())
        .arg("--data")
        .arg(data.path())
        .args(["compare", &card_id(GMP), "--file"])
        .arg(&answer)
        .output()
        .expect("the CLI runs");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Key terms:") && text.contains("\nScore "),
        "{text}"
    );
    assert!(text.contains('✓') && text.contains('✗'), "{text}");
}

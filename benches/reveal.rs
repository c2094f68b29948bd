//! What a reveal costs: an answer of 300 and of 2,000 words compared with a
//! card of the bundled notes, by key terms alone (no model), by meaning the
//! first time (model just loaded: every idea and answer sentence embedded),
//! and by meaning again after one sentence of the answer changed (what the
//! practice view sees when it asked for the reveal at the last autosave).
//! Run with `cargo bench --bench reveal`.

use std::time::{Duration, Instant};

use rehearse::{Library, LibraryConfig};
use timing::{median, median_of, ms};

mod timing;

/// A card with a reference of several ideas (items, sentences and code).
const CARD: &str = "persistent-systems-golang.md#core-golang-concurrency/explain-the-gmp-model-goroutine-scheduler";
const RUNS: usize = 5;

fn main() {
    let data = tempfile::tempdir().expect("a temporary folder");
    let mut config = LibraryConfig::new(
        vec![LibraryConfig::bundled_notes_dir()],
        data.path().to_path_buf(),
    );
    config.model_dir = None;
    let words_only = Library::open(config.clone()).expect("the bundled notes open");
    let sentences = sentences_of(&words_only);
    let answers = [300, 2000].map(|words| answer(&sentences, words, 0));

    println!(
        "| answer | key terms only | by meaning, first reveal | by meaning, after a one-sentence edit |\n|---|---:|---:|---:|"
    );
    for (answer, words) in answers.iter().zip([300, 2000]) {
        let terms = median(RUNS, || {
            words_only.reveal(CARD, Some(answer)).expect("reveals");
        });
        let first = median_of_fresh(&config, answer);
        let library = with_model(&config);
        library.reveal(CARD, Some(answer)).expect("reveals");
        let mut edit = 0;
        let again = median(RUNS, || {
            edit += 1;
            let edited = format!("{answer} And one more thought, number {edit}.");
            library.reveal(CARD, Some(&edited)).expect("reveals");
        });
        println!(
            "| {words} words | {:.1} ms | {:.0} ms | {:.1} ms |",
            ms(terms),
            ms(first),
            ms(again)
        );
    }
}

/// Every sentence of the bundled notes' answers, to write answers from.
fn sentences_of(library: &Library) -> Vec<String> {
    library
        .cards()
        .filter(|card| card.id != CARD)
        .flat_map(|card| {
            card.answer
                .split(['.', '\n'])
                .map(str::trim)
                .filter(|s| s.split_whitespace().count() >= 6 && !s.contains('|'))
                .map(|s| format!("{s}."))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// About `words` words of whole sentences, starting at sentence `from`.
fn answer(sentences: &[String], words: usize, from: usize) -> String {
    let mut out = String::new();
    for sentence in sentences.iter().cycle().skip(from) {
        if out.split_whitespace().count() >= words {
            break;
        }
        out.push_str(sentence);
        out.push(if out.len().is_multiple_of(3) {
            '\n'
        } else {
            ' '
        });
    }
    out
}

fn with_model(config: &LibraryConfig) -> Library {
    let mut config = config.clone();
    config.model_dir = Some(
        rehearse::meaning::Embedder::default_dir()
            .expect("the model is installed: run scripts/setup"),
    );
    let library = Library::open(config).expect("the bundled notes open");
    library.load_model().expect("the model loads");
    library
}

/// The first reveal after the model loads, each time in a fresh library.
fn median_of_fresh(config: &LibraryConfig, answer: &str) -> Duration {
    median_of((0..RUNS).map(|_| {
        let library = with_model(config);
        let started = Instant::now();
        library.reveal(CARD, Some(answer)).expect("reveals");
        started.elapsed()
    }))
}

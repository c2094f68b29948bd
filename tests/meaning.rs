//! Search by meaning with the real model (models/all-minilm-l6-v2, fetched by
//! scripts/setup): paraphrases find their cards, the vectors on disk are reused,
//! and odd input does not break the embedder.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use rehearse::meaning::{Embedder, SectionText, SectionVectors, SyncReport};
use rehearse::notes::{Card, load_folders};
use tempfile::TempDir;

fn model_dir() -> PathBuf {
    Embedder::default_dir()
        .expect("the model is installed: run scripts/setup (or set REHEARSE_MODEL_DIR)")
}

fn embedder() -> &'static Embedder {
    static EMBEDDER: OnceLock<Embedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| Embedder::load(&model_dir()).expect("the model loads"))
}

fn cards() -> &'static [Card] {
    static CARDS: OnceLock<Vec<Card>> = OnceLock::new();
    CARDS.get_or_init(|| {
        let loaded = load_folders(&[common::bundled_notes()]).expect("the bundled notes load");
        loaded.notes.into_iter().flat_map(|n| n.cards).collect()
    })
}

fn sections(cards: &[Card]) -> Vec<SectionText<'_>> {
    cards
        .iter()
        .map(|c| SectionText {
            id: &c.id,
            title: &c.title,
            text: &c.text,
        })
        .collect()
}

fn sync(vectors: &mut SectionVectors, sections: &[SectionText<'_>]) -> SyncReport {
    vectors
        .sync(
            embedder(),
            sections,
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .expect("the vectors sync")
}

/// The bundled notes' vectors, built once for the tests of this binary.
fn bundled() -> &'static (TempDir, SectionVectors) {
    static BUNDLED: OnceLock<(TempDir, SectionVectors)> = OnceLock::new();
    BUNDLED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut vectors = SectionVectors::open(dir.path());
        let report = sync(&mut vectors, &sections(cards()));
        assert_eq!(report.embedded, cards().len());
        (dir, vectors)
    })
}

#[test]
fn reopened_vectors_are_reused_without_embedding_anything() {
    let (dir, built) = bundled();
    let file = dir.path().join("sections.vectors");
    let written = std::fs::metadata(&file)
        .expect("the vectors were saved")
        .modified()
        .unwrap();

    let mut reopened = SectionVectors::open(dir.path());
    assert_eq!(
        reopened.len(),
        built.len(),
        "every section's vectors were read back"
    );
    let report = sync(&mut reopened, &sections(cards()));
    assert_eq!(
        report,
        SyncReport {
            reused: cards().len(),
            ..SyncReport::default()
        },
        "an unchanged library embeds nothing"
    );
    let after = std::fs::metadata(&file).unwrap().modified().unwrap();
    assert_eq!(
        written, after,
        "nothing changed, so the file was not rewritten"
    );

    let query = embedder().embed_one("goroutine leaks").unwrap();
    assert_eq!(
        reopened.search(&query, 5),
        built.search(&query, 5),
        "the same answers as before"
    );
}

#[test]
fn changing_one_section_re_embeds_only_that_one_and_removed_sections_are_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let few = &cards()[..12];
    let mut vectors = SectionVectors::open(dir.path());
    assert_eq!(sync(&mut vectors, &sections(few)).embedded, 12);

    let edited = format!("{} Also: an edit the user just made.", few[3].text);
    let mut changed = sections(few);
    changed[3].text = &edited;
    changed.remove(7);
    let mut reopened = SectionVectors::open(dir.path());
    let report = sync(&mut reopened, &changed);
    assert_eq!(
        (report.embedded, report.reused, report.removed),
        (1, 10, 1),
        "only the edited section is embedded again; the dropped one is gone"
    );
    assert_eq!(
        SectionVectors::open(dir.path()).len(),
        11,
        "the change was saved"
    );
}

#[test]
fn cancelling_before_the_first_step_embeds_nothing_and_keeps_the_old_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let few = &cards()[..4];
    let mut vectors = SectionVectors::open(dir.path());
    sync(&mut vectors, &sections(&few[..2]));

    let mut seen = Vec::new();
    let report = vectors
        .sync(
            embedder(),
            &sections(few),
            &mut |done, total| seen.push((done, total)),
            &AtomicBool::new(true),
        )
        .unwrap();
    assert!(report.cancelled);
    assert_eq!((report.embedded, report.reused), (0, 2));
    assert_eq!(
        seen,
        vec![(0, 2)],
        "progress announced the work before stopping"
    );
    assert_eq!(SectionVectors::open(dir.path()).len(), 2);
}

#[test]
fn progress_counts_every_section_to_embed() {
    let dir = tempfile::tempdir().unwrap();
    let few = &cards()[..40];
    let mut seen = Vec::new();
    SectionVectors::open(dir.path())
        .sync(
            embedder(),
            &sections(few),
            &mut |done, total| seen.push((done, total)),
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(seen.first(), Some(&(0, 40)));
    assert_eq!(seen.last(), Some(&(40, 40)));
    assert!(
        seen.windows(2).all(|w| w[0].0 < w[1].0),
        "progress only moves forward"
    );
}

#[test]
fn a_sentence_is_its_own_closest_match_and_far_from_an_unrelated_one() {
    let vectors = embedder()
        .embed(&[
            "Goroutines are lightweight threads managed by the Go runtime.",
            "Goroutines are lightweight threads managed by the Go runtime.",
            "My grandmother bakes apple pie every Sunday.",
            "The Go scheduler multiplexes goroutines onto OS threads.",
        ])
        .unwrap();
    let same = vectors[0].similarity(&vectors[1]);
    let unrelated = vectors[0].similarity(&vectors[2]);
    let related = vectors[0].similarity(&vectors[3]);
    assert!((same - 1.0).abs() < 1e-4, "itself: {same}");
    assert!(
        unrelated < 0.2,
        "unrelated sentences score low (padding is not pooled): {unrelated}"
    );
    assert!(
        related > unrelated + 0.3,
        "related {related} vs unrelated {unrelated}"
    );
}

#[test]
fn texts_embedded_together_get_the_vectors_they_get_alone() {
    let texts = [
        "short",
        "a somewhat longer sentence about channels and select statements in Go",
        "",
        "mutex",
    ];
    let together = embedder().embed(&texts).unwrap();
    for (text, batched) in texts.iter().zip(&together) {
        let alone = embedder().embed_one(text).unwrap();
        assert!(
            alone.similarity(batched) > 0.9999,
            "{text:?}: padding a batch must not change a vector"
        );
    }
}

#[test]
fn empty_and_huge_texts_embed_without_panicking() {
    let huge = "Channels carry values between goroutines; ".repeat(2500);
    assert!(huge.len() > 100_000);
    let vectors = embedder().embed(&["", "   ", &huge]).unwrap();
    assert_eq!(vectors.len(), 3);
    for vector in &vectors {
        assert!(
            (vector.similarity(vector) - 1.0).abs() < 1e-4,
            "unit length, no NaN"
        );
    }
    assert!(embedder().embed(&[]).unwrap().is_empty());

    let passages = embedder().passages("Channels", &huge).unwrap();
    assert!(
        passages.len() > 100,
        "a long section is cut into many chunks"
    );
}

#[test]
fn a_long_line_is_cut_into_overlapping_chunks_of_whole_words() {
    let text: String = (0..600).map(|i| format!("word{i} ")).collect();
    let passages = embedder().passages("  Counting words  ", &text).unwrap();
    assert_eq!(passages[0].text, "Counting words");
    assert_eq!(passages[0].range, None, "the first passage is the title");
    let ranges: Vec<_> = passages[1..]
        .iter()
        .map(|p| p.range.clone().unwrap())
        .collect();
    assert!(ranges.len() >= 10, "{ranges:?}");
    assert_eq!(ranges[0].start, 0);
    assert_eq!(ranges.last().unwrap().end, text.trim_end().len());
    for pair in ranges.windows(2) {
        assert!(pair[1].start < pair[0].end, "neighbours overlap: {pair:?}");
        assert!(pair[1].start > pair[0].start);
    }
    for (passage, range) in passages[1..].iter().zip(&ranges) {
        assert_eq!(passage.text, text[range.clone()]);
        assert!(
            passage.text.starts_with("word") && !passage.text.ends_with(' '),
            "{:?} holds whole words",
            passage.text
        );
    }
}

#[test]
fn chunks_of_a_list_are_whole_lines() {
    let text: String = (0..40)
        .map(|i| {
            format!("- Bullet number {i} says something about channels, mutexes and ünïcödé 🧩.\n")
        })
        .collect();
    let passages = embedder().passages("A list", &text).unwrap();
    assert!(passages.len() > 3);
    for passage in &passages[1..] {
        let range = passage.range.clone().unwrap();
        assert!(passage.text.starts_with("- Bullet"), "{:?}", passage.text);
        assert!(passage.text.ends_with('.'), "{:?}", passage.text);
        assert!(range.end == text.len() - 1 || text[range.end..].starts_with('\n'));
    }
}

#[test]
fn a_short_section_is_one_chunk_and_an_empty_one_only_its_title() {
    let short = embedder()
        .passages("Title", "\n  A short answer.  \n")
        .unwrap();
    assert_eq!(short.len(), 2);
    assert_eq!(short[1].text, "A short answer.");
    assert_eq!(short[1].range, Some(3..18));
    assert_eq!(embedder().passages("Title", " \n").unwrap().len(), 1);
}

#[test]
fn loading_from_a_folder_without_the_model_says_what_is_missing() {
    let empty = tempfile::tempdir().unwrap();
    let error = Embedder::load(empty.path()).err().expect("nothing to load");
    assert_eq!(error.code(), "model");
    let message = error.to_string();
    assert!(
        message.contains("model.safetensors is missing"),
        "{message}"
    );
    assert!(
        message.contains("scripts/setup"),
        "says how to get it: {message}"
    );
}

#[test]
fn a_damaged_weights_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["tokenizer.json", "config.json"] {
        std::fs::copy(model_dir().join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(
        dir.path().join("model.safetensors"),
        b"not safetensors at all",
    )
    .unwrap();
    let error = Embedder::load(dir.path())
        .err()
        .expect("garbage weights do not load");
    assert_eq!(error.code(), "model", "{error}");
}

#[test]
fn vectors_of_another_model_are_not_reused() {
    let dir = tempfile::tempdir().unwrap();
    let few = &cards()[..3];
    sync(&mut SectionVectors::open(dir.path()), &sections(few));
    // Same weights, another config: a different fingerprint, as a different model would have.
    let other = tempfile::tempdir().unwrap();
    std::fs::copy(
        model_dir().join("model.safetensors"),
        other.path().join("model.safetensors"),
    )
    .unwrap();
    std::fs::copy(
        model_dir().join("tokenizer.json"),
        other.path().join("tokenizer.json"),
    )
    .unwrap();
    let config = std::fs::read_to_string(model_dir().join("config.json")).unwrap();
    let config = config.replacen('{', "{\"_comment\": \"another build\",", 1);
    std::fs::write(other.path().join("config.json"), config).unwrap();
    let other = Embedder::load(other.path()).unwrap();
    assert_ne!(other.fingerprint(), embedder().fingerprint());

    let report = SectionVectors::open(dir.path())
        .sync(
            &other,
            &sections(few),
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!((report.embedded, report.reused), (3, 0));
}

#[test]
fn the_embedder_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Embedder>();
    shareable::<SectionVectors>();
}

/// Paraphrases written without the target's words, and the card each should
/// find (any card whose title holds one of the parts counts).
#[test]
fn most_paraphrases_find_their_card_in_the_top_five() {
    let queries: &[(&str, &[&str])] = &[
        (
            "split one big database across several machines",
            &["concept of sharding"],
        ),
        (
            "a lighter alternative to virtual machines",
            &["docker vs. virtual machines"],
        ),
        ("stop forged requests from another site", &["prevent csrf"]),
        (
            "run only a few tasks at the same time and start the next when one ends",
            &["only 3 goroutines at a time"],
        ),
        (
            "automatically reclaiming memory nobody uses anymore",
            &["garbage collection"],
        ),
        (
            "a function that remembers variables from where it was created",
            &["closure"],
        ),
        (
            "keep the program alive after something blows up inside a function",
            &["panic defer"],
        ),
        (
            "two threads writing the same variable at once",
            &["data races"],
        ),
        (
            "give up on work when the caller stops waiting or time runs out",
            &["context used for"],
        ),
        ("what is your greatest flaw", &["biggest weakness"]),
        (
            "keep calm when time is short",
            &["stress and tight deadlines"],
        ),
        (
            "change the table layout of a live database safely",
            &["database migrations"],
        ),
        (
            "stop calling a failing service for a while",
            &["circuit breakers"],
        ),
        (
            "a queue with room for a fixed number of messages between sender and receiver",
            &["buffered vs. unbuffered"],
        ),
        (
            "block until every background job has finished",
            &["waitgroup", "wait for goroutine completion"],
        ),
        (
            "proving who you are versus what you are allowed to do",
            &["authentication vs"],
        ),
        (
            "relational tables or document stores, which to pick",
            &["sql and nosql"],
        ),
        ("install bundles of cluster apps from templates", &["helm"]),
        (
            "spread incoming traffic over many servers",
            &["load balancing"],
        ),
        (
            "a single deployable application versus many small services",
            &["monolith"],
        ),
    ];
    let mut ranks = Vec::new();
    for (query, parts) in queries {
        let query_vector = embedder().embed_one(query).unwrap();
        let hits = bundled().1.search(&query_vector, cards().len());
        let rank = hits.iter().position(|hit| {
            let card = cards().iter().find(|c| c.id == hit.id).unwrap();
            parts.iter().any(|p| card.title.to_lowercase().contains(p))
        });
        ranks.push(rank.expect("every card has vectors") + 1);
    }
    let top_five = ranks.iter().filter(|&&r| r <= 5).count();
    let mrr = ranks.iter().map(|&r| 1.0 / r as f64).sum::<f64>() / ranks.len() as f64;
    println!(
        "ranks {ranks:?}; top 5: {top_five}/{}; MRR {mrr:.3}",
        ranks.len()
    );
    assert!(top_five >= 16, "ranks {ranks:?}");
    assert!(mrr >= 0.65, "MRR {mrr:.3}, ranks {ranks:?}");
}

#[test]
fn new_sections_are_found_by_their_titles_before_their_bodies_are_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let few = &cards()[..12];
    let mut published: Vec<SectionVectors> = Vec::new();
    let mut vectors = SectionVectors::open(dir.path());
    let report = vectors
        .sync_publishing(
            embedder(),
            &sections(few),
            &mut |_, _| {},
            &AtomicBool::new(false),
            &mut |snapshot| published.push(snapshot.clone()),
        )
        .unwrap();
    assert_eq!(report.embedded, 12);
    let first = published
        .first()
        .expect("the titles were handed over first");
    assert_eq!(first.len(), 12, "every new section, by its title");
    assert_eq!(first.rows(), 12, "titles only: one passage each");
    let title = &few[5].title;
    let hits = first.search(&embedder().embed_one(title).unwrap(), 1);
    assert_eq!(hits[0].id, few[5].id, "{title} is found by its title");
    assert!(
        vectors.rows() > 12,
        "then the bodies: {} passages",
        vectors.rows()
    );

    // Stopped after the titles, the next start has them and embeds the rest.
    let dir = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(false);
    let mut stopped = SectionVectors::open(dir.path());
    let report = stopped
        .sync_publishing(
            embedder(),
            &sections(few),
            &mut |_, _| {},
            &cancel,
            &mut |_| cancel.store(true, std::sync::atomic::Ordering::Relaxed),
        )
        .unwrap();
    assert!(report.cancelled);
    assert_eq!(SectionVectors::open(dir.path()).len(), 12, "titles saved");
    let report = sync(&mut SectionVectors::open(dir.path()), &sections(few));
    assert_eq!(
        (report.embedded, report.reused),
        (12, 0),
        "a section stored by its title alone is embedded whole next time"
    );
}

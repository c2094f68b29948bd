//! Search by words and meaning together through `Library`, on the bundled
//! notes and the real model (installed by `scripts/setup`): questions asked in
//! other words find their cards, hits found by meaning alone say so, the
//! vectors are kept between starts, and without the model search goes on by
//! words.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

use common::{bundled_notes, copy_notes};
use rehearse::meaning::SyncReport;
use rehearse::{Library, LibraryConfig, MeaningStatus, SearchHit, SearchRequest};
use tempfile::TempDir;

fn config(notes: PathBuf, data: &TempDir) -> LibraryConfig {
    let config = LibraryConfig::new(vec![notes], data.path().to_path_buf());
    assert!(
        config.model_dir.is_some(),
        "the sentence-embedding model is not installed: run scripts/setup"
    );
    config
}

fn enable(library: &Library) -> SyncReport {
    library
        .enable_meaning(&mut |_, _| {}, &AtomicBool::new(false))
        .expect("the model loads")
}

/// One library on the bundled notes with meaning on, and its data folder,
/// shared by the tests.
fn shared() -> &'static (TempDir, Library) {
    static LIBRARY: OnceLock<(TempDir, Library)> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let data = tempfile::tempdir().unwrap();
        let library = Library::open(config(bundled_notes(), &data)).unwrap();
        enable(&library);
        (data, library)
    })
}

fn hybrid() -> &'static Library {
    &shared().1
}

fn hits(library: &Library, query: &str) -> Vec<SearchHit> {
    library
        .search_hybrid(&SearchRequest::new(query))
        .expect("search answers")
        .hits
}

fn assert_in_top_three(query: &str, title_part: &str) {
    let hits = hits(hybrid(), query);
    let titles: Vec<&str> = hits.iter().take(3).map(|h| h.title.as_str()).collect();
    assert!(
        titles.iter().any(|t| t.contains(title_part)),
        "{query:?} should find a card titled like {title_part:?} in the top 3, found {titles:?}"
    );
}

#[test]
fn splitting_one_big_database_across_several_machines_finds_the_sharding_card() {
    assert_in_top_three("split one big database across several machines", "sharding");
}

#[test]
fn a_lighter_alternative_to_virtual_machines_finds_docker_vs_virtual_machines() {
    assert_in_top_three(
        "a lighter alternative to virtual machines",
        "Docker vs. Virtual Machines",
    );
}

#[test]
fn stopping_forged_requests_from_another_site_finds_the_csrf_card() {
    assert_in_top_three("stop forged requests from another site", "CSRF");
}

#[test]
fn words_alone_miss_what_meaning_finds() {
    let by_words = common::search(hybrid(), "cap how many jobs execute together");
    let fused = hits(hybrid(), "cap how many jobs execute together");
    let wanted = |hits: &[SearchHit]| {
        hits.iter()
            .take(5)
            .any(|h| h.title.contains("run only 3 Goroutines at a time"))
    };
    assert!(!wanted(&by_words), "the words alone should not find it");
    assert!(wanted(&fused), "meaning should bring it into the top 5");
}

#[test]
fn a_hit_found_by_meaning_alone_says_so_and_shows_its_passage_unmarked() {
    let query = "cap how many jobs execute together";
    let by_words = common::ids(hybrid(), query);
    let fused = hits(hybrid(), query);
    let only_by_meaning: Vec<&SearchHit> = fused.iter().filter(|h| h.by_meaning).collect();
    assert!(
        !only_by_meaning.is_empty(),
        "some hit is found by meaning alone"
    );
    for hit in only_by_meaning {
        assert!(
            !by_words.contains(&hit.id),
            "{} was found by its words",
            hit.id
        );
        assert!(!hit.snippet.contains("<mark>"), "{}", hit.snippet);
        assert!(!hit.snippet.trim().is_empty());
    }
    for hit in fused.iter().filter(|h| !h.by_meaning) {
        assert!(by_words.contains(&hit.id), "{} is not marked", hit.id);
    }
}

#[test]
fn a_plain_query_keeps_its_best_match_by_words_near_the_top() {
    for query in ["goroutine", "sharding", "csrf", "waitgroup", "kafka"] {
        let best_by_words = common::search(hybrid(), query).remove(0).id;
        let fused = hits(hybrid(), query);
        assert!(
            fused.iter().take(3).any(|h| h.id == best_by_words),
            "{query:?}: meaning must not push the best match by words out of the top 3"
        );
    }
}

#[test]
fn filters_apply_to_hits_found_by_meaning_too() {
    let request = SearchRequest {
        note: Some("golang-deltas.md".into()),
        ..SearchRequest::new("split one big database across several machines")
    };
    let results = hybrid().search_hybrid(&request).unwrap();
    assert!(!results.hits.is_empty());
    assert!(results.hits.iter().all(|h| h.note == "golang-deltas.md"));

    let unknown = hybrid().search_hybrid(&SearchRequest {
        module: Some("no such module anywhere".into()),
        ..SearchRequest::new("database")
    });
    assert!(unknown.is_err(), "an unknown module is still an error");
}

#[test]
fn meaning_is_ready_once_enabled() {
    assert_eq!(hybrid().meaning_status(), MeaningStatus::Ready);
    assert!(hybrid().embedder().is_some());
}

#[test]
fn without_the_model_search_works_by_words_and_says_why() {
    let data = tempfile::tempdir().unwrap();
    let mut config = LibraryConfig::new(vec![bundled_notes()], data.path().to_path_buf());
    config.model_dir = None;
    let library = Library::open(config).unwrap();
    let MeaningStatus::Unavailable { reason } = library.meaning_status() else {
        panic!("meaning is not ready without the model");
    };
    assert!(reason.contains("not installed"), "{reason}");
    let error = library
        .enable_meaning(&mut |_, _| {}, &AtomicBool::new(false))
        .unwrap_err();
    assert_eq!(error.code(), "model");

    let query = "split one big database across several machines";
    let by_words: Vec<String> = common::search(&library, query)
        .into_iter()
        .map(|h| h.id)
        .collect();
    let fused: Vec<String> = hits(&library, query).into_iter().map(|h| h.id).collect();
    assert_eq!(fused, by_words);
}

#[test]
fn a_model_folder_with_its_files_missing_leaves_search_by_words() {
    let data = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let mut config = LibraryConfig::new(vec![bundled_notes()], data.path().to_path_buf());
    config.model_dir = Some(empty.path().to_path_buf());
    let library = Library::open(config).unwrap();
    let error = library
        .enable_meaning(&mut |_, _| {}, &AtomicBool::new(false))
        .unwrap_err();
    assert_eq!(error.code(), "model");
    assert!(matches!(
        MeaningStatus::failed(&error),
        MeaningStatus::Unavailable { .. }
    ));
    assert!(!hits(&library, "goroutine").is_empty());
}

#[test]
fn a_restart_reuses_every_vector_and_a_changed_note_re_embeds_only_its_sections() {
    let notes = copy_notes(&bundled_notes());
    let data = tempfile::tempdir().unwrap();
    let first = Library::open(config(notes.path().to_path_buf(), &data)).unwrap();
    let built = enable(&first);
    assert!(built.embedded > 100, "{built:?}");
    let sections = built.embedded;
    drop(first);

    let second = Library::open(config(notes.path().to_path_buf(), &data)).unwrap();
    let reopened = enable(&second);
    assert_eq!(reopened.embedded, 0, "{reopened:?}");
    assert_eq!(reopened.reused, sections);
    drop(second);

    let note = notes.path().join("step-by-step-go-backend.md");
    let mut text = std::fs::read_to_string(&note).unwrap();
    text.push_str(
        "\n\n## Bulkheads\n\nGive each dependency its own pool of connections and workers, so one slow or failing dependency cannot exhaust the resources every other request needs.\n",
    );
    std::fs::write(&note, text).unwrap();
    let third = Library::open(config(notes.path().to_path_buf(), &data)).unwrap();
    let changed = enable(&third);
    let of_that_note = third
        .sections()
        .iter()
        .filter(|s| &*s.note == "step-by-step-go-backend.md")
        .count();
    assert!(changed.embedded >= 1, "{changed:?}");
    assert!(
        changed.embedded <= of_that_note,
        "only sections of the edited note are embedded again: {changed:?}, the note has {of_that_note}"
    );
    assert!(
        hits(
            &third,
            "keep one broken downstream service from starving all the others"
        )
        .iter()
        .take(5)
        .any(|h| h.title.contains("Bulkheads")),
        "the new section is searchable by meaning"
    );
}

#[test]
fn a_reload_embeds_a_new_section_for_the_running_library() {
    let notes = copy_notes(&bundled_notes());
    let data = tempfile::tempdir().unwrap();
    let mut library = Library::open(config(notes.path().to_path_buf(), &data)).unwrap();
    enable(&library);
    std::fs::write(
        notes.path().join("resilience.md"),
        "# Resilience\n\n## What is a circuit breaker?\n\nAfter repeated failures, calls to a dependency fail fast for a while instead of waiting on timeouts, then a trial call checks whether it recovered.\n",
    )
    .unwrap();
    library.reload().unwrap();
    let found = hits(&library, "stop calling a service that keeps failing");
    assert!(
        found
            .iter()
            .take(3)
            .any(|h| h.title.contains("circuit breaker")),
        "{:?}",
        found.iter().map(|h| &h.title).collect::<Vec<_>>()
    );
}

#[test]
fn the_cli_searches_by_meaning_with_networking_off() {
    let data = tempfile::tempdir().unwrap();
    // The shared library's vectors: the CLI reuses them rather than embedding
    // every section again.
    let vectors = data.path().join("vectors");
    std::fs::create_dir_all(&vectors).unwrap();
    std::fs::copy(
        shared().0.path().join("vectors/sections.vectors"),
        vectors.join("sections.vectors"),
    )
    .unwrap();
    let output = Command::new("unshare")
        .args(["--net", "--"])
        .arg(env!("CARGO_BIN_EXE_rehearse"))
        .arg("--notes")
        .arg(bundled_notes())
        .arg("--data")
        .arg(data.path())
        .args(["search", "--meaning", "--limit", "3"])
        .arg("split one big database across several machines")
        .output()
        .expect("unshare (util-linux) runs the CLI in a network namespace of its own");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !stderr.contains("by words alone"),
        "the model loads offline: {stderr}"
    );
    assert!(stdout.to_lowercase().contains("sharding"), "{stdout}");
}

#[test]
fn a_page_in_two_folders_found_by_meaning_is_one_hit_that_names_its_copy() {
    let (v1, v2, data) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let page = "# Databases\n\n## Sharding\n\nSharding distributes rows across several database servers, each holding a subset.\n\n## Indexes\n\nAn index speeds up lookups on a column.\n";
    std::fs::write(v1.path().join("db.md"), page).unwrap();
    std::fs::write(v2.path().join("db.md"), page).unwrap();
    let mut config = config(v1.path().to_path_buf(), &data);
    config.notes_dirs.push(v2.path().to_path_buf());
    let library = Library::open(config).unwrap();
    let report = enable(&library);
    assert!(
        report.repeated > 0,
        "the copy's passages were not embedded again: {report:?}"
    );

    let hits = hits(&library, "split one big database across several machines");
    let sharding: Vec<&SearchHit> = hits.iter().filter(|h| h.title == "Sharding").collect();
    assert_eq!(sharding.len(), 1, "{hits:#?}");
    assert_eq!(sharding[0].copies.len(), 1, "{:#?}", sharding[0]);
    assert_ne!(sharding[0].copies[0], sharding[0].id);
}

#[cfg(target_os = "linux")]
#[test]
fn a_library_is_embedded_at_the_lowest_priority_so_the_windows_searches_come_first() {
    // SAFETY: getpriority only reads; 0 names the calling thread.
    let before = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    let data = tempfile::tempdir().unwrap();
    let library = Library::open(config(bundled_notes(), &data)).unwrap();
    let mut priorities = Vec::new();
    library
        .enable_meaning(
            &mut |_, _| {
                // SAFETY: as above.
                priorities.push(unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) });
            },
            &AtomicBool::new(false),
        )
        .expect("the model loads");
    assert!(
        !priorities.is_empty(),
        "progress was reported while embedding"
    );
    assert!(
        priorities.iter().all(|&nice| nice == 19),
        "the embedding ran at nice {priorities:?}"
    );
    // SAFETY: as above.
    let caller = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
    assert_eq!(caller, before, "the calling thread keeps its own priority");
}

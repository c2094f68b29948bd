//! Search as users expect it, on the bundled notes: typos, prefixes, stems,
//! code tokens, phrases, exclusions, filters, ranking and snippets.

mod common;

use common::{bundled, search};
use rehearse::SearchRequest;

/// The titles of the first `n` hits.
fn top(query: &str, n: usize) -> Vec<String> {
    search(bundled(), query)
        .into_iter()
        .take(n)
        .map(|h| h.title)
        .collect()
}

fn assert_top_has(query: &str, n: usize, wanted: &str) {
    let titles = top(query, n);
    assert!(
        titles
            .iter()
            .any(|t| t.to_lowercase().contains(&wanted.to_lowercase())),
        "{query:?}: no title with {wanted:?} in the top {n}: {titles:?}"
    );
}

#[test]
fn search_finds_goroutine_despite_typo() {
    let first = &top("gorutine", 1)[0];
    assert!(first.contains("Goroutine"), "{first}");
}

#[test]
fn the_last_word_matches_as_a_prefix_while_typing() {
    assert_top_has("gorou", 3, "goroutine");
    assert_top_has("wait for gorou", 1, "Wait For Goroutine Completion");
}

#[test]
fn a_finished_word_is_not_a_prefix() {
    assert_top_has("sel", 3, "Select");
    let finished = top("sel ", 10);
    assert!(
        finished.iter().all(|t| !t.contains("Select")),
        "{finished:?}"
    );
}

#[test]
fn typos_are_forgiven_in_either_direction() {
    // The notes say "Kubernetis" and "Concurency"; users type it right, or wrong another way.
    assert_top_has("kuberntes", 1, "Kubernetes");
    assert_top_has("kubernetes", 5, "Kubernetis");
    assert_top_has("concurrency", 5, "Concurency Primitives");
    assert_top_has("concurency", 2, "Concurency Primitives");
}

#[test]
fn stemming_matches_other_forms_of_a_word() {
    assert_top_has("migrations", 1, "database migrations");
    assert_top_has("migrating databases", 3, "migrations");
}

#[test]
fn code_tokens_find_their_sections() {
    assert_top_has("sync.WaitGroup", 3, "WaitGroup");
    assert_top_has("wg.Add", 3, "WaitGroup");
    assert_top_has("RWMutex", 3, "Map Synchronisation");
    assert_top_has("go test \"-race\"", 1, "Data Races");
    assert_top_has("acks=all", 1, "At-Least-Once");
}

#[test]
fn quoted_phrases_match_words_in_order_only() {
    assert_top_has("\"task distribution\"", 1, "Task distributions");
    assert!(
        top("\"distribution task\"", 5)
            .iter()
            .all(|t| !t.contains("Task distributions"))
    );
}

#[test]
fn minus_excludes_a_word() {
    let with = search(bundled(), "goroutine");
    assert!(with.iter().any(|h| h.title.contains("Thread")));
    let without = search(bundled(), "goroutine -thread");
    assert!(!without.is_empty());
    assert!(
        without
            .iter()
            .all(|h| !h.title.to_lowercase().contains("thread")),
        "{without:?}"
    );
}

#[test]
fn filters_keep_hits_in_one_note_or_module() {
    let library = bundled();
    let mut request = SearchRequest::new("goroutine");
    request.note = Some("sde2-notes.md".into());
    let hits = library.search(&request).unwrap().hits;
    assert!(!hits.is_empty() && hits.iter().all(|h| h.note == "sde2-notes.md"));

    let mut request = SearchRequest::new("docker");
    request.module = Some("module 3".into());
    let hits = library.search(&request).unwrap().hits;
    assert!(!hits.is_empty());
    assert!(
        hits.iter().all(
            |h| h.trail.first().is_some_and(|m| m.starts_with("Module 3"))
                || h.title.starts_with("Module 3")
        ),
        "{hits:?}"
    );
}

#[test]
fn titles_rank_above_bodies() {
    let hits = search(bundled(), "closure");
    assert!(
        hits[0].title.to_lowercase().contains("closure"),
        "{:?}",
        hits[0].title
    );
}

#[test]
fn each_card_is_one_hit() {
    let hits = bundled()
        .search(&SearchRequest {
            limit: 200,
            ..SearchRequest::new("go")
        })
        .unwrap()
        .hits;
    let mut ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
}

#[test]
fn snippets_mark_the_matched_words_and_escape_html() {
    let hits = search(bundled(), "unbuffered channel");
    let snippet = &hits[0].snippet;
    assert!(
        snippet.to_lowercase().contains("<mark>unbuffered</mark>"),
        "{snippet}"
    );
    // A section whose text has `<` in it (Go's `chan<- int`, `<-chan int`):
    // the snippet shows it escaped, and no tag but the marks.
    let hits = search(bundled(), "rouW chan");
    let snippet = &hits[0].snippet;
    assert!(snippet.contains("&lt;-"), "{snippet}");
    assert!(
        !snippet
            .replace("<mark>", "")
            .replace("</mark>", "")
            .contains('<'),
        "{snippet}"
    );
}

#[test]
fn any_string_whatsoever_gets_an_answer() {
    let long = "goroutine ".repeat(500);
    for query in [
        "\"unclosed",
        "AND OR (",
        "***",
        "",
        "   ",
        "-",
        "--",
        "\"\"",
        "🧩🌸",
        "a:b:c",
        "\\",
        "((((",
        &long,
    ] {
        let results = bundled().search(&SearchRequest::new(query));
        assert!(results.is_ok(), "{query:?}: {results:?}");
    }
}

#[test]
fn the_reader_gets_the_words_to_mark() {
    let results = bundled().search(&SearchRequest::new("gorutine")).unwrap();
    assert!(
        results.terms.contains(&"goroutine".to_string()),
        "{:?}",
        results.terms
    );
}

#[test]
fn module_text_before_its_first_question_is_searchable() {
    let (_data, library) = common::open(&[common::fixture("forms")]);
    let hits = search(&library, "netpoller");
    assert_eq!(hits[0].id, "headings.md#module-1-go");
    let hits = search(&library, "retention");
    assert_eq!(
        hits[0].id, "headings.md",
        "the note's opening text is a hit of the note"
    );
}

/// A library on notes written for one test.
fn library_of(notes: &[(&str, &str)]) -> (tempfile::TempDir, tempfile::TempDir, rehearse::Library) {
    let folder = tempfile::tempdir().unwrap();
    for (name, text) in notes {
        std::fs::write(folder.path().join(name), text).unwrap();
    }
    let (data, library) = common::open(&[folder.path().to_path_buf()]);
    (folder, data, library)
}

#[test]
fn a_typo_reaches_every_form_the_correct_spelling_reaches() {
    let correct = common::ids(bundled(), "goroutine ");
    let typo = common::ids(bundled(), "gorutine ");
    assert!(correct.len() > 10, "{correct:?}");
    let missed: Vec<&String> = correct.iter().filter(|id| !typo.contains(id)).collect();
    assert!(missed.is_empty(), "`gorutine` misses {missed:?}");
}

#[test]
fn filler_words_do_not_decide_what_is_found() {
    let (_notes, _data, library) = library_of(&[(
        "db.md",
        "# Databases\n## Sharding\nSplitting one database across machines by key.\n\
         ## Replication\nWhat is it? It is copying data; unlike sharding, every copy is whole.\n",
    )]);
    let hits = search(&library, "what is sharding");
    assert_eq!(hits[0].title, "Sharding", "{hits:?}");
    assert_eq!(hits.len(), 2);
}

#[test]
fn an_exclusion_always_excludes_even_a_flag_the_notes_contain() {
    let (_notes, _data, library) = library_of(&[(
        "go.md",
        "# Go\n## Finding data races\nRun `go test -race ./...` to find a race.\n\
         ## Table tests\nRun `go test ./...` with a table of cases.\n",
    )]);
    let titles = |query: &str| -> Vec<String> {
        search(&library, query)
            .into_iter()
            .map(|h| h.title)
            .collect()
    };
    assert_eq!(titles("go test -race"), ["Table tests"]);
    assert_eq!(titles("go test \"-race\""), ["Finding data races"]);
}

#[test]
fn names_with_symbols_are_searchable() {
    let (_notes, _data, library) = library_of(&[(
        "langs.md",
        "# Languages\n## C++ templates\nCompile-time generics.\n\
         ## C# records\nValue equality for classes.\n\
         ## .NET runtime\nThe CLR runs IL.\n\
         ## C basics\nThe C language has pointers.\n",
    )]);
    for (query, title) in [
        ("c++", "C++ templates"),
        ("C#", "C# records"),
        (".net", ".NET runtime"),
    ] {
        let hits = search(&library, query);
        assert_eq!(
            hits.iter().map(|h| h.title.as_str()).collect::<Vec<_>>(),
            [title],
            "{query}"
        );
    }
}

#[test]
fn an_unknown_module_or_note_filter_says_so_instead_of_finding_nothing() {
    let error = bundled()
        .search(&SearchRequest {
            module: Some("Kubernetes Deep Dive".into()),
            ..SearchRequest::new("pod")
        })
        .unwrap_err();
    assert_eq!(error.code(), "invalid_input");
    assert!(error.to_string().contains("No module"), "{error}");
    let error = bundled()
        .search(&SearchRequest {
            note: Some("no-such-note.md".into()),
            ..SearchRequest::new("pod")
        })
        .unwrap_err();
    assert_eq!(error.code(), "unknown_id");
}

#[test]
fn a_four_letter_typo_is_corrected_only_when_the_notes_lack_the_word() {
    let (_notes, _data, library) = library_of(&[(
        "go.md",
        "# Go\n## Mutex\nA mutex guards shared state.\n\
         ## Look ahead\nPeek at the next token.\n## Lock files\nA lock file pins versions.\n",
    )]);
    assert_eq!(search(&library, "mutx ")[0].title, "Mutex");
    let lock: Vec<String> = search(&library, "lock ")
        .into_iter()
        .map(|h| h.title)
        .collect();
    assert_eq!(
        lock,
        ["Lock files"],
        "`lock` is a word of the notes: no `look`"
    );
}

#[test]
fn the_matched_terms_include_the_forms_that_matched_by_their_stem() {
    let results = bundled().search(&SearchRequest::new("gorutine ")).unwrap();
    assert!(
        results.terms.iter().any(|t| t == "goroutines"),
        "the reader is told to mark `Goroutines` too: {:?}",
        results.terms
    );
}

#[test]
fn a_long_answer_s_snippet_marks_a_match_far_past_its_start() {
    let notes = tempfile::tempdir().unwrap();
    let filler = "The scheduler keeps every worker busy while requests arrive. ".repeat(400);
    assert!(filler.len() > 20_000);
    std::fs::write(
        notes.path().join("long.md"),
        format!(
            "# Long answers\n\n## How do services stay available?\n\n{filler}\n\nA circuitbreaker stops calls to a failing dependency.\n"
        ),
    )
    .unwrap();
    let (_data, library) = common::open(&[notes.path().to_path_buf()]);
    let hits = common::search(&library, "circuitbreaker");
    let hit = hits.first().expect("the long answer is found");
    assert!(
        hit.snippet.contains("<mark>circuitbreaker</mark>"),
        "the snippet shows the match, not the answer's opening: {}",
        hit.snippet
    );
}

#[test]
fn the_same_section_in_two_folders_is_one_hit_that_names_its_copy() {
    let (v1, v2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let page = "# Splatting\n\n## Short description\n\nSplatting passes a collection of parameter values to a command as a unit.\n";
    std::fs::write(v1.path().join("splatting.md"), page).unwrap();
    std::fs::write(v2.path().join("splatting.md"), page).unwrap();
    // The same heading with other words is not a copy.
    std::fs::write(
        v2.path().join("other.md"),
        "# Other\n\n## Short description\n\nSplatting, in another version, takes a hashtable of parameter values.\n",
    )
    .unwrap();
    let (_data, library) = common::open(&[v1.path().to_path_buf(), v2.path().to_path_buf()]);

    let results = library
        .search(&rehearse::SearchRequest::new("splatting parameter values"))
        .unwrap();
    assert_eq!(results.total, 2, "a copy is not counted as a result");
    let hits = results.hits;
    let short: Vec<&rehearse::SearchHit> = hits
        .iter()
        .filter(|h| h.title == "Short description")
        .collect();
    assert_eq!(
        short.len(),
        2,
        "the copy folded, the other page kept: {hits:#?}"
    );
    let folded = short
        .iter()
        .find(|h| !h.copies.is_empty())
        .expect("one hit carries the copy");
    assert_eq!(folded.copies.len(), 1);
    assert_ne!(folded.copies[0], folded.id);
    assert!(
        folded.copies[0].ends_with("splatting.md#short-description")
            && folded.id.ends_with("splatting.md#short-description"),
        "{folded:#?}"
    );
    assert!(
        short
            .iter()
            .any(|h| h.copies.is_empty() && h.id.contains("other.md"))
    );
}

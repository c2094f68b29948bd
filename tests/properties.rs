//! Any input, no panic: whatever a user types into search (and its filters) and
//! whatever bytes sit in a notes folder, the core answers or gives a clear error.
//!
//! Each property runs `REHEARSE_PROPTEST_CASES` cases (default [`CI_CASES`], a
//! few thousand in all, for CI). Proptest's own `PROPTEST_CASES` overrides both.
//! A long local run, in release as everything here:
//!
//! ```sh
//! REHEARSE_PROPTEST_CASES=100000 cargo test --release --test properties
//! ```
//!
//! The index property commits to disk on every case; with `TMPDIR=/dev/shm` it
//! runs about five times faster.
//!
//! A failure is shrunk and its seed saved in `tests/properties.proptest-regressions`,
//! which is replayed first on every later run: keep that file.

mod common;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{FileFailurePersistence, TestCaseError};
use regex::Regex;
use rehearse::{Library, LibraryConfig, Note, SearchRequest, notes, render};
use tempfile::TempDir;

/// Cases per property when nothing says otherwise: CI runs this binary in
/// well under a minute.
const CI_CASES: u32 = 500;

fn cases() -> u32 {
    std::env::var("REHEARSE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(CI_CASES)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // Beside this file; the default looks for a lib.rs above it and warns.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::with_cases(cases())
    }
}

// ---------------------------------------------------------------------------
// What people type

/// Words of the bundled notes, their typos, and text that looks like syntax of
/// other search engines.
const QUERY_WORDS: &[&str] = &[
    "goroutine",
    "gorutine",
    "gorou",
    "g",
    "go",
    "channel",
    "unbuffered",
    "sync.WaitGroup",
    "wg.Add",
    "wg.Add(1)",
    "RWMutex",
    "test",
    "-race",
    "acks=all",
    "kubernetes",
    "Kubernetis",
    "concurency",
    "migrations",
    "docker",
    "select",
    "thread",
    "a",
    "the",
    "Module",
    "module 3",
    "golang-deltas.md",
    "sde2-notes.md",
    "Q1:",
    "12.",
    "http://example.com/a?b=c",
    "./...",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p",
    "naïve",
    "café",
    "İstanbul",
    "ǅemal",
    "STRASSE",
    "straße",
    "ﬁle",
    "ΣΊΣΥΦΟΣ",
    "🧩",
    "🌸",
    "👨\u{200d}👩\u{200d}👧\u{200d}👦",
    "🏳\u{fe0f}\u{200d}🌈",
    "e\u{301}",
    "\u{301}",
    "\u{301}\u{302}\u{303}",
    "\u{200f}",
    "\u{202e}goroutine",
    "\u{200b}",
    "\u{feff}",
    "\u{0}",
    "\u{fffd}",
    "\u{10ffff}",
    "AND",
    "OR",
    "NOT",
    "~2",
    "^3",
    "title:go",
    "body:channel",
    "note:sde2-notes.md",
    "ðŸ§©",
    "â€™",
];

/// Characters that mean something to query parsers, ours or others'.
const OPERATORS: &[&str] = &[
    "-", "--", "---", "\"", "\"\"", "\"-", "-\"", ":", "::", "(", ")", "[", "]", "{", "}", "\\",
    "'", "`", "+", "*", "?", "-(", "<mark>", "</mark>", "&amp;", "<", ">", "&", "|", "||", "!",
];

/// What sits between words: Unicode has many whitespaces, several of them
/// more than one byte in UTF-8.
const SEPARATORS: &[&str] = &[
    "", " ", " ", " ", "  ", "\t", "\n", "\r\n", "\r", "\u{a0}", "\u{3000}", "\u{2028}", "\u{85}",
    "\u{2009}",
];

/// Units of very long tokens, around and far past the analyzers' length limits.
const LONG_UNITS: &[&str] = &[
    "a", "é", "🧩", "go.", "-", "(", "\"", "x-", "ab_", "\u{301}", "9",
];

fn query_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => select(QUERY_WORDS).prop_map(str::to_string),
        3 => select(OPERATORS).prop_map(str::to_string),
        2 => any::<String>(),
        1 => "[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{1,4}",
        1 => any::<char>().prop_map(String::from),
        1 => (select(LONG_UNITS), 20usize..400).prop_map(|(unit, n)| unit.repeat(n)),
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => any::<String>(),
        4 => prop::collection::vec((query_piece(), select(SEPARATORS)), 0..14)
            .prop_map(|parts| parts.into_iter().map(|(p, s)| p + s).collect()),
    ]
}

/// A filter as the UI or a hand-written CLI call might send it.
fn filter(known: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        select(known).prop_map(|f| Some(f.to_string())),
        query().prop_map(Some),
    ]
}

const NOTE_IDS: &[&str] = &[
    "",
    " ",
    "sde2-notes.md",
    "golang-deltas.md",
    "SDE2-NOTES.MD",
    "golang-deltas.md#module-1-golang",
    "../etc/passwd",
];

const MODULES: &[&str] = &[
    "",
    " ",
    "m",
    "module 3",
    "Module 1: Golang",
    "1. Core Golang & Concurrency",
    "MODULE",
    ":",
    "İ",
];

/// Searches and checks the answer: results within the limit, hits that name
/// sections the library has, snippets that are escaped text with `<mark>` only.
fn answers(library: &Library, request: &SearchRequest) -> Result<(), TestCaseError> {
    let results = match library.search(request) {
        Ok(results) => results,
        Err(e) => {
            // A filter naming no note or module is told apart; nothing else fails.
            let clear = match e.code() {
                "invalid_input" => true,
                "unknown_id" => request.note.is_some(),
                _ => false,
            };
            prop_assert!(clear, "{}: {}", e.code(), e);
            prop_assert!(!e.to_string().is_empty());
            return Ok(());
        }
    };
    prop_assert!(results.hits.len() <= request.limit.clamp(1, 200));
    prop_assert!(results.total >= results.hits.len());
    for hit in &results.hits {
        prop_assert!(
            library.anchor(&hit.id).is_ok(),
            "a hit names a section the library does not have: {:?}",
            hit.id
        );
        if let Some(note) = request.note.as_deref().filter(|n| !n.is_empty()) {
            prop_assert_eq!(&hit.note, note);
        }
        let text = hit.snippet.replace("<mark>", "").replace("</mark>", "");
        prop_assert!(
            !text.contains(['<', '>', '"']),
            "unescaped HTML in a snippet: {:?}",
            hit.snippet
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_query_string_gets_an_answer_and_never_a_panic(query in query()) {
        answers(common::bundled(), &SearchRequest::new(query))?;
    }

    #[test]
    fn any_filters_and_limit_get_an_answer_and_never_a_panic(
        query in query(),
        note in filter(NOTE_IDS),
        module in filter(MODULES),
        limit in prop_oneof![0usize..=250, any::<usize>()],
    ) {
        answers(common::bundled(), &SearchRequest { query, limit, note, module })?;
    }
}

#[test]
fn hostile_queries_get_an_answer() {
    let kb100 = 100 * 1024;
    let hostile = [
        "(".repeat(kb100),
        ")".repeat(kb100),
        "\"".repeat(kb100),
        "-".repeat(kb100),
        "- ".repeat(kb100 / 2),
        "-\"".repeat(kb100 / 2),
        "[".repeat(kb100),
        "a".repeat(1024 * 1024),
        "goroutine".repeat(1024 * 1024 / 9),
        "é".repeat(512 * 1024),
        "a ".repeat(kb100 / 2),
        "gorou ".repeat(kb100 / 6),
        "\0".to_string(),
        "go\0routine \0 \0\0".to_string(),
        "\u{301}".to_string(),
        "\u{301}".repeat(kb100),
        "\u{200f}goroutine\u{200f}".to_string(),
        "\u{202e}\u{202d}\u{202c}".to_string(),
        "👩\u{200d}💻 👨\u{200d}👩\u{200d}👧\u{200d}👦 🏳\u{fe0f}\u{200d}🌈".to_string(),
        "\u{200d}".repeat(kb100),
        "\u{3000}\u{a0}\u{2028}".repeat(1000),
        "İ".repeat(1000),
        "\u{10ffff}\u{fffe}\u{e000}".to_string(),
    ];
    let library = common::bundled();
    for query in &hostile {
        let shown: String = query.chars().take(40).collect();
        for request in [
            SearchRequest::new(query.clone()),
            SearchRequest {
                note: Some(query.clone()),
                module: Some(query.clone()),
                limit: usize::MAX,
                ..SearchRequest::new("goroutine")
            },
        ] {
            if let Err(e) = answers(library, &request) {
                panic!("{shown:?}… ({} bytes): {e}", query.len());
            }
        }
    }
}

// ---------------------------------------------------------------------------
// What sits in a notes folder

const TITLES: &[&str] = &[
    "What is a goroutine?",
    "Goroutine vs Thread",
    "TODO",
    "todo",
    "Module 1: Golang",
    "**Q1: Explain the GMP Model**",
    "**1. Core Golang**",
    "12. What is a rune?",
    "Q3:",
    "1.",
    "12)",
    "🧩Challenges",
    "ðŸ§©Challenges",
    "Donâ€™t",
    "",
    "   ",
    "*",
    "**",
    "_x_",
    "`code`",
    "[link](http://x)",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "Café",
    "e\u{301}",
    "\u{202e}evil",
    "👩\u{200d}💻 Dev",
    "#",
    "##",
    "\\#",
    "same",
    "Same",
    "SAME!",
    "same?",
    "same 2",
    "same-2",
    "a\u{a0}b",
    "\u{3000}",
];

const PROSE: &[&str] = &[
    "goroutine",
    "Goroutines",
    "channel",
    "unbuffered",
    "sync.WaitGroup",
    "wg.Add(1)",
    "go",
    "test",
    "-race",
    "acks=all",
    "Kubernetis",
    "migrations",
    "the",
    "a",
    "is",
    "**bold**",
    "_em_",
    "`code`",
    "~~gone~~",
    "[x](javascript:alert(1))",
    "<https://example.com>",
    "www.example.com",
    "<span onclick=\"x()\">",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "[^1]",
    "\\",
    "|",
    "İ",
    "ß",
    "🧩",
    "👨\u{200d}👩\u{200d}👧",
    "ðŸ§©",
    "â€™",
    "Ã©",
    "â€",
    "\u{301}",
    "\u{200f}",
    "\u{0}",
    "\u{fffd}",
];

const LANGUAGES: &[&str] = &[
    "",
    "go",
    "golang",
    "dockerfile",
    "yaml",
    "yml",
    "sh",
    "bash",
    "rust",
    "rs",
    "python",
    "ts",
    "json",
    "sql",
    "html",
    "c",
    "cpp",
    "java",
    "markdown",
    "nosuchlanguage",
    "go,linenos",
    "{.go}",
    " go extra",
    "🧩",
    "<script>",
    "\"",
];

const CODE: &[&str] = &[
    "# Step 1: build\nFROM golang:1.22 AS build\nRUN go build ./...",
    "func main() {\n\tvar wg sync.WaitGroup\n\twg.Add(1)\n}",
    "key: [unclosed\n  - \"quote",
    "#!/bin/sh\necho \"$((1 +\"",
    "/* unclosed comment",
    "\"unclosed string",
    "r#\"raw",
    "<script>alert(1)</script>",
    "```",
    "```go",
    "",
];

const HTML: &[&str] = &[
    "<details><summary>Answer</summary>\n\nHidden **text**\n\n</details>",
    "<div>",
    "</div>",
    "<script>window.pwned = 1</script>",
    "<img src=x onerror=\"alert(1)\">",
    "<!-- comment",
    "-->",
    "<table><tr><td>cell",
    "<pre>\n# not a heading\n</pre>",
    "<h2 id=\"x\">raw heading</h2>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<style>*{display:none}</style>",
    "<kbd>Ctrl</kbd>",
    "<![CDATA[x]]>",
    "<?php ?>",
];

const LIST_MARKERS: &[&str] = &[
    "- ", "* ", "+ ", "1. ", "2) ", "- [ ] ", "- [x] ", "  - ", "    - ", "> ", "> > ", ">",
    "- > ", "1. - ",
];

const LINE_ENDS: &[&str] = &["\n", "\n", "\n\n", "\r\n", "\r", "  \n", "\\\n"];

fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(TITLES).prop_map(str::to_string),
        2 => (select(TITLES), select(TITLES)).prop_map(|(a, b)| format!("{a} {b}")),
        1 => any::<String>().prop_map(|s| s.replace(['\n', '\r'], " ")),
    ]
}

fn prose() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec((select(PROSE), select(SEPARATORS)), 1..60)
            .prop_map(|parts| parts.into_iter().map(|(w, s)| format!("{w}{s}")).collect()),
        1 => any::<String>(),
    ]
}

fn block() -> impl Strategy<Value = String> {
    let fence = select(vec!["```", "~~~", "````", "```"]);
    prop_oneof![
        6 => (1usize..=6, title()).prop_map(|(level, t)| format!("{} {t}", "#".repeat(level))),
        1 => (0usize..5, 1usize..=8, title())
            .prop_map(|(indent, level, t)| format!("{}{}{t}", " ".repeat(indent), "#".repeat(level))),
        1 => (title(), select(vec!["===", "---", "-", "= ="]))
            .prop_map(|(t, line)| format!("{t}\n{line}")),
        3 => (1u32..30, title(), proptest::option::of(prose())).prop_map(|(n, t, answer)| {
            let answer = answer.map(|a| format!("\n{a}")).unwrap_or_default();
            format!("**{n}. {t}**{answer}")
        }),
        1 => title().prop_map(|t| format!("**{t}?**")),
        2 => (1u32..9, title()).prop_map(|(n, t)| format!("## Module {n}: {t}")),
        2 => (1u32..30, title()).prop_map(|(n, t)| format!("### **Q{n}: {t}**")),
        1 => (1u32..9, title()).prop_map(|(n, t)| format!("## **{n}. {t}**")),
        2 => select(vec!["---", "***", "- - -", "___", "## TODO", "# TODO"]).prop_map(str::to_string),
        1 => title().prop_map(|t| format!("---\ntitle: {t}\n---")),
        2 => (fence.clone(), select(LANGUAGES), prop_oneof![select(CODE).prop_map(str::to_string), any::<String>()], any::<bool>())
            .prop_map(|(fence, lang, code, closed)| {
                let end = if closed { fence } else { "" };
                format!("{fence}{lang}\n{code}\n{end}")
            }),
        1 => (title(), title(), 0usize..4).prop_map(|(a, b, rows)| {
            let mut table = format!("| {a} | {b} |\n|---|:-:|");
            for _ in 0..rows {
                table.push_str(&format!("\n| {b} | {a} | extra |"));
            }
            table
        }),
        2 => select(HTML).prop_map(str::to_string),
        3 => (select(LIST_MARKERS), prose()).prop_map(|(marker, text)| format!("{marker}{text}")),
        1 => title().prop_map(|t| format!("> ## {t}")),
        1 => prose().prop_map(|t| format!("[^1]: {t}")),
        6 => prose(),
        1 => Just(String::new()),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec((block(), select(LINE_ENDS)), 0..40)
        .prop_map(|blocks| blocks.into_iter().map(|(b, end)| b + end).collect())
}

/// Bytes as they are found on disk: markdown in several encodings, damaged
/// markdown, and anything at all.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..4096),
        4 => markdown().prop_map(String::into_bytes),
        1 => markdown().prop_map(|m| [&b"\xEF\xBB\xBF"[..], m.as_bytes()].concat()),
        1 => markdown().prop_map(|m| {
            let mut bytes = vec![0xFF, 0xFE];
            bytes.extend(m.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }),
        1 => markdown().prop_map(|m| {
            let mut bytes = vec![0xFE, 0xFF];
            bytes.extend(m.encode_utf16().flat_map(u16::to_be_bytes));
            bytes
        }),
        // Latin-1 as Windows-1252 editors save it; the rest replaced by `?`.
        1 => markdown().prop_map(|m| m.chars().map(|c| u8::try_from(c).unwrap_or(b'?')).collect()),
        2 => (markdown(), prop::collection::vec((any::<Index>(), any::<u8>()), 1..8)).prop_map(
            |(m, damage)| {
                let mut bytes = m.into_bytes();
                if !bytes.is_empty() {
                    for (at, byte) in damage {
                        let i = at.index(bytes.len());
                        bytes[i] = byte;
                    }
                }
                bytes
            }
        ),
        // Cut short mid-character, as an interrupted save leaves a file.
        1 => (markdown(), any::<Index>()).prop_map(|(m, at)| {
            let mut bytes = m.into_bytes();
            bytes.truncate(at.index(bytes.len() + 1));
            bytes
        }),
    ]
}

const NOTE_FILE: &str = "note.md";

/// Loads `folder` (which holds [`NOTE_FILE`]) and checks what a note must be:
/// every card with a non-empty id of its own, found in the outline and as an
/// anchor of the rendered note, and the HTML free of anything that runs.
fn loads(folder: &Path) -> Result<Option<Note>, TestCaseError> {
    let loaded = notes::load_folders(&[folder.to_path_buf()])
        .map_err(|e| TestCaseError::fail(format!("loading failed: {e}")))?;
    prop_assert!(loaded.notes.len() <= 1);
    let Some(note) = loaded.notes.into_iter().next() else {
        prop_assert!(
            loaded.warnings.iter().any(|w| w.path.ends_with(NOTE_FILE)),
            "a skipped file is named in a warning"
        );
        return Ok(None);
    };
    prop_assert_eq!(&note.id, NOTE_FILE);
    let mut ids = std::collections::HashSet::new();
    for card in &note.cards {
        prop_assert_eq!(&card.note, &note.id);
        prop_assert!(
            card.id.len() > NOTE_FILE.len() + 1 && card.id.starts_with("note.md#"),
            "card id {:?}",
            card.id
        );
        prop_assert!(
            ids.insert(card.id.as_str()),
            "duplicate card id {:?}",
            card.id
        );
        prop_assert!(
            note.outline.iter().any(|e| e.id == card.id && e.is_card),
            "card {:?} is not in the outline",
            card.id
        );
        prop_assert!(note.anchor(&card.id).is_some());
        prop_assert_eq!(card.empty, card.answer.is_empty());
        prop_assert!(
            card.text.trim().is_empty() || !card.answer.is_empty(),
            "card {:?} has searchable text {:?} but no answer",
            card.id,
            card.text
        );
        let html = render::card_to_html(card);
        safe(&html)?;
    }
    let mut outline_ids = std::collections::HashSet::new();
    for entry in &note.outline {
        prop_assert!(!entry.id.is_empty());
        prop_assert!(
            outline_ids.insert(entry.id.as_str()),
            "duplicate outline id {:?}",
            entry.id
        );
    }
    let html = render::note_to_html(&note);
    safe(&html)?;
    // An unclosed tag in raw HTML swallows the next heading's tag as its
    // attributes, anchor included: anchors are checked where there is none.
    let raw_html = note.source.contains('<');
    for card in note.cards.iter().filter(|_| !raw_html) {
        let anchor = format!("id=\"{}\"", card.id);
        prop_assert!(
            html.contains(&anchor),
            "no anchor for card {:?} in {}",
            card.id,
            html
        );
    }
    Ok(Some(note))
}

/// Nothing in the HTML runs: no script or style element, no event handler, no
/// `javascript:` URL. Text is escaped, so every `<` left opens a real tag.
fn safe(html: &str) -> Result<(), TestCaseError> {
    static HANDLER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\son[a-z]+\s*=").expect("a valid regex"));
    static SCRIPT_URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"=\s*["']?\s*(javascript|vbscript|data):"#).expect("a valid regex")
    });
    for tag in html.split('<').skip(1) {
        let tag = tag[..tag.find('>').unwrap_or(tag.len())].to_lowercase();
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next();
        prop_assert!(
            !matches!(
                name,
                Some("script" | "style" | "iframe" | "object" | "embed")
            ),
            "<{}> survived in {}",
            tag,
            html
        );
        prop_assert!(
            !SCRIPT_URL.is_match(&tag) && !HANDLER.is_match(&tag),
            "<{}> survived in {}",
            tag,
            html
        );
    }
    Ok(())
}

/// One folder for the cases of a property, the note rewritten for each case.
fn folder() -> TempDir {
    tempfile::tempdir().expect("a temp dir")
}

fn write_note(folder: &Path, bytes: &[u8]) {
    std::fs::write(folder.join(NOTE_FILE), bytes).expect("the note is written");
}

#[test]
fn any_bytes_as_a_note_file_load_and_render_without_a_panic() {
    let dir = folder();
    proptest!(config(), |(bytes in file_bytes())| {
        write_note(dir.path(), &bytes);
        loads(dir.path())?;
    });
}

#[test]
fn any_markdown_gives_every_card_a_unique_id_and_an_anchor() {
    let dir = folder();
    proptest!(config(), |(text in markdown())| {
        write_note(dir.path(), text.as_bytes());
        let note = loads(dir.path())?;
        // A NUL near the start marks a binary file, whatever else it holds.
        let head = &text.as_bytes()[..text.len().min(8192)];
        prop_assert!(note.is_some() || head.contains(&0), "text is taken for a binary file");
    });
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_markdown_renders_to_safe_html_without_a_panic(
        text in prop_oneof![markdown(), any::<String>()],
    ) {
        safe(&render::markdown_to_html(&text))?;
    }
}

/// A library on a folder of one note, reloaded for each case: a real index,
/// re-indexed the way the app does when a watched file changes.
struct OneNoteLibrary {
    notes: TempDir,
    _data: TempDir,
    library: Library,
}

impl OneNoteLibrary {
    fn new() -> Self {
        let notes = folder();
        let data = folder();
        let library = Library::open(LibraryConfig::new(
            vec![notes.path().to_path_buf()],
            data.path().to_path_buf(),
        ))
        .expect("the library opens");
        OneNoteLibrary {
            notes,
            _data: data,
            library,
        }
    }

    fn notes_dir(&self) -> PathBuf {
        self.notes.path().to_path_buf()
    }
}

#[test]
fn any_note_is_indexed_and_searched_without_a_panic() {
    let shared = RefCell::new(OneNoteLibrary::new());
    proptest!(config(), |(bytes in file_bytes(), pick in any::<Index>(), query in query())| {
        let mut shared = shared.borrow_mut();
        write_note(&shared.notes_dir(), &bytes);
        shared
            .library
            .reload()
            .map_err(|e| TestCaseError::fail(format!("reloading failed: {e}")))?;
        let library = &shared.library;
        // Words of the note itself find it, so its sections are snippeted.
        let words: Vec<String> = library
            .cards()
            .flat_map(|c| c.text.split_whitespace().chain(c.title.split_whitespace()))
            .map(str::to_string)
            .collect();
        let mut queries = vec![query];
        if !words.is_empty() {
            let word = pick.get(&words);
            queries.push(word.clone());
            queries.push(format!("{word} "));
            queries.push(format!("\"{word} {}\"", words[(pick.index(words.len()) + 1) % words.len()]));
        }
        for query in queries {
            answers(library, &SearchRequest::new(query))?;
        }
    });
}

#[test]
fn hostile_notes_load_render_and_search() {
    let kb100 = 100 * 1024;
    let hostile: Vec<(&str, String)> = vec![
        ("parens", "(".repeat(kb100)),
        ("brackets", "[".repeat(kb100)),
        ("stars", "*".repeat(kb100)),
        ("underscores", "_".repeat(kb100)),
        ("backticks", "`".repeat(kb100)),
        ("angles", "<".repeat(kb100)),
        // Nesting stays at thousands of levels: sanitizing the HTML takes time
        // quadratic in its depth (51,200 blockquotes took over a minute).
        ("quotes", "> ".repeat(2_000)),
        ("quote-lines", "> a\n".repeat(kb100 / 4)),
        ("lists", "- ".repeat(kb100 / 2)),
        ("ordered", "1. ".repeat(kb100 / 3)),
        ("divs", "<div>".repeat(2_000)),
        ("hashes", "#".repeat(kb100)),
        (
            "long-heading",
            format!("## {}\nanswer\n", "module".repeat(kb100 / 6)),
        ),
        (
            "long-module",
            format!("## Module 1: {}\n### Q?\nA.\n", "x".repeat(kb100)),
        ),
        ("one-word", "a".repeat(1024 * 1024)),
        ("many-headings", "## q\n".repeat(kb100 / 5)),
        ("many-bold", "**1. q?**\n\n".repeat(kb100 / 12)),
        ("fences", "```\n".repeat(kb100 / 4)),
        (
            "table",
            format!("| a |\n|---|\n{}", "| b |\n".repeat(kb100 / 6)),
        ),
        ("crs", "## Q?\rAnswer\r## R?\rMore\r".repeat(100)),
        ("combining", format!("## e{}\n", "\u{301}".repeat(kb100))),
        (
            "rtl",
            "## \u{202e}Question?\u{202c}\n\u{200f}answer\u{200f}\n".to_string(),
        ),
        (
            "zwj",
            format!("## 👨\u{200d}👩\u{200d}👧\n{}\n", "\u{200d}".repeat(kb100)),
        ),
        ("nul", "## Q\0?\nA\0\n".to_string()),
        (
            "nbsp",
            format!("## Q?\n{} goroutine\n", "word\u{a0}".repeat(100)),
        ),
    ];
    let dir = folder();
    for (name, text) in &hostile {
        std::fs::write(dir.path().join(format!("{name}.md")), text).expect("written");
    }
    let (_data, library) = common::open(&[dir.path().to_path_buf()]);
    let lone_crs = library.note("crs.md").expect("loaded");
    assert!(
        lone_crs.cards.iter().all(|c| !c.empty),
        "{:?}",
        lone_crs.cards
    );
    for note in library.notes() {
        let html = library.render(&note.id).expect("the note renders");
        safe(&html).unwrap_or_else(|e| panic!("{}: {e}", note.id));
        for card in note.cards.iter().take(100) {
            library.render(&card.id).expect("the card renders");
        }
    }
    for query in [
        "goroutine",
        "module",
        "a",
        "q",
        "e",
        "answer",
        "xxxx",
        "word",
    ] {
        answers(&library, &SearchRequest::new(query)).unwrap_or_else(|e| panic!("{query}: {e}"));
    }
}

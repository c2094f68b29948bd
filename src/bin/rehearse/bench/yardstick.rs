//! Rehearse's search beside the alternatives a user would reach for — SQLite
//! FTS5 (bm25 over the same sections) and a regex scan of the same text —
//! measured in one run and reported as ratios.
//!
//! The FTS5 baseline lives in the CLI, not in the core: it is a yardstick,
//! and the user's database never holds it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rehearse::notes;
use rehearse::{Error, Library, LibraryConfig, Result, SearchRequest};

/// Queries a person preparing for interviews types, across the bundled notes
/// and the public corpora (system design, interview handbook, Rust book,
/// PowerShell docs).
pub const QUERIES: [&str; 20] = [
    "goroutine",
    "channel buffer",
    "sync.WaitGroup",
    "load balancer",
    "consistent hashing",
    "binary search tree",
    "linked list",
    "ownership borrowing",
    "lifetimes",
    "trait objects",
    "Get-ChildItem",
    "pipeline input",
    "cache invalidation",
    "database sharding",
    "rate limiting",
    "microservices",
    "mutex lock",
    "hash map",
    "dynamic programming",
    "error handling",
];

/// Latencies of one engine, in microseconds.
#[derive(Debug, Default, Clone)]
pub struct Latencies {
    pub keystroke: Percentiles,
    pub one_letter: Percentiles,
    pub full: Percentiles,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Percentiles {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub count: usize,
}

impl Percentiles {
    pub(crate) fn of(mut samples: Vec<Duration>) -> Percentiles {
        if samples.is_empty() {
            return Percentiles::default();
        }
        samples.sort();
        let at =
            |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6;
        Percentiles {
            p50: at(0.5),
            p99: at(0.99),
            max: at(1.0),
            count: samples.len(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CorpusReport {
    pub name: String,
    pub files: usize,
    pub bytes: u64,
    pub sections: usize,
    pub load: Duration,
    pub index_build: Duration,
    pub index_bytes: u64,
    pub open_and_first_query: Duration,
    pub fts5_build: Duration,
    pub rehearse: Latencies,
    pub fts5: Latencies,
    /// Full queries only: a scan per keystroke would take minutes.
    pub regex_full: Percentiles,
}

/// Measures each folder (one corpus per folder), using `work` for the indexes.
pub fn run(folders: &[PathBuf], work: &Path) -> Result<Vec<CorpusReport>> {
    folders
        .iter()
        .map(|folder| {
            let report = corpus(folder, work);
            let _ = std::fs::remove_dir_all(work.join(format!("bench-{}", corpus_name(folder))));
            report
        })
        .collect()
}

fn corpus_name(folder: &Path) -> String {
    folder
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| folder.display().to_string())
}

fn corpus(folder: &Path, work: &Path) -> Result<CorpusReport> {
    let name = corpus_name(folder);
    let dir = work.join(format!("bench-{name}"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    }
    let started = Instant::now();
    let loaded = notes::load_folders(&[folder.to_path_buf()])?;
    let load = started.elapsed();
    let files = loaded.notes.len();
    let bytes: u64 = loaded.notes.iter().map(|n| n.source.len() as u64).sum();
    drop(loaded);

    let config = LibraryConfig::new(vec![folder.to_path_buf()], dir.clone());
    let started = Instant::now();
    let library = Library::open(config.clone())?;
    let index_build = started.elapsed();
    let indexed_sections = library.index_report().sections;
    let sections = sections(&library);
    drop(library);
    let index_bytes = folder_size(&config.index_dir());

    let started = Instant::now();
    let library = Library::open(config)?;
    library.search(&SearchRequest::new("goroutine"))?;
    let open_and_first_query = started.elapsed();

    let started = Instant::now();
    let fts = Fts5::build(&dir.join("fts5.sqlite3"), &sections)?;
    let fts5_build = started.elapsed();

    let rehearse = measure(|q| {
        library
            .search(&SearchRequest {
                limit: 10,
                ..SearchRequest::new(q)
            })
            .map(|_| ())
    })?;
    let fts5 = measure(|q| fts.search(q))?;
    let scan = RegexScan {
        sections: &sections,
    };
    let regex_full = Percentiles::of(QUERIES.iter().map(|q| time(|| scan.search(q))).collect());

    Ok(CorpusReport {
        name,
        files,
        bytes,
        sections: indexed_sections,
        load,
        index_build,
        index_bytes,
        open_and_first_query,
        fts5_build,
        rehearse,
        fts5,
        regex_full,
    })
}

/// Every as-you-type prefix of every query, once: a query typed again would
/// find Rehearse's expansions of its words cached.
fn measure(mut search: impl FnMut(&str) -> Result<()>) -> Result<Latencies> {
    let (mut keystroke, mut one_letter, mut full) = (Vec::new(), Vec::new(), Vec::new());
    for query in QUERIES {
        let ends: Vec<usize> = query
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .collect();
        for (n, &end) in ends.iter().enumerate() {
            let typed = &query[..end];
            let started = Instant::now();
            search(typed)?;
            let took = started.elapsed();
            keystroke.push(took);
            if n == 0 {
                one_letter.push(took);
            }
            if end == query.len() {
                full.push(took);
            }
        }
    }
    Ok(Latencies {
        keystroke: Percentiles::of(keystroke),
        one_letter: Percentiles::of(one_letter),
        full: Percentiles::of(full),
    })
}

fn time(f: impl FnOnce() -> usize) -> Duration {
    let started = Instant::now();
    std::hint::black_box(f());
    started.elapsed()
}

pub(crate) struct Section {
    id: String,
    title: String,
    trail: String,
    body: String,
}

/// The sections the index holds, from the library's catalog.
pub(crate) fn sections(library: &Library) -> Vec<Section> {
    library
        .sections()
        .iter()
        .map(|s| Section {
            id: s.id.to_string(),
            title: s.title.to_string(),
            trail: s.trail.join(" "),
            body: s.text.to_string(),
        })
        .collect()
}

/// SQLite FTS5 with bm25 weights like ours (title over trail over body), the
/// last word a prefix, top 10 with snippets: what a careful app would build.
pub(crate) struct Fts5 {
    db: rusqlite::Connection,
}

impl Fts5 {
    /// `path` may be `:memory:`, SQLite's name for a database that leaves no file.
    pub(crate) fn build(path: &Path, sections: &[Section]) -> Result<Fts5> {
        let error = |e: rusqlite::Error| Error::Database {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let mut db = rusqlite::Connection::open(path).map_err(error)?;
        db.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             CREATE VIRTUAL TABLE sections USING fts5(id UNINDEXED, title, trail, body, tokenize = 'porter unicode61');",
        )
        .map_err(error)?;
        let tx = db.transaction().map_err(error)?;
        {
            let mut insert = tx
                .prepare("INSERT INTO sections (id, title, trail, body) VALUES (?1, ?2, ?3, ?4)")
                .map_err(error)?;
            for s in sections {
                insert
                    .execute((&s.id, &s.title, &s.trail, &s.body))
                    .map_err(error)?;
            }
        }
        tx.commit().map_err(error)?;
        db.execute_batch("INSERT INTO sections (sections) VALUES ('optimize');")
            .map_err(error)?;
        Ok(Fts5 { db })
    }

    fn search(&self, typed: &str) -> Result<()> {
        let Some(query) = fts5_query(typed, " ") else {
            return Ok(());
        };
        let mut statement = self
            .db
            .prepare_cached(
                "SELECT id, title, snippet(sections, 3, '<mark>', '</mark>', '…', 24) FROM sections
                 WHERE sections MATCH ?1 ORDER BY bm25(sections, 0.0, 4.0, 1.5, 1.0) LIMIT 10",
            )
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        let rows = statement
            .query_map([query], |row| row.get::<_, String>(0))
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        std::hint::black_box(rows.count());
        Ok(())
    }

    /// The ids of the best `limit` sections having every word, or, when none
    /// has them all, any of them: the baseline a user of FTS5 would write,
    /// so that one missing word does not leave the list empty.
    pub(crate) fn ids(&self, typed: &str, limit: usize) -> Result<Vec<String>> {
        for join in [" ", " OR "] {
            let Some(query) = fts5_query(typed, join) else {
                return Ok(Vec::new());
            };
            let mut statement = self
                .db
                .prepare_cached(
                    "SELECT id FROM sections WHERE sections MATCH ?1
                     ORDER BY bm25(sections, 0.0, 4.0, 1.5, 1.0) LIMIT ?2",
                )
                .map_err(|e| Error::InvalidInput(e.to_string()))?;
            let ids = statement
                .query_map((query, limit as i64), |row| row.get::<_, String>(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(|e| Error::InvalidInput(e.to_string()))?;
            if !ids.is_empty() {
                return Ok(ids);
            }
        }
        Ok(Vec::new())
    }
}

/// `load bal` → `"load" "bal"*`, the words joined by `join` (`" "` requires
/// every word, `" OR "` any), the last one a prefix.
fn fts5_query(typed: &str, join: &str) -> Option<String> {
    let words: Vec<String> = typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last {
                    format!("{w}*")
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(join),
    )
}

/// What `grep -i` over the notes amounts to: a case-insensitive regex of the
/// words, every section scanned, sections ranked by match count.
struct RegexScan<'s> {
    sections: &'s [Section],
}

impl RegexScan<'_> {
    fn search(&self, query: &str) -> usize {
        let words: Vec<String> = query.split_whitespace().map(regex::escape).collect();
        let Ok(pattern) = regex::RegexBuilder::new(&words.join("|"))
            .case_insensitive(true)
            .build()
        else {
            return 0;
        };
        let mut scored: Vec<(usize, &str)> = self
            .sections
            .iter()
            .map(|s| {
                (
                    pattern.find_iter(&s.title).count() * 4 + pattern.find_iter(&s.body).count(),
                    s.id.as_str(),
                )
            })
            .filter(|(n, _)| *n > 0)
            .collect();
        scored.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
        scored.truncate(10);
        scored.len()
    }
}

fn folder_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// The reports as a markdown document, ratios beside the figures.
pub fn to_markdown(reports: &[CorpusReport]) -> String {
    let mut out = String::new();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mb = |b: u64| b as f64 / 1e6;
    let _ = writeln!(
        out,
        "| corpus | files | MB | sections | load | load + index | MB/s | index MB | index / corpus | open + 1st query | FTS5 build |"
    );
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in reports {
        let _ = writeln!(
            out,
            "| {} | {} | {:.1} | {} | {:.0} ms | {:.0} ms | {:.1} | {:.1} | {:.2} | {:.1} ms | {:.0} ms |",
            r.name,
            r.files,
            mb(r.bytes),
            r.sections,
            ms(r.load),
            ms(r.index_build),
            mb(r.bytes) / r.index_build.as_secs_f64(),
            mb(r.index_bytes),
            r.index_bytes as f64 / r.bytes.max(1) as f64,
            ms(r.open_and_first_query),
            ms(r.fts5_build)
        );
    }
    let _ = writeln!(
        out,
        "\nLatency in ms (p50 / p99 / max); ratios are the alternative's p50 and p99 over Rehearse's.\n"
    );
    let _ = writeln!(
        out,
        "| corpus | what | Rehearse | SQLite FTS5 | regex scan | FTS5 ÷ Rehearse | regex ÷ Rehearse |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|");
    let cell = |p: &Percentiles| {
        format!(
            "{:.3} / {:.3} / {:.3}",
            p.p50 / 1e3,
            p.p99 / 1e3,
            p.max / 1e3
        )
    };
    let ratio = |a: &Percentiles, b: &Percentiles| {
        format!(
            "{:.1}× / {:.1}×",
            a.p50 / b.p50.max(0.001),
            a.p99 / b.p99.max(0.001)
        )
    };
    for r in reports {
        let rows = [
            (
                format!("every keystroke ({})", r.rehearse.keystroke.count),
                &r.rehearse.keystroke,
                &r.fts5.keystroke,
                None,
            ),
            (
                format!("one-letter prefix ({})", r.rehearse.one_letter.count),
                &r.rehearse.one_letter,
                &r.fts5.one_letter,
                None,
            ),
            (
                format!("full query ({})", r.rehearse.full.count),
                &r.rehearse.full,
                &r.fts5.full,
                Some(&r.regex_full),
            ),
        ];
        for (what, ours, fts, regex) in rows {
            let _ = writeln!(
                out,
                "| {} | {what} | {} | {} | {} | {} | {} |",
                r.name,
                cell(ours),
                cell(fts),
                regex.map_or("—".to_string(), cell),
                ratio(fts, ours),
                regex.map_or("—".to_string(), |g| ratio(g, ours)),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts5_queries_quote_words_and_prefix_the_last() {
        assert_eq!(
            fts5_query("load bal", " ").as_deref(),
            Some("\"load\" \"bal\"*")
        );
        assert_eq!(
            fts5_query("sync.WaitGroup", " ").as_deref(),
            Some("\"sync\" \"WaitGroup\"*")
        );
        assert_eq!(
            fts5_query("load bal", " OR ").as_deref(),
            Some("\"load\" OR \"bal\"*")
        );
        assert_eq!(fts5_query("***", " "), None);
    }
}

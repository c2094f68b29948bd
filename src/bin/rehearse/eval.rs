//! `rehearse eval`: how well each search engine ranks the sections a person
//! meant, over a file of tagged queries — recall@5 and MRR per tag, Rehearse
//! by words and by words and meaning (hybrid), beside a plain SQLite FTS5
//! baseline in the same run.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use rehearse::{Error, Library, Result, SearchRequest};
use serde_json::json;

use crate::bench::yardstick::{self, Fts5, Percentiles};

#[derive(clap::Args)]
pub struct EvalArgs {
    /// Lines of `tag<TAB>query<TAB>expected ids separated by " | "`; `#` starts a comment.
    queries: PathBuf,
    /// Also list every query with the rank each engine gave it.
    #[arg(long)]
    verbose: bool,
    /// Score search by meaning with the vectors already saved, embedding
    /// nothing: how it does part of the way through a long first embedding
    /// (new sections by their titles only, say).
    #[arg(long)]
    saved_vectors: bool,
}

/// How deep a ranking is read: one screen of results. An expected section
/// found further down scores as not found.
const DEPTH: usize = 10;
const RECALL_AT: usize = 5;
/// The kinds of query a file may hold, in the order the table shows them; any
/// other tag is refused, so that a misspelt tag cannot form a group of its own.
const TAGS: [&str; 4] = ["plain", "typo", "half-typed", "paraphrase"];

/// A search engine under evaluation: its name and the ids it ranks first.
type Engine<'a> = (&'static str, Box<dyn Fn(&str) -> Result<Vec<String>> + 'a>);

struct Case {
    line: usize,
    tag: &'static str,
    query: String,
    /// Any of them counts: the same question can live in several notes.
    expected: Vec<String>,
}

struct Outcome<'c> {
    case: &'c Case,
    /// Per engine, the 1-based rank of the first expected section.
    ranks: Vec<Option<usize>>,
    /// Per engine, what it returned.
    found: Vec<Vec<String>>,
}

/// A query whose expected sections the library lacks: a stale or mistyped
/// fixture, which would otherwise pass for a search failure.
struct Unknown<'c> {
    case: &'c Case,
    ids: Vec<&'c str>,
}

#[derive(Default, Clone, Copy)]
struct Score {
    queries: usize,
    recalled: usize,
    reciprocal_ranks: f64,
}

impl Score {
    fn add(&mut self, rank: Option<usize>) {
        self.queries += 1;
        if let Some(rank) = rank {
            self.recalled += usize::from(rank <= RECALL_AT);
            self.reciprocal_ranks += 1.0 / rank as f64;
        }
    }

    fn recall(&self) -> Option<f64> {
        (self.queries > 0).then(|| self.recalled as f64 / self.queries as f64)
    }

    fn mrr(&self) -> Option<f64> {
        (self.queries > 0).then(|| self.reciprocal_ranks / self.queries as f64)
    }
}

pub fn run(args: EvalArgs, library: &Library, json: bool) -> Result<()> {
    let text = std::fs::read_to_string(&args.queries).map_err(|e| Error::io(&args.queries, e))?;
    let cases = parse(&text, &args.queries)?;
    // In memory: the baseline is rebuilt for each run and never outlives it.
    let fts5 = Fts5::build(Path::new(":memory:"), &yardstick::sections(library))?;
    let request = |query: &str| SearchRequest {
        limit: DEPTH,
        ..SearchRequest::new(query)
    };
    let mut engines: Vec<Engine> = vec![
        (
            "rehearse",
            Box::new(|q| Ok(ids(library.search(&request(q))?))),
        ),
        ("fts5", Box::new(|q| fts5.ids(q, DEPTH))),
    ];
    let meaning = if args.saved_vectors {
        library.load_model()
    } else {
        library
            .enable_meaning(&mut |_, _| {}, &AtomicBool::new(false))
            .map(drop)
    };
    match meaning {
        Ok(()) => engines.insert(
            1,
            (
                "hybrid",
                Box::new(|q| Ok(ids(library.search_hybrid(&request(q))?))),
            ),
        ),
        Err(error) => eprintln!("No hybrid column: {error}"),
    }

    let mut timings: Vec<Timing> = engines.iter().map(|_| Timing::default()).collect();
    let known: HashSet<&str> = library.sections().iter().map(|s| &*s.id).collect();
    let mut outcomes = Vec::new();
    let mut unknown = Vec::new();
    for case in &cases {
        let missing: Vec<&str> = case
            .expected
            .iter()
            .map(String::as_str)
            .filter(|id| !known.contains(id))
            .collect();
        if !missing.is_empty() {
            unknown.push(Unknown { case, ids: missing });
            continue;
        }
        let mut outcome = Outcome {
            case,
            ranks: Vec::new(),
            found: Vec::new(),
        };
        for ((name, search), timing) in engines.iter().zip(&mut timings) {
            let started = Instant::now();
            let found = search(&case.query).map_err(|e| {
                Error::InvalidInput(format!(
                    "{name} failed on line {} (`{}`): {e}",
                    case.line, case.query
                ))
            })?;
            timing.full.push(started.elapsed());
            for (end, _) in case.query.char_indices().skip(1) {
                let started = Instant::now();
                std::hint::black_box(search(&case.query[..end])?);
                timing.keystroke.push(started.elapsed());
            }
            timing.keystroke.push(timing.full[timing.full.len() - 1]);
            outcome.ranks.push(
                found
                    .iter()
                    .position(|id| case.expected.contains(id))
                    .map(|i| i + 1),
            );
            outcome.found.push(found);
        }
        outcomes.push(outcome);
    }

    let names: Vec<&str> = engines.iter().map(|(name, _)| *name).collect();
    let latencies: Vec<Latency> = timings.into_iter().map(Timing::percentiles).collect();
    if json {
        let mut report = to_json(&args.queries, &names, &outcomes, &unknown);
        report["latency_ms"] = names
            .iter()
            .zip(&latencies)
            .map(|(name, l)| {
                let ms = |p: &Percentiles| json!({"p50": p.p50 / 1e3, "p99": p.p99 / 1e3});
                (
                    name.to_string(),
                    json!({"query": ms(&l.full), "keystroke": ms(&l.keystroke)}),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into();
        println!("{report:#}");
    } else {
        print!(
            "{}",
            to_markdown(&args.queries, &names, &outcomes, &unknown, args.verbose)
        );
        print!("{}", latency_markdown(&names, &latencies));
    }
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "{} of {} queries expect sections the library does not have; they were not scored.",
            unknown.len(),
            cases.len()
        )))
    }
}

/// How long each engine took, for whole queries and for every prefix of
/// them as typed, in the same run as the scores (the model loaded).
#[derive(Default)]
struct Timing {
    full: Vec<Duration>,
    keystroke: Vec<Duration>,
}

struct Latency {
    full: Percentiles,
    keystroke: Percentiles,
}

impl Timing {
    fn percentiles(self) -> Latency {
        Latency {
            full: Percentiles::of(self.full),
            keystroke: Percentiles::of(self.keystroke),
        }
    }
}

fn latency_markdown(engines: &[&str], latencies: &[Latency]) -> String {
    let mut out = String::from(
        "\nLatency in ms, p50 / p99, in this run: whole queries, and every prefix of them as typed (one search per keystroke).\n\n| engine | query | keystroke |\n|---|---:|---:|\n",
    );
    let cell = |p: &Percentiles| format!("{:.2} / {:.2}", p.p50 / 1e3, p.p99 / 1e3);
    for (name, latency) in engines.iter().zip(latencies) {
        let _ = writeln!(
            out,
            "| {name} | {} | {} |",
            cell(&latency.full),
            cell(&latency.keystroke)
        );
    }
    out
}

fn ids(results: rehearse::SearchResults) -> Vec<String> {
    results.hits.into_iter().map(|hit| hit.id).collect()
}

fn parse(text: &str, path: &Path) -> Result<Vec<Case>> {
    let invalid = |line: usize, why: String| {
        Error::InvalidInput(format!("{}, line {line}: {why}", path.display()))
    };
    let mut cases = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        let [tag, query, expected] = fields[..] else {
            return Err(invalid(
                line,
                format!(
                    "expected 3 tab-separated fields (tag, query, expected), found {}.",
                    fields.len()
                ),
            ));
        };
        let Some(tag) = TAGS.iter().copied().find(|t| *t == tag.trim()) else {
            return Err(invalid(
                line,
                format!("unknown tag `{tag}`; use one of {}.", TAGS.join(", ")),
            ));
        };
        let expected: Vec<String> = expected
            .split(" | ")
            .map(|id| id.trim().to_string())
            .collect();
        if query.trim().is_empty() || expected.iter().any(String::is_empty) {
            return Err(invalid(
                line,
                "the query and every expected id must be non-empty.".into(),
            ));
        }
        cases.push(Case {
            line,
            tag,
            query: query.to_string(),
            expected,
        });
    }
    Ok(cases)
}

/// Scores per tag (in `TAGS` order, tags without queries left out), then
/// over every query; one `Score` per engine in each.
fn summary(engines: usize, outcomes: &[Outcome]) -> Vec<(&'static str, Vec<Score>)> {
    let score = |keep: &dyn Fn(&Outcome) -> bool| {
        let mut scores = vec![Score::default(); engines];
        for outcome in outcomes.iter().filter(|o| keep(o)) {
            for (score, rank) in scores.iter_mut().zip(&outcome.ranks) {
                score.add(*rank);
            }
        }
        scores
    };
    TAGS.iter()
        .map(|&tag| (tag, score(&|o: &Outcome| o.case.tag == tag)))
        .filter(|(_, scores)| scores[0].queries > 0)
        .chain([("all", score(&|_: &Outcome| true))])
        .collect()
}

fn to_json(
    path: &Path,
    engines: &[&str],
    outcomes: &[Outcome],
    unknown: &[Unknown],
) -> serde_json::Value {
    let per_engine = |values: &dyn Fn(usize) -> serde_json::Value| {
        engines
            .iter()
            .enumerate()
            .map(|(i, name)| (name.to_string(), values(i)))
            .collect::<serde_json::Map<_, _>>()
    };
    let groups: serde_json::Map<_, _> = summary(engines.len(), outcomes)
        .into_iter()
        .map(|(group, scores)| {
            let mut entry =
                per_engine(&|i| json!({"recall_at_5": scores[i].recall(), "mrr": scores[i].mrr()}));
            entry.insert("queries".into(), json!(scores[0].queries));
            (group.to_string(), serde_json::Value::Object(entry))
        })
        .collect();
    let queries: Vec<_> = outcomes
        .iter()
        .map(|o| {
            json!({
                "line": o.case.line,
                "tag": o.case.tag,
                "query": o.case.query,
                "expected": o.case.expected,
                "ranks": per_engine(&|i| json!(o.ranks[i])),
                "found": per_engine(&|i| json!(o.found[i])),
            })
        })
        .collect();
    let errors: Vec<_> = unknown
        .iter()
        .map(|u| json!({"line": u.case.line, "query": u.case.query, "unknown_ids": u.ids}))
        .collect();
    json!({
        "queries_file": path.display().to_string(),
        "depth": DEPTH,
        "engines": engines,
        "scores": groups,
        "queries": queries,
        "errors": errors,
    })
}

fn to_markdown(
    path: &Path,
    engines: &[&str],
    outcomes: &[Outcome],
    unknown: &[Unknown],
    verbose: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} queries scored. Recall@5: share of queries with an expected section in the top 5. \
         MRR: mean of 1/rank of the first expected section in the top {DEPTH} (0 when absent).\n",
        path.display(),
        outcomes.len()
    );
    let mut header = String::from("| tag | queries |");
    let mut rule = String::from("|---|---:|");
    for name in engines {
        let _ = write!(header, " {name} recall@5 | {name} MRR |");
        rule.push_str("---:|---:|");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    let figure = |value: Option<f64>| value.map_or("—".to_string(), |v| format!("{v:.2}"));
    for (group, scores) in summary(engines.len(), outcomes) {
        let _ = write!(out, "| {group} | {} |", scores[0].queries);
        for score in &scores {
            let _ = write!(
                out,
                " {} | {} |",
                figure(score.recall()),
                figure(score.mrr())
            );
        }
        out.push('\n');
    }
    if verbose {
        let _ = write!(
            out,
            "\nRank of the first expected section (— past {DEPTH}).\n\n| line | tag | query |"
        );
        for name in engines {
            let _ = write!(out, " {name} |");
        }
        let _ = writeln!(out, "\n|---:|---|---|{}", "---:|".repeat(engines.len()));
        for o in outcomes {
            let _ = write!(
                out,
                "| {} | {} | {} |",
                o.case.line,
                o.case.tag,
                o.case.query.replace('|', "\\|")
            );
            for rank in &o.ranks {
                let _ = write!(
                    out,
                    " {} |",
                    rank.map_or("—".to_string(), |r| r.to_string())
                );
            }
            out.push('\n');
        }
    }
    for u in unknown {
        let _ = writeln!(
            out,
            "\nerror: line {} (`{}`): no section has the id {}",
            u.case.line,
            u.case.query,
            u.ids
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_files_skip_comments_and_split_expected_ids() {
        let cases = parse(
            "# tag\tquery\texpected\n\nplain\tgoroutine\ta.md#x | b.md#y\n",
            Path::new("q.tsv"),
        )
        .unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].line, 3);
        assert_eq!(cases[0].expected, ["a.md#x", "b.md#y"]);
    }

    #[test]
    fn unknown_tags_and_missing_fields_are_refused_with_their_line() {
        let Err(error) = parse("plian\tgoroutine\ta.md#x\n", Path::new("q.tsv")) else {
            panic!("a misspelt tag is refused");
        };
        assert!(error.to_string().contains("line 1"), "{error}");
        assert!(parse("plain\tgoroutine\n", Path::new("q.tsv")).is_err());
    }

    #[test]
    fn recall_counts_the_top_five_and_mrr_the_top_ten() {
        let mut score = Score::default();
        for rank in [Some(1), Some(5), Some(10), None] {
            score.add(rank);
        }
        assert_eq!(score.recall(), Some(0.5));
        assert_eq!(score.mrr(), Some((1.0 + 0.2 + 0.1) / 4.0));
    }
}

//! The `rehearse` command line: index, search, list and show the notes, and the
//! user's data commands; a thin caller of the core's `Library`.

mod allocator;
mod bench;
mod data;
mod eval;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use clap::{Parser, Subcommand};
use rehearse::{Library, LibraryConfig, SearchRequest};
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "rehearse",
    version,
    about = "Read, search and practise your interview notes, offline."
)]
struct Cli {
    /// A folder of markdown notes (repeatable); the bundled notes by default.
    #[arg(long = "notes", global = true, value_name = "DIR")]
    notes: Vec<PathBuf>,
    /// Where the index and your data live; REHEARSE_DATA_DIR or the OS app-data dir by default.
    #[arg(long = "data", global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build or update the search index.
    Index,
    /// Search every note; the last word matches as a prefix and typos are forgiven.
    Search {
        /// The query; omit with --stdin.
        query: Option<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Only this note (its id, e.g. golang-deltas.md).
        #[arg(long)]
        note: Option<String>,
        /// Only this module (a top-level heading).
        #[arg(long)]
        module: Option<String>,
        /// Read one query per line, answer one JSON line each, the index opened once.
        #[arg(long)]
        stdin: bool,
        /// Also search by meaning with the offline sentence-embedding model:
        /// finds sections that say the same thing in other words. Loads the
        /// model (and, the first time, embeds every section) before answering.
        #[arg(long)]
        meaning: bool,
    },
    /// List the question cards.
    Cards {
        #[arg(long)]
        note: Option<String>,
    },
    /// Show a card or a note as markdown, or as rendered HTML.
    Show {
        id: String,
        #[arg(long)]
        html: bool,
    },
    /// Watch the notes folders and keep the index up to date: one line per
    /// update, with what changed and how long after the save it was searchable.
    Watch,
    /// Measure indexing and search against SQLite FTS5 and a regex scan.
    Bench(bench::BenchArgs),
    /// Score search on tagged queries with expected sections: recall@5 and MRR, beside SQLite FTS5.
    Eval(eval::EvalArgs),
    #[command(flatten)]
    Data(data::DataCommand),
}

fn main() -> ExitCode {
    // `rehearse cards | head` closes the pipe early; like other Unix tools,
    // end quietly instead of panicking on the next print.
    #[cfg(unix)]
    // SAFETY: restoring the default action of a signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("REHEARSE_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rehearse: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> rehearse::Result<()> {
    let config = LibraryConfig::new(
        if cli.notes.is_empty() {
            vec![LibraryConfig::bundled_notes_dir()]
        } else {
            // The watcher reports absolute paths: a folder named relative
            // to here would never match them.
            cli.notes
                .into_iter()
                .map(|dir| std::path::absolute(&dir).unwrap_or(dir))
                .collect()
        },
        cli.data.unwrap_or_else(LibraryConfig::default_data_dir),
    );
    if let Command::Bench(args) = cli.command {
        return bench::run(args, &config.notes_dirs, &config.data_dir);
    }
    let mut library = Library::open(config)?;
    let result = command(cli.command, &mut library, cli.json);
    library.close();
    result
}

/// Runs one command of the CLI on the open library.
fn command(command: Command, library: &mut Library, json: bool) -> rehearse::Result<()> {
    match command {
        Command::Index => print_index(library, json),
        Command::Watch => watch(library, json),
        Command::Search {
            query,
            limit,
            note,
            module,
            stdin,
            meaning,
        } => {
            if meaning {
                enable_meaning(library);
            }
            let search = |request: &SearchRequest| {
                if meaning {
                    library.search_hybrid(request)
                } else {
                    library.search(request)
                }
            };
            let request = |query: String| SearchRequest {
                query,
                limit,
                note: note.clone(),
                module: module.clone(),
            };
            if stdin {
                let mut out = std::io::stdout().lock();
                for line in std::io::stdin().lock().lines() {
                    let line = line.map_err(|e| rehearse::Error::io("standard input", e))?;
                    let results = search(&request(line))?;
                    writeln!(out, "{}", search_json(&results))
                        .map_err(|e| rehearse::Error::io("standard output", e))?;
                }
                return Ok(());
            }
            let Some(query) = query else {
                return Err(rehearse::Error::InvalidInput(
                    "Give a query, or --stdin to read queries from standard input.".into(),
                ));
            };
            let results = search(&request(query))?;
            if json {
                println!("{:#}", search_json(&results));
            } else {
                let bold = std::io::stdout().is_terminal();
                for hit in &results.hits {
                    let trail = if hit.trail.is_empty() {
                        String::new()
                    } else {
                        format!("{} › ", hit.trail.join(" › "))
                    };
                    let how = if hit.by_meaning { " (by meaning)" } else { "" };
                    println!(
                        "{:>6.2}  {trail}{}{how}\n        {}\n        {}",
                        hit.score,
                        hit.title,
                        hit.id,
                        snippet_text(&hit.snippet, bold)
                    );
                    if let Some(first) = hit.copies.first() {
                        let more = match hit.copies.len() - 1 {
                            0 => String::new(),
                            1 => " and 1 more copy".to_string(),
                            n => format!(" and {n} more copies"),
                        };
                        println!("        the same at {first}{more}");
                    }
                }
                println!("{} hits in {} µs", results.total, results.took_us);
            }
            Ok(())
        }
        Command::Cards { note } => {
            let cards = library.cards_of(note.as_deref())?;
            if json {
                let cards: Vec<_> = cards
                    .iter()
                    .map(|c| json!({"id": c.id, "note": c.note, "title": c.title, "trail": c.trail, "empty": c.empty}))
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({ "cards": cards }))
                        .expect("cards serialize")
                );
            } else {
                for c in cards {
                    println!(
                        "{}{}\n    {}",
                        c.title,
                        if c.empty { "  (empty)" } else { "" },
                        c.id
                    );
                }
            }
            Ok(())
        }
        Command::Show { id, html } => {
            if html {
                println!("{}", library.render(&id)?);
            } else {
                println!("{}", library.markdown(&id)?);
            }
            Ok(())
        }
        Command::Data(command) => data::run(command, library, json),
        Command::Eval(args) => eval::run(args, library, json),
        Command::Bench(_) => unreachable!("handled before the library is opened"),
    }
}

fn print_index(library: &Library, json: bool) -> rehearse::Result<()> {
    let report = library.index_report();
    let cards = library.cards().count();
    if json {
        let warnings: Vec<_> = library
            .warnings()
            .iter()
            .map(|w| json!({"path": w.path, "message": w.message}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"report": report, "cards": cards, "warnings": warnings})
            )
            .expect("report serializes")
        );
        return Ok(());
    }
    for w in library.warnings() {
        eprintln!("warning: {}: {}", w.path.display(), w.message);
    }
    println!(
        "{} files ({} updated, {} removed{}), {} cards, {} sections indexed in {} ms",
        report.files,
        report.updated_files,
        report.removed_files,
        if report.rebuilt {
            ", index rebuilt"
        } else {
            ""
        },
        cards,
        report.sections,
        report.millis
    );
    Ok(())
}

/// Applies each batch of changes the watcher reports, printing what changed
/// and the time from the first file event to the change being searchable
/// (committed to the index on disk, so other processes see it too).
fn watch(library: &mut Library, json: bool) -> rehearse::Result<()> {
    let dirs = library.config().notes_dirs.clone();
    // Read now rather than at the first change, which would otherwise wait
    // for it.
    library.ready_for_updates();
    let watcher = rehearse::watch::NotesWatcher::start(&dirs)?;
    let _vouching = library.vouch_while_watching()?;
    let folders: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    eprintln!(
        "Watching {} notes in {}; Ctrl+C stops.",
        library.index_report().files,
        folders.join(", ")
    );
    let mut out = std::io::stdout().lock();
    while let Some(changes) = watcher.next(None) {
        let changes = match changes {
            Ok(changes) => changes,
            Err(error) => {
                eprintln!("rehearse: {error}");
                continue;
            }
        };
        if changes.rescan {
            let report = library.reload()?;
            writeln!(
                out,
                "{}",
                if json {
                    json!({"rescanned": report}).to_string()
                } else {
                    format!(
                        "events were lost: read the folders again ({} files read)",
                        report.files_read
                    )
                }
            )
            .map_err(|e| rehearse::Error::io("standard output", e))?;
            continue;
        }
        let report = library.update(changes.paths)?;
        if report.is_empty() {
            continue;
        }
        let latency = changes.since.elapsed().as_secs_f64() * 1000.0;
        let line = if json {
            json!({"changed": report.changed, "added": report.added, "removed": report.removed, "files_read": report.files_read, "update_ms": report.millis, "latency_ms": (latency * 10.0).round() / 10.0}).to_string()
        } else {
            let mut parts = Vec::new();
            for (label, ids) in [
                ("changed", &report.changed),
                ("added", &report.added),
                ("removed", &report.removed),
            ] {
                if !ids.is_empty() {
                    parts.push(format!("{label} {}", ids.join(", ")));
                }
            }
            format!(
                "{}; searchable {latency:.0} ms after the save ({} ms to update)",
                parts.join("; "),
                report.millis
            )
        };
        writeln!(out, "{line}").map_err(|e| rehearse::Error::io("standard output", e))?;
        out.flush()
            .map_err(|e| rehearse::Error::io("standard output", e))?;
    }
    Ok(())
}

/// Loads the model for `--meaning`, with progress on standard error when the
/// sections must be embedded. Without the model, says so once and searches by
/// words: a missing model is not a reason to answer nothing.
fn enable_meaning(library: &Library) {
    let terminal = std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize| {
        if terminal && total > 0 {
            eprint!("\rEmbedding sections for search by meaning: {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    if let Err(error) = library.enable_meaning(&mut progress, &AtomicBool::new(false)) {
        eprintln!("Searching by words alone: {error}");
    }
}

/// The CLI's documented JSON shape (snake_case, unlike the app's IPC).
fn search_json(results: &rehearse::SearchResults) -> serde_json::Value {
    let hits: Vec<_> = results
        .hits
        .iter()
        .map(|h| json!({"id": h.id, "note": h.note, "title": h.title, "trail": h.trail, "snippet": h.snippet, "score": h.score, "by_meaning": h.by_meaning, "copies": h.copies}))
        .collect();
    json!({"query": results.query, "took_us": results.took_us, "total": results.total, "hits": hits, "terms": results.terms})
}

/// A snippet (escaped HTML with `<mark>`s) as terminal text: the four
/// entities the index escapes back to characters, and the matches in bold when a person is reading.
fn snippet_text(snippet: &str, bold: bool) -> String {
    let (on, off) = if bold {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    rehearse::index::unescape_html(&snippet.replace("<mark>", on).replace("</mark>", off))
}

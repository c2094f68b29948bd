//! The commands on the user's own data: bookmarks, drafts, reviews, orphans,
//! export and backup. Each makes one call into the core and prints.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use rehearse::practice::{Coverage, Grade, Reveal};
use rehearse::store::{SaveKind, SaveOutcome};
use rehearse::{Error, Library, Result};
use serde::Serialize;
use serde_json::json;

#[derive(Subcommand)]
pub enum DataCommand {
    /// Bookmark cards, module headings and notes.
    Bookmark {
        #[command(subcommand)]
        command: BookmarkCommand,
    },
    /// Your written answers, with every saved version.
    Draft {
        #[command(subcommand)]
        command: DraftCommand,
    },
    /// Grade yourself on a card; FSRS schedules its next review.
    Review {
        /// The card's id, as `rehearse cards` lists it.
        id: String,
        #[arg(value_enum)]
        grade: GradeArg,
    },
    /// Your answer beside a card's reference: the ideas you covered and
    /// missed (by meaning, once the model loads), key terms and a score.
    Reveal {
        /// The card's id, as `rehearse cards` lists it.
        card: String,
        /// Your answer; the latest saved draft by default.
        #[arg(long, value_name = "FILE")]
        answer: Option<PathBuf>,
    },
    /// Compare an answer with a card's reference: ideas covered and missed
    /// (by meaning), key terms, a word diff and a score. The answer comes
    /// from --file or standard input; nothing is saved.
    Compare {
        /// The card's id, as `rehearse cards` lists it.
        id: String,
        /// The answer; standard input without it.
        #[arg(long, value_name = "F")]
        file: Option<PathBuf>,
    },
    /// Cards due for review now, soonest first.
    Due,
    /// Your drafts, bookmarks and reviews whose card is no longer in the notes.
    Orphans,
    /// Give an orphan's drafts, bookmark and reviews to a card that exists now.
    Reattach {
        /// The id the card had, as `rehearse orphans` lists it.
        orphan: String,
        /// The card that asks the question now.
        card: String,
    },
    /// Write the latest draft of every card to one markdown file.
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write a consistent copy of your data (safe while the app is running).
    Backup { file: PathBuf },
}

#[derive(Subcommand)]
pub enum BookmarkCommand {
    /// Bookmark a card, a module heading or a note.
    Add {
        id: String,
        #[arg(long)]
        label: Option<String>,
    },
    /// Every bookmark, newest first.
    List,
    Remove {
        id: String,
    },
}

#[derive(Subcommand)]
pub enum DraftCommand {
    /// Save a new version of your answer, from FILE or standard input.
    Save {
        id: String,
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Print the latest version, or version N.
    Show {
        id: String,
        #[arg(long, value_name = "N")]
        version: Option<u32>,
    },
    /// Every version with its time and size.
    History { id: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GradeArg {
    Again,
    Hard,
    Good,
    Easy,
}

impl From<GradeArg> for Grade {
    fn from(grade: GradeArg) -> Grade {
        match grade {
            GradeArg::Again => Grade::Again,
            GradeArg::Hard => Grade::Hard,
            GradeArg::Good => Grade::Good,
            GradeArg::Easy => Grade::Easy,
        }
    }
}

pub fn run(command: DataCommand, library: &Library, json: bool) -> Result<()> {
    match command {
        DataCommand::Bookmark { command } => bookmark(command, library, json),
        DataCommand::Draft { command } => draft(command, library, json),
        DataCommand::Review { id, grade } => {
            let review = library.grade(&id, grade.into())?;
            if json {
                return print_json(&review);
            }
            println!(
                "{:?}: next review in {}, on {}.",
                review.grade,
                describe_days(review.interval_days),
                review.due_at
            );
            Ok(())
        }
        DataCommand::Reveal { card, answer } => {
            let answer = answer.as_deref().map(|f| read_text(Some(f))).transpose()?;
            load_model(library);
            let reveal = library.reveal(&card, answer.as_deref())?;
            if json {
                return print_json(&reveal);
            }
            print_reveal(&reveal);
            Ok(())
        }
        DataCommand::Compare { id, file } => {
            if file.is_none() && std::io::stdin().is_terminal() {
                return Err(Error::InvalidInput(
                    "give the answer with --file F or on standard input".into(),
                ));
            }
            let answer = read_text(file.as_deref())?;
            load_model(library);
            let reveal = library.reveal(&id, Some(&answer))?;
            if json {
                return print_json(&comparison(&reveal));
            }
            print_reveal(&reveal);
            Ok(())
        }
        DataCommand::Due => {
            let due = library.due()?;
            if json {
                return print_json(&json!({ "due": due }));
            }
            if due.is_empty() {
                println!("Nothing is due.");
            }
            for card in &due {
                println!("{}  {}\n    {}", card.due_at, card.title, card.card_id);
            }
            Ok(())
        }
        DataCommand::Orphans => {
            let orphans = library.orphans()?;
            if json {
                return print_json(&json!({ "orphans": orphans }));
            }
            if orphans.is_empty() {
                println!("No orphans: all your data belongs to cards in the notes.");
            }
            for o in &orphans {
                let bookmark = if o.bookmarked { ", bookmarked" } else { "" };
                println!(
                    "{}\n    {} ({} draft versions{bookmark}, {} reviews; orphaned {})",
                    o.id, o.title, o.draft_versions, o.reviews, o.orphaned_at
                );
            }
            Ok(())
        }
        DataCommand::Reattach { orphan, card } => {
            let target = library.reattach(&orphan, &card)?;
            if json {
                return print_json(&json!({ "reattached": { "from": orphan, "to": target.id } }));
            }
            println!("{orphan} now belongs to {} ({}).", target.id, target.title);
            Ok(())
        }
        DataCommand::Export { out } => {
            let report = library.export_drafts(&out)?;
            if json {
                return print_json(&report);
            }
            println!(
                "Wrote {} ({} whose question is gone) to {}.",
                count(report.cards, "answer"),
                report.orphans,
                out.display()
            );
            Ok(())
        }
        DataCommand::Backup { file } => {
            let bytes = library.backup_to(&file)?;
            if json {
                return print_json(&json!({ "path": file, "bytes": bytes }));
            }
            println!("Backed up your data to {} ({bytes} bytes).", file.display());
            Ok(())
        }
    }
}

fn bookmark(command: BookmarkCommand, library: &Library, json: bool) -> Result<()> {
    match command {
        BookmarkCommand::Add { id, label } => {
            let bookmark = library.add_bookmark(&id, label.as_deref())?;
            if json {
                return print_json(&bookmark);
            }
            println!("Bookmarked {} ({}).", bookmark.title, bookmark.id);
            Ok(())
        }
        BookmarkCommand::List => {
            let bookmarks = library.bookmarks()?;
            if json {
                return print_json(&json!({ "bookmarks": bookmarks }));
            }
            if bookmarks.is_empty() {
                println!("No bookmarks yet.");
            }
            for b in &bookmarks {
                let label = b
                    .label
                    .as_deref()
                    .map_or(String::new(), |l| format!(" [{l}]"));
                let orphaned = if b.orphaned { " (orphaned)" } else { "" };
                println!("{}{label}{orphaned}\n    {}", b.title, b.id);
            }
            Ok(())
        }
        BookmarkCommand::Remove { id } => {
            let removed = library.remove_bookmark(&id)?;
            if json {
                return print_json(&json!({ "id": id, "removed": removed }));
            }
            if removed {
                println!("Removed the bookmark on {id}.");
            } else {
                println!("{id} had no bookmark.");
            }
            Ok(())
        }
    }
}

fn draft(command: DraftCommand, library: &Library, json: bool) -> Result<()> {
    match command {
        DraftCommand::Save { id, file } => {
            let text = read_text(file.as_deref())?;
            let saved = library.save_draft(&id, &text, SaveKind::Explicit)?;
            if json {
                return print_json(&saved);
            }
            match saved.outcome {
                SaveOutcome::Unchanged => println!(
                    "Unchanged: version {} already holds this text.",
                    saved.version
                ),
                _ => println!(
                    "Saved version {} of your answer to {} ({} bytes).",
                    saved.version, saved.title, saved.bytes
                ),
            }
            Ok(())
        }
        DraftCommand::Show { id, version } => {
            let draft = library.draft(&id, version)?;
            if json {
                return print_json(&draft);
            }
            // Exactly the text saved, so `draft show ID > answer.md` round-trips.
            print!("{}", draft.text);
            Ok(())
        }
        DraftCommand::History { id } => {
            let versions = library.draft_history(&id)?;
            if json {
                let versions: Vec<_> = versions
                    .iter()
                    .map(|v| json!({ "version": v.version, "saved_at": v.saved_at, "bytes": v.bytes }))
                    .collect();
                return print_json(&json!({ "versions": versions }));
            }
            if versions.is_empty() {
                println!("No draft is saved for {id} yet.");
            }
            for v in &versions {
                println!(
                    "v{:<4} {}  {:>9} bytes  {}",
                    v.version,
                    v.saved_at,
                    v.bytes,
                    if v.kind == SaveKind::Autosave {
                        "autosave"
                    } else {
                        "saved"
                    }
                );
            }
            Ok(())
        }
    }
}

fn read_text(file: Option<&Path>) -> Result<String> {
    let (bytes, source) = match file {
        Some(path) => (
            std::fs::read(path).map_err(|e| Error::io(path, e))?,
            path.display().to_string(),
        ),
        None => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Error::io("standard input", e))?;
            (bytes, "standard input".to_string())
        }
    };
    String::from_utf8(bytes)
        .map_err(|_| Error::InvalidInput(format!("{source} is not UTF-8 text; drafts are text.")))
}

/// Judging by meaning needs the model, not the sections' vectors: nothing is
/// embedded here but the answer and the reference.
fn load_model(library: &Library) {
    if let Err(error) = library.load_model() {
        eprintln!("Judging by key terms alone: {error}");
    }
}

/// `rehearse compare --json`: the reveal in the short form scripts read.
fn comparison(reveal: &Reveal) -> serde_json::Value {
    let terms = |covered: bool| -> Vec<&str> {
        reveal
            .key_terms
            .iter()
            .filter(|t| t.covered == covered)
            .map(|t| t.forms.first().unwrap_or(&t.term).as_str())
            .collect()
    };
    json!({
        "score": reveal.score,
        "explanation": reveal.explanation,
        "judgedBy": reveal.judged_by,
        "ideas": reveal.ideas.iter().map(|idea| json!({
            "text": idea.text,
            "status": idea.status,
            "similarity": idea.similarity,
        })).collect::<Vec<_>>(),
        "covered": terms(true),
        "missed": terms(false),
        "diff": reveal.diff,
    })
}

fn print_reveal(reveal: &Reveal) {
    for idea in &reveal.ideas {
        let mark = match idea.status {
            Coverage::Covered => '✓',
            Coverage::Partly => '~',
            Coverage::Missed => '✗',
        };
        let similarity = idea
            .similarity
            .map_or(String::new(), |s| format!("  (meaning {s:.2})"));
        let text = idea.text.replace('\n', "\n    ");
        println!("{mark} {text}{similarity}");
    }
    if !reveal.key_terms.is_empty() {
        let terms: Vec<String> = reveal
            .key_terms
            .iter()
            .map(|t| {
                let name = t.forms.first().unwrap_or(&t.term);
                format!("{}{name}", if t.covered { '✓' } else { '✗' })
            })
            .collect();
        println!("\nKey terms: {}", terms.join("  "));
    }
    match reveal.score {
        Some(score) => println!("\nScore {score}: {}", reveal.explanation),
        None => println!("{}", reveal.explanation),
    }
}

fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

fn describe_days(days: f64) -> String {
    if days < 1.0 {
        let hours = (days * 24.0).round().max(1.0);
        format!("{hours} hours")
    } else if days == 1.0 {
        "1 day".into()
    } else {
        format!("{days} days")
    }
}

fn print_json(value: &impl Serialize) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::InvalidInput(format!("Could not write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

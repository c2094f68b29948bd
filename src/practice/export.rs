//! Exporting the latest draft of every card to one markdown file that reads
//! well in any editor: grouped by note and module, each under its question.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::notes::{self, Excerpt, Note};
use crate::store::{Draft, Store};
use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportReport {
    pub path: PathBuf,
    /// Drafts written under their question in the notes.
    pub cards: usize,
    /// Drafts whose question is gone, written in a section of their own.
    pub orphans: usize,
}

/// Writes the latest draft of every card in `notes` (in the notes' order) and
/// of every orphan to `out`, replacing it whole or not at all.
pub fn export_drafts(notes: &[Note], store: &Store, out: &Path) -> Result<ExportReport> {
    let mut drafts: HashMap<String, Draft> = store
        .latest_drafts()?
        .into_iter()
        .map(|d| (d.card_id.clone(), d))
        .collect();
    let mut doc = format!(
        "# My answers\n\nExported from Rehearse on {}: the latest saved draft of each question.\n",
        store.now()
    );
    let mut cards = 0;
    for note in notes {
        let mut note_started = false;
        let mut module: Option<&[Excerpt]> = None;
        for card in &note.cards {
            let Some(draft) = drafts.remove(card.id.as_str()) else {
                continue;
            };
            if !note_started {
                let _ = write!(doc, "\n## {}\n\n_{}_\n", note.title, note.id);
                note_started = true;
            }
            if module != Some(card.trail.as_slice()) && !card.trail.is_empty() {
                let _ = write!(doc, "\n### {}\n", notes::strings(&card.trail).join(" › "));
            }
            module = Some(card.trail.as_slice());
            let level = if card.trail.is_empty() { "###" } else { "####" };
            let _ = write!(doc, "\n{level} {}\n\n", card.title);
            push_answer(&mut doc, &draft.text);
            cards += 1;
        }
    }
    // Drafts of cards that are gone, or that these notes do not show: never
    // left out of an export, which may be the user's only copy.
    let mut rest: Vec<Draft> = drafts.into_values().collect();
    rest.sort_by(|a, b| (&a.note, &a.card_id).cmp(&(&b.note, &b.card_id)));
    if !rest.is_empty() {
        doc.push_str("\n## Answers whose question is no longer in the notes\n");
        for draft in &rest {
            let _ = write!(
                doc,
                "\n#### {}\n\n_Written for `{}`._\n\n",
                draft.title, draft.card_id
            );
            push_answer(&mut doc, &draft.text);
        }
    }
    write_replacing(out, doc.as_bytes())?;
    Ok(ExportReport {
        path: out.to_path_buf(),
        cards,
        orphans: rest.len(),
    })
}

fn push_answer(doc: &mut String, text: &str) {
    doc.push_str(text.trim_end());
    doc.push('\n');
}

fn write_replacing(out: &Path, bytes: &[u8]) -> Result<()> {
    let name = out
        .file_name()
        .ok_or_else(|| Error::InvalidInput(format!("{} is not a file name.", out.display())))?;
    let partial = out.with_file_name(format!(".{}.partial", name.to_string_lossy()));
    fs::write(&partial, bytes)
        .and_then(|()| fs::rename(&partial, out))
        .map_err(|e| {
            let _ = fs::remove_file(&partial);
            Error::io(out, e)
        })
}

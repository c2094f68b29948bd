//! Walking notes folders: which files are notes, reading them safely, and
//! turning each into a [`Note`]. Nothing a file contains makes loading fail;
//! what is wrong becomes a [`LoadWarning`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::decode::decode;
use super::id::note_id;
use super::parse::parse;
use super::{LoadWarning, Note, OutlineEntry};
use crate::{Error, Result};

/// Files larger than this are not notes anyone typed; they are skipped.
pub const MAX_NOTE_BYTES: u64 = 8 * 1024 * 1024;

pub struct LoadedNotes {
    pub notes: Vec<Note>,
    pub warnings: Vec<LoadWarning>,
}

/// Loads every `.md`/`.markdown` file under each folder, recursively. A folder
/// that does not exist is an error (the user named it); everything inside one
/// is survived.
pub fn load_folders(dirs: &[PathBuf]) -> Result<LoadedNotes> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut warnings = Vec::new();
    let mut ids = HashSet::new();
    for dir in dirs {
        if !dir.is_dir() {
            return Err(Error::NotesFolderMissing(dir.clone()));
        }
        let mut found = Vec::new();
        let mut visited = HashSet::new();
        walk(dir, dir, &mut visited, &mut found, &mut warnings);
        found.sort();
        let folder_name = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "notes".to_string());
        for (relative, path) in found {
            // A later folder's file with a relative path already taken keeps
            // its folder's name in front (`work/go.md`), numbered when that is
            // taken too (two folders both called `notes`): never dropped.
            let mut id = relative.clone();
            let mut n = 1;
            while ids.contains(&id) {
                n += 1;
                let folder = if n == 2 {
                    note_id(&folder_name)
                } else {
                    note_id(&format!("{folder_name} ({n})"))
                };
                id = format!("{folder}/{relative}");
            }
            ids.insert(id.clone());
            files.push((id, path));
        }
    }
    let results = parallel_map(&files, |(id, path)| read_note(id, path));
    let mut notes = Vec::with_capacity(results.len());
    for (note, warning) in results {
        notes.extend(note);
        warnings.extend(warning);
    }
    Ok(LoadedNotes { notes, warnings })
}

fn walk(
    root: &Path,
    dir: &Path,
    visited: &mut HashSet<PathBuf>,
    found: &mut Vec<(String, PathBuf)>,
    warnings: &mut Vec<LoadWarning>,
) {
    // Symlinked folders may loop back on themselves: each real folder is read once.
    let Ok(real) = dir.canonicalize() else { return };
    if !visited.insert(real) {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            warnings.push(LoadWarning {
                path: dir.to_path_buf(),
                message: format!("folder skipped: {e}"),
            });
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, visited, found, warnings);
        } else if is_markdown(&path) {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let id = note_id(
                &relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
            found.push((id, path));
        }
    }
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn read_note(id: &str, path: &Path) -> (Option<Note>, Option<LoadWarning>) {
    let warn = |message: String| LoadWarning {
        path: path.to_path_buf(),
        message,
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_NOTE_BYTES => {
            return (
                None,
                Some(warn(format!(
                    "skipped: {} MB is over the {} MB limit for a note",
                    meta.len() / (1024 * 1024),
                    MAX_NOTE_BYTES / (1024 * 1024)
                ))),
            );
        }
        Ok(_) => {}
        Err(e) => return (None, Some(warn(format!("skipped: {e}")))),
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return (None, Some(warn(format!("skipped: {e}")))),
    };
    if looks_binary(&bytes) {
        return (
            None,
            Some(warn("skipped: a binary file, not text".to_string())),
        );
    }
    let decoded = decode(&bytes);
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let note = build_note(id, path, decoded.text, hash, decoded.repair.clone());
    (Some(note), decoded.repair.map(warn))
}

/// NUL bytes never occur in text files in the encodings we read (UTF-16 is
/// recognised by its BOM before this check).
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let utf16_bom = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    !utf16_bom && head.contains(&0)
}

/// Builds a note from its decoded text. Front matter is removed from what is
/// shown; its `title:` names the note.
pub(crate) fn build_note(
    id: &str,
    path: &Path,
    text: String,
    hash: String,
    repair: Option<String>,
) -> Note {
    // comrak also ends lines at a lone `\r` (old Mac files); the answers are cut
    // out of the source by comrak's line numbers, so the source must agree.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let (front_title, body) = split_front_matter(&text);
    let source = body.to_string();
    let arena = comrak::Arena::new();
    let parsed = parse(&arena, id, &source);
    let file_title = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let title = front_title.or(parsed.title).unwrap_or(file_title);
    let mut outline = parsed.outline;
    if !parsed.intro.is_empty() {
        // The note's own opening text is searchable like a module's intro.
        outline.insert(
            0,
            OutlineEntry {
                id: id.to_string(),
                title: title.clone(),
                depth: 0,
                is_card: false,
                intro: parsed.intro,
                trail: vec![],
            },
        );
    }
    Note {
        id: id.to_string(),
        path: path.to_path_buf(),
        title,
        source,
        hash,
        repair,
        outline,
        cards: parsed.cards,
    }
}

/// YAML front matter (`---` … `---` on the first lines): its `title:` and the rest.
fn split_front_matter(text: &str) -> (Option<String>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, text);
    };
    let Some(end) = rest
        .find("\n---\n")
        .map(|i| (i, i + 5))
        .or_else(|| rest.strip_suffix("\n---").map(|r| (r.len(), rest.len())))
    else {
        return (None, text);
    };
    let title = rest[..end.0].lines().find_map(|line| {
        let value = line
            .strip_prefix("title:")?
            .trim()
            .trim_matches(['"', '\''])
            .trim();
        (!value.is_empty()).then(|| value.to_string())
    });
    (title, &rest[end.1..])
}

/// Maps over items on all cores; parsing 40 MB of markdown is CPU-bound.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("note parsing does not panic"))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_title_names_the_note_and_is_not_shown() {
        let (title, body) = split_front_matter("---\ntitle: \"Arrays\"\nslug: x\n---\n# Body\n");
        assert_eq!(title.as_deref(), Some("Arrays"));
        assert_eq!(body, "# Body\n");
    }

    #[test]
    fn lines_ended_by_a_lone_carriage_return_keep_their_answers() {
        let note = build_note(
            "n.md",
            Path::new("n.md"),
            "## Q?\rAnswer\r## R?\r\rMore\r\n".to_string(),
            String::new(),
            None,
        );
        let answers: Vec<&str> = note.cards.iter().map(|c| c.answer.as_str()).collect();
        assert_eq!(answers, ["Answer", "More"]);
    }

    #[test]
    fn a_lone_rule_at_the_top_is_not_front_matter() {
        assert_eq!(split_front_matter("---\nno end").1, "---\nno end");
    }
}

//! Keeping an open library in step with its folders: the files a watcher saw
//! change are read, parsed and indexed off the library ([`UpdateJob::run`]),
//! then swapped in quickly ([`Library::apply_update`]), so searches never wait
//! for the expensive part.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rustc_hash::FxHashSet;
use serde::Serialize;

use super::Library;
use crate::Result;
use crate::data_lock::{OpenGate, WatchLock};
use crate::index::IndexWrite;
use crate::notes::{self, Catalog, Change, Excerpt, LoadWarning, Note, Stamp};

/// What an update changed, by note id, and how long it took.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateReport {
    /// Notes whose text changed.
    pub changed: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Removed notes whose text came back under another name in the same
    /// update (a file renamed or moved), so a view showing one can follow
    /// it; both names are in `removed` and `added` too.
    pub renamed: Vec<Renamed>,
    /// Note files read and parsed.
    pub files_read: usize,
    /// From the start of [`UpdateJob::run`] to the end of
    /// [`Library::apply_update`]: reading, parsing, indexing and swapping in.
    pub millis: u64,
}

/// A note that moved: its id before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Renamed {
    pub from: String,
    pub to: String,
}

impl UpdateReport {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.added.is_empty() && self.removed.is_empty()
    }
}

/// Everything an update needs from the library, copied out of it so that
/// [`UpdateJob::run`] holds no borrow of it.
pub struct UpdateJob {
    /// Changed paths, each with the notes folder it is in.
    paths: Vec<(PathBuf, PathBuf)>,
    /// The notes the library has under the changed paths: path → (id, stamp, hash).
    known: HashMap<PathBuf, (Excerpt, Stamp, Excerpt)>,
    /// Ids of the library's notes, shared with it rather than copied: a new
    /// file's id must not take one, unless its note is under a changed path.
    ids: Arc<HashMap<Excerpt, usize>>,
    folder_names: HashMap<PathBuf, String>,
    writer: IndexWrite,
}

/// An update read, parsed and committed to the index, ready to be swapped
/// into the library.
pub struct PreparedUpdate {
    notes: Vec<(Note, Stamp)>,
    skipped: Vec<(PathBuf, String, String, Stamp)>,
    gone: Vec<PathBuf>,
    /// Files now unreadable or no longer notes: dropped, with a warning.
    warnings: Vec<LoadWarning>,
    /// Paths the update looked at: their old warnings go.
    looked_at: Vec<PathBuf>,
    files_read: usize,
    /// The index took the update (no other process held its writer).
    indexed: bool,
    /// How long reading, parsing and indexing took.
    prepared: std::time::Duration,
    started: Instant,
}

/// Held while this process watches the notes folders and applies every
/// change they report: other processes opening the same library trust its
/// catalog rather than look at every file. Drop it when watching stops.
pub struct Watching {
    _lock: WatchLock,
}

impl Library {
    /// Tells other processes that this one keeps the library in step with
    /// its folders from now on; `None` when another process already does.
    pub fn vouch_while_watching(&self) -> Result<Option<Watching>> {
        Ok(
            WatchLock::take(&self.config.data_dir, &self.config.notes_dirs)?
                .map(|lock| Watching { _lock: lock }),
        )
    }

    /// Decodes the notes and reads the index's versions now, so that the
    /// first update does not wait for them (a watcher calls this as it starts).
    pub fn ready_for_updates(&mut self) {
        self.loaded();
        self.index.read_versions();
    }

    /// Prepares an update of the notes at `paths` (files or folders, changed,
    /// created, deleted or renamed — both names of a rename). Cheap: run the
    /// job, then [`Library::apply_update`] its result.
    pub fn prepare_update(&self, paths: Vec<PathBuf>) -> UpdateJob {
        let loaded = self.loaded();
        let dirs = &self.config.notes_dirs;
        let folder_of = |path: &Path| dirs.iter().find(|dir| path.starts_with(dir)).cloned();
        let paths: Vec<(PathBuf, PathBuf)> = paths
            .into_iter()
            .filter_map(|path| Some((folder_of(&path)?, path)))
            .collect();
        // Byte prefixes first: `Path::starts_with` walks components, and
        // every note is looked at.
        let under_changed = |note: &Note| {
            paths.iter().any(|(_, p)| {
                note.path
                    .as_os_str()
                    .as_encoded_bytes()
                    .starts_with(p.as_os_str().as_encoded_bytes())
                    && note.path.starts_with(p)
            })
        };
        let mut known = HashMap::new();
        for note in &loaded.notes {
            if under_changed(note) {
                let stamp = loaded
                    .files
                    .stamps
                    .get(&note.path)
                    .copied()
                    .unwrap_or_default();
                known.insert(
                    note.path.clone(),
                    (note.id.clone(), stamp, note.hash.clone()),
                );
            }
        }
        let folder_names = dirs
            .iter()
            .map(|dir| {
                let name = dir
                    .canonicalize()
                    .ok()
                    .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .unwrap_or_else(|| "notes".to_string());
                (dir.clone(), name)
            })
            .collect();
        UpdateJob {
            paths,
            known,
            ids: Arc::clone(&loaded.positions),
            folder_names,
            writer: self.index.writer(),
        }
    }

    /// Swaps a prepared update in: the notes, their sections, the index's
    /// reader, the user's data re-attached to moved cards, the vectors for
    /// search by meaning, and the catalog on disk.
    pub fn apply_update(&mut self, update: PreparedUpdate) -> Result<UpdateReport> {
        let mut report = UpdateReport {
            files_read: update.files_read,
            ..UpdateReport::default()
        };
        self.loaded();
        let loaded = self.loaded.get_mut().expect("loaded above");
        // Only the notes at the update's paths are looked at: no map of
        // every note is built, so a one-file update stays cheap in a library
        // of 50,000.
        // By the path's bytes: hashing a `Path` walks its components.
        let touched: FxHashSet<&std::ffi::OsStr> = update
            .gone
            .iter()
            .map(|path| path.as_os_str())
            .chain(update.skipped.iter().map(|(path, ..)| path.as_os_str()))
            .chain(update.notes.iter().map(|(note, _)| note.path.as_os_str()))
            .collect();
        let mut by_path: HashMap<&Path, usize> = HashMap::new();
        for (i, note) in loaded.notes.iter().enumerate() {
            if touched.contains(note.path.as_os_str()) {
                by_path.insert(note.path.as_path(), i);
            }
        }
        let fresh: HashMap<&Path, &Note> = update
            .notes
            .iter()
            .map(|(note, _)| (note.path.as_path(), note))
            .collect();
        let mut in_place: Vec<(usize, &Note)> = Vec::new();
        let mut dropped: Vec<usize> = Vec::new();
        let mut new_notes: Vec<&Note> = Vec::new();
        for (&path, &i) in &by_path {
            match fresh.get(path) {
                Some(note) if loaded.notes[i].id == note.id => in_place.push((i, note)),
                _ => dropped.push(i),
            }
        }
        for (path, note) in &fresh {
            if by_path
                .get(path)
                .is_none_or(|&i| loaded.notes[i].id != note.id)
            {
                new_notes.push(note);
            }
        }
        for &(i, note) in &in_place {
            if loaded.notes[i].hash != note.hash {
                report.changed.push(note.id.to_string());
            }
        }
        // A note moved between folders under the same relative path keeps
        // its id: it changed, it was neither removed nor added.
        let old_ids: HashSet<Excerpt> = dropped
            .iter()
            .map(|&i| loaded.notes[i].id.clone())
            .collect();
        let new_ids: HashSet<&str> = new_notes.iter().map(|n| n.id.as_str()).collect();
        for note in &new_notes {
            if old_ids.contains(note.id.as_str()) {
                report.changed.push(note.id.to_string());
            } else {
                report.added.push(note.id.to_string());
            }
        }
        report.removed = old_ids
            .iter()
            .filter(|id| !new_ids.contains(id.as_str()))
            .map(Excerpt::to_string)
            .collect();
        report.changed.sort();
        report.added.sort();
        report.removed.sort();
        // The same text under a new name is the same note, moved; when
        // several removed notes share a text, which went where is unknown.
        let mut removed_by_hash: HashMap<&str, Option<&str>> = HashMap::new();
        for &i in &dropped {
            let note = &loaded.notes[i];
            if report
                .removed
                .binary_search_by(|id| id.as_str().cmp(&note.id))
                .is_ok()
            {
                removed_by_hash
                    .entry(note.hash.as_str())
                    .and_modify(|only| *only = None)
                    .or_insert(Some(note.id.as_str()));
            }
        }
        let mut moves: HashMap<&str, Option<&str>> = HashMap::new();
        for note in &new_notes {
            if let (Ok(_), Some(Some(from))) = (
                report
                    .added
                    .binary_search_by(|id| id.as_str().cmp(&note.id)),
                removed_by_hash.get(note.hash.as_str()),
            ) {
                moves
                    .entry(from)
                    .and_modify(|only| *only = None)
                    .or_insert(Some(note.id.as_str()));
            }
        }
        report.renamed = moves
            .into_iter()
            .filter_map(|(from, to)| {
                Some(Renamed {
                    from: from.to_string(),
                    to: to?.to_string(),
                })
            })
            .collect();
        report.renamed.sort_by(|a, b| a.from.cmp(&b.from));

        for &(i, note) in &in_place {
            loaded.notes[i] = note.clone();
        }
        dropped.sort_unstable();
        for &i in dropped.iter().rev() {
            loaded.notes.remove(i);
        }
        let dirs = &self.config.notes_dirs;
        let order = |note: &Note| {
            (
                dirs.iter().position(|d| note.path.starts_with(d)),
                note.id.clone(),
            )
        };
        for note in &new_notes {
            // The notes stay in load order: by folder, then by id.
            let key = order(note);
            let at = loaded.notes.partition_point(|n| order(n) < key);
            loaded.notes.insert(at, (*note).clone());
        }
        if !dropped.is_empty() || !new_notes.is_empty() {
            loaded.positions = super::positions(&loaded.notes);
        }
        let gone: FxHashSet<&str> = report.removed.iter().map(String::as_str).collect();
        let replaced: Vec<&Note> = update.notes.iter().map(|(n, _)| n).collect();
        loaded.catalog.replace(&gone, &replaced);

        for path in &update.gone {
            loaded.files.stamps.remove(path);
            loaded.files.skipped.remove(path);
        }
        for (note, stamp) in &update.notes {
            loaded.files.stamps.insert(note.path.clone(), *stamp);
            loaded.files.skipped.remove(&note.path);
        }
        for (path, id, message, stamp) in &update.skipped {
            loaded.files.stamps.remove(path);
            loaded
                .files
                .skipped
                .insert(path.clone(), (id.clone(), message.clone(), *stamp));
        }
        self.warnings
            .retain(|w| !update.looked_at.iter().any(|p| w.path.starts_with(p)));
        self.warnings.extend(update.warnings.iter().cloned());
        self.warnings.extend(
            update
                .notes
                .iter()
                .filter_map(|(note, _)| Some((note, note.repair.as_ref()?)))
                .map(|(note, repair)| LoadWarning {
                    path: note.path.clone(),
                    message: repair.clone(),
                }),
        );

        let swapped = update.started.elapsed();
        let loaded = self.loaded.get().expect("loaded above");
        let indexed: Vec<&Note> = update.notes.iter().map(|(n, _)| n).collect();
        let removed_ids: Vec<&str> = report.removed.iter().map(String::as_str).collect();
        // Opened before the gate, which opening it takes.
        self.store()?;
        // One writer at a time of the index's state and of the catalog.
        let one_writer = OpenGate::acquire(&self.config.data_dir)?;
        self.index.set_modules(loaded.catalog.modules());
        if update.indexed {
            self.index.committed(&indexed, &removed_ids)?;
        }
        let committed = update.started.elapsed();
        let touched_ids: Vec<&str> = report
            .changed
            .iter()
            .chain(&report.added)
            .chain(&report.removed)
            .map(String::as_str)
            .collect();
        if !report.is_empty() && self.store()?.needs_reconcile(&touched_ids)? {
            self.store()?.reconcile(&notes::all_refs(&loaded.notes))?;
        }
        let reconciled = update.started.elapsed();
        let changes: Vec<Change<'_>> = update
            .notes
            .iter()
            .map(|(note, stamp)| Change::Note(note, *stamp))
            .chain(
                update
                    .skipped
                    .iter()
                    .map(|(path, id, message, stamp)| Change::Skipped {
                        path,
                        id,
                        message,
                        stamp: *stamp,
                    }),
            )
            .chain(update.gone.iter().map(|path| Change::Gone(path)))
            .collect();
        self.cache.write(&changes, &loaded.notes, &loaded.files)?;
        drop(one_writer);
        tracing::debug!(prepared = ?update.prepared, ?swapped, ?committed, ?reconciled, written = ?update.started.elapsed(), "update applied");
        self.refresh_meaning()?;
        self.last_index_report.files = loaded.notes.len();
        self.last_index_report.sections = loaded.catalog.sections().len();
        report.millis = update.started.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// [`Library::prepare_update`], the job and [`Library::apply_update`] in
    /// one, for a caller that owns the library (the CLI).
    pub fn update(&mut self, paths: Vec<PathBuf>) -> Result<UpdateReport> {
        let prepared = self.prepare_update(paths).run()?;
        self.apply_update(prepared)
    }
}

impl UpdateJob {
    /// Reads and parses the changed files, and commits them to the index on
    /// disk (other processes' searches see them from here on); the library
    /// keeps answering searches meanwhile.
    pub fn run(self) -> Result<PreparedUpdate> {
        let started = Instant::now();
        let mut candidates: Vec<(String, PathBuf, Stamp)> = Vec::new();
        let mut gone = Vec::new();
        let mut looked_at = Vec::new();
        for (root, path) in &self.paths {
            looked_at.push(path.clone());
            match std::fs::metadata(path) {
                Ok(meta) if meta.is_dir() => {
                    candidates.extend(notes::files_under(root, path));
                }
                Ok(meta) if notes::may_be_note(root, path) => {
                    candidates.push((
                        notes::relative_id(root, path),
                        path.clone(),
                        Stamp::of(&meta),
                    ));
                }
                _ => {}
            }
        }
        let present: HashSet<&PathBuf> = candidates.iter().map(|(_, p, _)| p).collect();
        for path in self.known.keys() {
            if !present.contains(path) {
                gone.push(path.clone());
            }
        }
        // A file whose stamp has not moved (an event for a file only opened,
        // or both names of a rename) is not read again.
        candidates.retain(|(_, path, stamp)| {
            self.known
                .get(path)
                .is_none_or(|(_, known, _)| !known.vouches_for(*stamp))
        });
        candidates.sort_by(|a, b| a.1.cmp(&b.1));
        candidates.dedup_by(|a, b| a.1 == b.1);
        let known_ids: HashSet<&str> = self.known.values().map(|(id, ..)| id.as_str()).collect();
        let mut assigned: HashSet<String> = HashSet::new();
        let taken = |id: &str, assigned: &HashSet<String>| {
            assigned.contains(id) || (self.ids.contains_key(id) && !known_ids.contains(id))
        };
        let mut to_read = Vec::new();
        for (relative, path, stamp) in candidates {
            let id = match self.known.get(&path) {
                Some((id, ..)) => id.to_string(),
                None => {
                    let root = self
                        .paths
                        .iter()
                        .find(|(root, _)| path.starts_with(root))
                        .map(|(root, _)| root.clone())
                        .unwrap_or_default();
                    unique_id(
                        &relative,
                        |id| taken(id, &assigned),
                        &self.folder_names[&root],
                    )
                }
            };
            assigned.insert(id.clone());
            to_read.push((id, path, stamp));
        }
        let files_read = to_read.len();
        let results = notes::parallel_map(&to_read, |(id, path, stamp)| {
            notes::read_note(id, path, stamp.size)
        });
        let mut read = Vec::new();
        let mut skipped = Vec::new();
        let mut warnings = Vec::new();
        for ((id, path, stamp), (note, warning)) in to_read.into_iter().zip(results) {
            match note {
                Some(note) => read.push((note, stamp)),
                // The warnings of read notes (repairs) are made from the
                // notes when applied.
                None => {
                    if let Some(w) = warning {
                        // Unreadable files are tried again at the next start;
                        // the others stay skipped until they change.
                        if !w.message.starts_with(notes::UNREADABLE) {
                            skipped.push((path.clone(), id, w.message.clone(), stamp));
                        }
                        warnings.push(w);
                    }
                    gone.push(path);
                }
            }
        }
        let changed: Vec<&Note> = read
            .iter()
            .map(|(n, _)| n)
            .filter(|n| {
                self.known
                    .get(&n.path)
                    .is_none_or(|(id, _, hash)| *id != n.id || *hash != n.hash)
            })
            .collect();
        let removed: Vec<&str> = gone
            .iter()
            .filter_map(|path| self.known.get(path).map(|(id, ..)| id.as_str()))
            .collect();
        let mut indexed = true;
        if !changed.is_empty() || !removed.is_empty() {
            let owned: Vec<Note> = changed.iter().map(|n| (*n).clone()).collect();
            let catalog = Catalog::build(&owned);
            // When another process holds the writer (a `rehearse index`),
            // the index is left as it is and its state not told otherwise:
            // the next start indexes these notes.
            indexed = self.writer.replace(
                &changed,
                &removed,
                false,
                &catalog,
                &mut |_| {},
                &AtomicBool::new(false),
            )?;
        }
        Ok(PreparedUpdate {
            notes: read,
            skipped,
            gone,
            warnings,
            looked_at,
            files_read,
            indexed,
            prepared: started.elapsed(),
            started,
        })
    }
}

/// A new note's id: its relative path, or with its folder's name in front
/// when another folder's note has it (as when the folders are loaded).
fn unique_id(relative: &str, taken: impl Fn(&str) -> bool, folder_name: &str) -> String {
    let mut id = relative.to_string();
    let mut n = 1;
    while taken(&id) {
        n += 1;
        let folder = if n == 2 {
            notes::note_id(folder_name)
        } else {
            notes::note_id(&format!("{folder_name} ({n})"))
        };
        id = format!("{folder}/{relative}");
    }
    id
}

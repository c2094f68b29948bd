//! Walking notes folders: which files are notes, reading them safely, and
//! turning each into a [`Note`]. Nothing a file contains makes loading fail;
//! what is wrong becomes a [`LoadWarning`].

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::cache::{Change, EntryKind, Snapshot, Stamp};
use super::decode::decode;
use super::id::note_id;
use super::parse::parse;
use super::{Excerpt, LoadWarning, Note, OutlineEntry};
use crate::{Error, Result};

/// Files larger than this are not notes anyone typed; they are skipped.
pub const MAX_NOTE_BYTES: u64 = 8 * 1024 * 1024;

pub struct LoadedNotes {
    pub notes: Vec<Note>,
    pub warnings: Vec<LoadWarning>,
    /// How many note files were read; the others came from the catalog.
    pub files_read: usize,
    /// Every file seen, with the stamp it had: notes and skipped files.
    pub(crate) files: FileTable,
    /// Indexes into `notes` of the notes read from their files this time.
    pub(crate) fresh: Vec<usize>,
    /// Paths into `files.skipped` skipped this time after being read.
    pub(crate) fresh_skipped: Vec<PathBuf>,
    /// Files the catalog knew that are gone.
    pub(crate) gone: Vec<PathBuf>,
}

/// The stamp of every file a load saw, so the next load can tell which
/// changed without reading them.
#[derive(Default)]
pub(crate) struct FileTable {
    pub stamps: FxHashMap<PathBuf, Stamp>,
    /// Files that are not notes (binary, too large): their id and why.
    pub skipped: FxHashMap<PathBuf, (String, String, Stamp)>,
}

impl LoadedNotes {
    /// What changed since the catalog was written, to record in it.
    pub(crate) fn changes(&self) -> Vec<Change<'_>> {
        let notes = self
            .fresh
            .iter()
            .map(|&i| &self.notes[i])
            .map(|note| Change::Note(note, self.files.stamps[&note.path]));
        let skipped = self.fresh_skipped.iter().map(|path| {
            let (id, message, stamp) = &self.files.skipped[path];
            Change::Skipped {
                path,
                id,
                message,
                stamp: *stamp,
            }
        });
        let gone = self.gone.iter().map(|path| Change::Gone(path));
        notes.chain(skipped).chain(gone).collect()
    }
}

/// Loads every `.md`/`.markdown` file under each folder, recursively. A folder
/// that does not exist is an error (the user named it); everything inside one
/// is survived.
pub fn load_folders(dirs: &[PathBuf]) -> Result<LoadedNotes> {
    let empty = Snapshot::default();
    Ok(scan_folders(dirs, &empty)?.materialize(&empty))
}

/// What a look at the folders found: the files the catalog vouches for are
/// left in it, the others read.
pub(crate) struct Scan {
    /// Every note in load order: read now, or `None` when in the catalog.
    pub listed: Vec<(PathBuf, Option<Note>)>,
    pub warnings: Vec<LoadWarning>,
    pub files_read: usize,
    pub files: FileTable,
    pub fresh_skipped: Vec<PathBuf>,
    pub gone: Vec<PathBuf>,
}

impl Scan {
    /// Every note, those of the catalog decoded from it, on all cores.
    pub fn materialize(self, snapshot: &Snapshot) -> LoadedNotes {
        let decoded = parallel_map(&self.listed, |(path, note)| match note {
            Some(_) => None,
            None => snapshot.note(path, snapshot.entry(path)?),
        });
        let mut notes = Vec::with_capacity(self.listed.len());
        let mut fresh = Vec::new();
        let mut warnings = self.warnings;
        let mut read_again = 0;
        for ((path, read), cached) in self.listed.into_iter().zip(decoded) {
            if read.is_some() {
                fresh.push(notes.len());
            }
            match read.or(cached) {
                Some(note) => notes.push(note),
                // A record that does not decode is not trusted: the file is
                // read, and the catalog rewritten with it.
                None => {
                    let id = snapshot
                        .entry(&path)
                        .map_or_else(String::new, |e| snapshot.id(e).to_string());
                    let (note, warning) = read_note(&id, &path, self.files.stamps[&path].size);
                    read_again += 1;
                    warnings.extend(warning);
                    if let Some(note) = note {
                        fresh.push(notes.len());
                        notes.push(note);
                    }
                }
            }
        }
        LoadedNotes {
            notes,
            warnings,
            files_read: self.files_read + read_again,
            files: self.files,
            fresh,
            fresh_skipped: self.fresh_skipped,
            gone: self.gone,
        }
    }
}

/// The notes at `order`, decoded from the catalog on all cores; a record that
/// does not decode is read from its file instead.
pub(crate) fn decode_all(snapshot: &Snapshot, order: &[PathBuf]) -> Vec<Note> {
    let decoded = parallel_map(order, |path| {
        let entry = snapshot.entry(path)?;
        snapshot
            .note(path, entry)
            .or_else(|| read_note(snapshot.id(entry), path, entry.stamp.size).0)
    });
    // Room for every note at once: grown by doubling, the list of 50,000
    // notes held room for 15,000 more (2.5 MB).
    let mut notes = Vec::with_capacity(decoded.len());
    notes.extend(decoded.into_iter().flatten());
    notes
}

/// The notes' paths in load order and the table of files, as the catalog
/// holds them, without looking at the folders. `None` when the catalog was
/// written for folders named otherwise (another working directory, say).
pub(crate) fn catalog_view(
    dirs: &[PathBuf],
    snapshot: &Snapshot,
) -> Option<(Vec<PathBuf>, FileTable)> {
    let mut files = FileTable::default();
    let mut listed = Vec::with_capacity(snapshot.len());
    for entry in snapshot.iter() {
        let path = Path::new(snapshot.path(entry));
        let folder = dirs.iter().position(|d| path.starts_with(d))?;
        match snapshot.kind(entry) {
            EntryKind::Note { .. } => {
                files.stamps.insert(path.to_path_buf(), entry.stamp);
                listed.push((folder, snapshot.id(entry), path));
            }
            EntryKind::Skipped { message } => {
                files.skipped.insert(
                    path.to_path_buf(),
                    (
                        snapshot.id(entry).to_string(),
                        message.to_string(),
                        entry.stamp,
                    ),
                );
            }
        }
    }
    // Load order, as the folders' walk gives it: by folder, then by id.
    listed.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let order = listed
        .into_iter()
        .map(|(_, _, path)| path.to_path_buf())
        .collect();
    Some((order, files))
}

/// What the catalog says was wrong with its files: repaired and skipped ones.
pub(crate) fn catalog_warnings(snapshot: &Snapshot) -> Vec<LoadWarning> {
    let mut warnings: Vec<LoadWarning> = snapshot
        .iter()
        .filter_map(|entry| {
            let message = match snapshot.kind(entry) {
                EntryKind::Note { repair, .. } => repair?.to_string(),
                EntryKind::Skipped { message } => message.to_string(),
            };
            Some(LoadWarning {
                path: PathBuf::from(snapshot.path(entry)),
                message,
            })
        })
        .collect();
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    warnings
}

/// Looks at every file of `dirs`, reading only those the catalog `snapshot`
/// cannot vouch for.
pub(crate) fn scan_folders(dirs: &[PathBuf], snapshot: &Snapshot) -> Result<Scan> {
    let listing = list_files(dirs)?;
    let mut warnings = listing.warnings;
    let mut files = FileTable::default();
    let mut listed: Vec<(PathBuf, Option<Note>)> = Vec::with_capacity(listing.found.len());
    let mut to_read = Vec::new();
    files.stamps.reserve(listing.found.len());
    let mut known_files = 0;
    for (id, path, stamp) in listing.found {
        let entry = snapshot.entry(&path);
        known_files += usize::from(entry.is_some());
        let known = entry.filter(|e| e.stamp.vouches_for(stamp) && snapshot.id(e) == id);
        match known.map(|e| snapshot.kind(e)) {
            Some(EntryKind::Note { repair, .. }) => {
                if let Some(repair) = repair {
                    warnings.push(LoadWarning {
                        path: path.clone(),
                        message: repair.to_string(),
                    });
                }
                files.stamps.insert(path.clone(), stamp);
                listed.push((path, None));
            }
            Some(EntryKind::Skipped { message }) => {
                warnings.push(LoadWarning {
                    path: path.clone(),
                    message: message.to_string(),
                });
                files.skipped.insert(path, (id, message.to_string(), stamp));
            }
            None => {
                to_read.push((listed.len(), id, path.clone(), stamp));
                listed.push((path, None));
            }
        }
    }
    let files_read = to_read.len();
    let results = parallel_map(&to_read, |(_, id, path, stamp)| {
        read_note(id, path, stamp.size)
    });
    let mut fresh_skipped = Vec::new();
    let mut read_warnings = Vec::new();
    // Read notes take their place in load order; the places of files that
    // turned out not to be notes are dropped after.
    let mut not_notes = HashSet::new();
    for ((place, id, path, stamp), (note, warning)) in to_read.into_iter().zip(results) {
        match note {
            Some(note) => {
                files.stamps.insert(path, stamp);
                listed[place].1 = Some(note);
            }
            None => {
                not_notes.insert(place);
                // Unreadable files are tried again next time; the others
                // stay skipped until they change.
                if let Some(w) = &warning
                    && !w.message.starts_with(UNREADABLE)
                {
                    files
                        .skipped
                        .insert(path.clone(), (id, w.message.clone(), stamp));
                    fresh_skipped.push(path);
                }
            }
        }
        read_warnings.extend(warning);
    }
    if !not_notes.is_empty() {
        let mut place = 0;
        listed.retain(|_| {
            place += 1;
            !not_notes.contains(&(place - 1))
        });
    }
    warnings.extend(read_warnings);
    // Every file the catalog knows was seen: none is gone, without a set of
    // the paths seen to look each up in.
    let gone = if known_files == snapshot.len() {
        Vec::new()
    } else {
        snapshot
            .iter()
            .map(|entry| PathBuf::from(snapshot.path(entry)))
            .filter(|path| !files.stamps.contains_key(path) && !files.skipped.contains_key(path))
            .collect()
    };
    Ok(Scan {
        listed,
        warnings,
        files_read,
        files,
        fresh_skipped,
        gone,
    })
}

/// Whether every file of `dirs` is as the catalog holds it (same size and
/// modification time, nothing added or gone), looked at on all cores without
/// reading a file or building the list of notes. The folders are walked
/// while the catalog is still being opened elsewhere: what is seen before
/// `snapshot` is set waits for it. `false` whenever in doubt (a symlink, a
/// folder that cannot be read, a catalog written for other folders): then
/// the folders are scanned as a whole.
pub(crate) fn unchanged_since(dirs: &[PathBuf], snapshot: &OnceLock<Snapshot>) -> bool {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    if dirs.iter().any(|d| !d.is_dir()) {
        return false;
    }
    let seen = AtomicUsize::new(0);
    let changed = AtomicBool::new(false);
    // The note files of one folder, with their stamps; `None` for a symlink
    // or a folder that cannot be read.
    let look = |dir: &Path, files: &mut Vec<(PathBuf, Stamp)>, more: &mut Vec<PathBuf>| {
        for entry in std::fs::read_dir(dir).ok()? {
            let entry = entry.ok()?;
            let name = entry.file_name();
            let bytes = name.as_encoded_bytes();
            if bytes.starts_with(b".") || bytes == b"node_modules" {
                continue;
            }
            let kind = entry.file_type().ok()?;
            if kind.is_symlink() {
                return None;
            }
            if kind.is_dir() {
                more.push(entry.path());
            } else if is_markdown(Path::new(&name)) {
                files.push((entry.path(), Stamp::of(&entry.metadata().ok()?)));
            }
        }
        Some(())
    };
    // Whether each file is in the catalog as it is, under the id it would get.
    let known = |snapshot: &Snapshot, root: &Path, files: &[(PathBuf, Stamp)]| {
        let Some(root) = root.to_str() else {
            return false;
        };
        files.iter().all(|(path, stamp)| {
            let Some(key) = path.to_str() else {
                return false;
            };
            let Some(known) = snapshot.get(key) else {
                return false;
            };
            // The id the file would get, as `relative_id` makes it, without
            // building it unless it needs escaping.
            let relative = key
                .strip_prefix(root)
                .unwrap_or_default()
                .trim_start_matches('/');
            let id_kept = if relative.contains(['%', '#']) {
                snapshot.id(known) == note_id(relative)
            } else {
                snapshot.id(known) == relative
            };
            known.stamp.vouches_for(*stamp) && id_kept
        })
    };
    // Compares the files seen so far with the catalog; `false` at the first
    // that differs.
    let check = |snapshot: &Snapshot, waiting: &mut Vec<(&Path, Vec<(PathBuf, Stamp)>)>| {
        for (root, files) in waiting.drain(..) {
            if !known(snapshot, root, &files) {
                changed.store(true, Ordering::Relaxed);
                return false;
            }
            seen.fetch_add(files.len(), Ordering::Relaxed);
        }
        true
    };
    // Each thread's files seen before the catalog was open.
    let left: Vec<Vec<_>> = each_folder(
        dirs.iter().map(|d| (d.as_path(), d.clone())).collect(),
        |(root, dir), more, waiting: &mut Vec<(&Path, Vec<(PathBuf, Stamp)>)>| {
            let mut files = Vec::new();
            let mut folders = Vec::new();
            if look(&dir, &mut files, &mut folders).is_none() {
                changed.store(true, Ordering::Relaxed);
                return false;
            }
            more.extend(folders.into_iter().map(|folder| (root, folder)));
            waiting.push((root, files));
            snapshot
                .get()
                .is_none_or(|snapshot| check(snapshot, waiting))
        },
    );
    let snapshot = snapshot.wait();
    for mut waiting in left {
        if changed.load(Ordering::Relaxed) || !check(snapshot, &mut waiting) {
            return false;
        }
    }
    // Every file seen was in the catalog as it is; none it holds is gone.
    !snapshot.is_empty() && seen.into_inner() == snapshot.len()
}

/// Reads folders on all cores, from `start`: `visit` reads one and adds the
/// folders inside it to its second argument; each thread gathers what it
/// finds in a `T` of its own, and all of them are returned. `visit` answers
/// `false` to stop every thread.
fn each_folder<F: Send, T: Default + Send>(
    start: Vec<F>,
    visit: impl Fn(F, &mut Vec<F>, &mut T) -> bool + Sync,
) -> Vec<T> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Condvar, Mutex};

    // Folders waiting to be read, and how many threads are reading one.
    let queue = Mutex::new((start, 0usize));
    let wake = Condvar::new();
    let stop = AtomicBool::new(false);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = T::default();
                    let mut more = Vec::new();
                    loop {
                        let folder = {
                            let mut state = queue.lock().expect("no thread panics holding it");
                            loop {
                                if stop.load(Ordering::Relaxed) {
                                    return found;
                                }
                                if let Some(next) = state.0.pop() {
                                    state.1 += 1;
                                    break next;
                                }
                                if state.1 == 0 {
                                    return found;
                                }
                                state = wake.wait(state).expect("no thread panics holding it");
                            }
                        };
                        let go_on = visit(folder, &mut more, &mut found);
                        let mut state = queue.lock().expect("no thread panics holding it");
                        state.1 -= 1;
                        if go_on {
                            state.0.append(&mut more);
                        } else {
                            stop.store(true, Ordering::Relaxed);
                        }
                        drop(state);
                        wake.notify_all();
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("reading folders does not panic"))
            .collect()
    })
}

/// The note files of `dirs` with their ids and stamps, in load order.
pub(crate) struct Listing {
    pub found: Vec<(String, PathBuf, Stamp)>,
    pub warnings: Vec<LoadWarning>,
}

pub(crate) fn list_files(dirs: &[PathBuf]) -> Result<Listing> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut ids = HashSet::new();
    for dir in dirs {
        if !dir.is_dir() {
            return Err(Error::NotesFolderMissing(dir.clone()));
        }
        let (mut found, mut skipped) = walk(dir, dir);
        found.sort_by(|a, b| a.0.cmp(&b.0));
        warnings.append(&mut skipped);
        let folder_name = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "notes".to_string());
        for (relative, path, stamp) in found {
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
            files.push((id, path, stamp));
        }
    }
    Ok(Listing {
        found: files,
        warnings,
    })
}

/// The note files under `dir`, a folder inside the notes folder `root`,
/// with their relative ids and stamps, read on all cores; and the folders
/// that could not be read.
fn walk(root: &Path, dir: &Path) -> (Vec<(String, PathBuf, Stamp)>, Vec<LoadWarning>) {
    // Symlinked folders may loop back on themselves: each real folder is read once.
    let visited = std::sync::Mutex::new(HashSet::new());
    let found = each_folder(vec![dir.to_path_buf()], |dir, more, (found, warnings)| {
        let fresh = folder_key(&dir).is_some_and(|key| {
            visited
                .lock()
                .expect("no thread panics holding it")
                .insert(key)
        });
        if fresh {
            read_folder(root, &dir, found, more, warnings);
        }
        true
    });
    let (mut files, mut warnings) = (Vec::new(), Vec::new());
    for (mut found, mut skipped) in found {
        files.append(&mut found);
        warnings.append(&mut skipped);
    }
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    (files, warnings)
}

/// One folder: its note files into `found`, the folders in it (symlinked
/// ones too) into `more`; one that cannot be read becomes a warning.
fn read_folder(
    root: &Path,
    dir: &Path,
    found: &mut Vec<(String, PathBuf, Stamp)>,
    more: &mut Vec<PathBuf>,
    warnings: &mut Vec<LoadWarning>,
) {
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
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "node_modules" {
            continue;
        }
        let path = entry.path();
        // The directory entry knows its type: a stat only to follow a
        // symlink, and for notes, whose size and time are their stamp.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            more.push(path);
            continue;
        }
        if !kind.is_symlink() && !is_markdown(&path) {
            continue;
        }
        let meta = if kind.is_symlink() {
            std::fs::metadata(&path)
        } else {
            entry.metadata()
        };
        if meta.as_ref().is_ok_and(|m| m.is_dir()) {
            more.push(path);
        } else if is_markdown(&path) {
            let id = relative_id(root, &path);
            // A file that cannot be looked at gets an empty stamp: reading
            // it says why it was skipped.
            let stamp = meta.as_ref().map_or(Stamp::default(), Stamp::of);
            found.push((id, path, stamp));
        }
    }
}

/// What tells one real folder from another, however it is reached.
#[cfg(unix)]
type FolderKey = (u64, u64);
#[cfg(not(unix))]
type FolderKey = PathBuf;

/// The folder's device and inode: one `stat`, where resolving its real path
/// took one per component of the path, for each of thousands of folders.
#[cfg(unix)]
fn folder_key(dir: &Path) -> Option<FolderKey> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir).ok()?;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn folder_key(dir: &Path) -> Option<FolderKey> {
    dir.canonicalize().ok()
}

/// The id a note at `path` has in the notes folder `root`, before any
/// clash with another folder's note.
pub(crate) fn relative_id(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    note_id(
        &relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The note files under `dir`, a folder inside the notes folder `root`, with
/// their relative ids and stamps.
pub(crate) fn files_under(root: &Path, dir: &Path) -> Vec<(String, PathBuf, Stamp)> {
    walk(root, dir).0
}

/// Whether a path inside a notes folder can be a note: a markdown file not
/// under a hidden folder or `node_modules` (as the folder walk skips them).
pub(crate) fn may_be_note(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    is_markdown(path)
        && relative.components().all(|c| {
            let name = c.as_os_str().to_string_lossy();
            !name.starts_with('.') && name != "node_modules"
        })
}

pub(crate) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// How the warning for a file that could not be read begins: such a file is
/// tried again at the next load, unlike one that is not a note.
pub(crate) const UNREADABLE: &str = "skipped (unreadable)";

pub(crate) fn read_note(id: &str, path: &Path, size: u64) -> (Option<Note>, Option<LoadWarning>) {
    let warn = |message: String| LoadWarning {
        path: path.to_path_buf(),
        message,
    };
    if size > MAX_NOTE_BYTES {
        return (
            None,
            Some(warn(format!(
                "skipped: {} MB is over the {} MB limit for a note",
                size / (1024 * 1024),
                MAX_NOTE_BYTES / (1024 * 1024)
            ))),
        );
    }
    let bytes = match read_file(path, size) {
        Ok(bytes) => bytes,
        Err(e) => return (None, Some(warn(format!("{UNREADABLE}: {e}")))),
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

/// The file's bytes, read into room for the `size` its stamp gave. Not
/// `read_to_end`, which looks at the file's size and position again first:
/// two more system calls per note. A file grown since is read to its end
/// all the same.
fn read_file(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{ErrorKind, Read};
    let mut file = std::fs::File::open(path)?;
    // One byte more than the size: a read that fills it shows the file grew.
    let mut bytes = vec![0; size as usize + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            bytes.resize(bytes.len() * 2, 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
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
    let source = Excerpt::from(body);
    let arena = comrak::Arena::new();
    let parsed = parse(&arena, id, &source);
    let file_title = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let title = Excerpt::from(front_title.or(parsed.title).unwrap_or(file_title));
    let note = Excerpt::from(id);
    let mut outline = parsed.outline;
    if !parsed.intro.is_empty() {
        // The note's own opening text is searchable like a module's intro.
        outline.insert(
            0,
            OutlineEntry {
                id: note.clone(),
                title: title.clone(),
                depth: 0,
                is_card: false,
                intro: parsed.intro.into(),
                trail: vec![],
            },
        );
    }
    Note {
        id: note,
        path: path.to_path_buf(),
        title,
        source,
        hash: hash.into(),
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
/// Each thread takes the next item when it is done with one: a library of a
/// few big files and many small ones keeps every core busy to the end, where
/// equal shares of items left one core parsing alone.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            return done;
                        };
                        done.push((i, f(item)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("note parsing does not panic"))
            .collect()
    });
    let mut placed: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, result) in done.into_iter().flatten() {
        placed[i] = Some(result);
    }
    placed
        .into_iter()
        .map(|r| r.expect("every item was mapped"))
        .collect()
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

//! The persisted catalog: every note as parsed, by its file's path, size and
//! modification time, in one append-only file under the data dir, so that an
//! unchanged library opens without reading a note. A hand-written
//! length-prefixed binary format, not JSON (its parse alone outgrew the time
//! budget of a search on 50,000 notes) nor a SQLite table (this is a cache of
//! the notes, not the user's data, and rusqlite stays in `store`). Written
//! whole, it holds the notes' bodies, then one block of their heads (path,
//! stamp, id, hash, where the body lies), so that opening reads the heads in
//! a row; changes are appended after it as records of a head and a body.
//! The block and each record carry lengths and CRC-32s: a tail torn by a
//! killed process, or any damaged record, ends the reading there and the
//! file is rewritten whole from the notes; a record that is missing only
//! makes its file be read again, since every entry is checked against the
//! file's size and time.

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::load::FileTable;
use super::{Card, Excerpt, Note, OutlineEntry, Source};
use crate::binary::{Reader, put_str, put_strs, put_u32};
use crate::{Error, Result};

/// Bump when the records or what the parser makes of a note change: a file of
/// another version is rebuilt from the notes.
const FORMAT: u32 = 5;
const MAGIC: &[u8; 8] = b"RHNOTES\0";
const FILE_NAME: &str = "notes-catalog.bin";

/// A file's size and modification time when it was read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub size: u64,
    /// Nanoseconds since the epoch; 0 means "read it again next time".
    pub mtime_ns: u64,
}

/// Files changed this recently may change again within the same tick of the
/// file system's clock (FAT's is two seconds) without their time moving: they
/// are stored as "read again next time", so an edit never hides behind an
/// unchanged stamp.
const RACY: Duration = Duration::from_secs(2);

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Stamp {
            size: meta.len(),
            mtime_ns,
        }
    }

    /// The stamp to store: one that cannot vouch for the file's content
    /// (changed too recently) is stored as never matching.
    fn to_store(self, now: SystemTime) -> Stamp {
        let recent = now.duration_since(UNIX_EPOCH).map_or(true, |now| {
            now.as_nanos() as u64 <= self.mtime_ns + RACY.as_nanos() as u64
        });
        Stamp {
            mtime_ns: if recent { 0 } else { self.mtime_ns },
            ..self
        }
    }

    pub fn vouches_for(self, current: Stamp) -> bool {
        self.mtime_ns != 0 && self == current
    }
}

/// Where a string of a record's head lies in the mapped catalog: opening
/// 50,000 notes' heads allocates nothing per note.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    len: u32,
}

/// What the catalog remembers of one file, up to its note's body.
pub(crate) struct Entry {
    pub stamp: Stamp,
    path: Span,
    /// The note id the file had, or would have had when skipped.
    id: Span,
    kind: Kept,
    /// Where the note's body lies in the file, and its checksum.
    body: std::ops::Range<usize>,
    crc: u32,
}

enum Kept {
    Note {
        hash: Span,
        repair: Option<Span>,
    },
    Skipped {
        message: Span,
    },
    /// The file is gone since: the entry is kept only so that the others
    /// keep their places.
    Gone,
}

/// What an entry holds, read from the mapped catalog.
pub(crate) enum EntryKind<'a> {
    Note {
        hash: &'a str,
        repair: Option<&'a str>,
    },
    /// Skipped (binary, too large): the warning to show again.
    Skipped { message: &'a str },
}

/// The catalog file, mapped into memory.
pub(crate) struct Mapped(memmap2::Mmap);

impl Mapped {
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Lets go of the pages read so far: the file's bytes stay in the
    /// system's cache, but no longer count in this process's memory (the
    /// whole catalog of the corpora, 117 MB, did). Pages read later come
    /// back as they are read. The notes decoded from the file keep their
    /// texts in it, so reading them all (decoding, the meaning job's hashes)
    /// is followed by this.
    pub fn release_pages(&self) {
        // SAFETY: a shared, read-only mapping of a file that is never
        // changed in place: dropping its pages only makes the next read of
        // them fault them in again from the file, with the same bytes.
        #[cfg(unix)]
        if let Err(e) = unsafe { self.0.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) } {
            tracing::debug!(error = %e, "the notes catalog's pages stay mapped");
        }
    }
}

/// The catalog file as it was when opened, mapped into memory: the notes
/// are decoded from it when asked for, so a search that needs three of
/// them decodes three.
#[derive(Default)]
pub(crate) struct Snapshot {
    /// Mapped, not read: the file is never truncated in place (a rewrite is
    /// a new file renamed over it, an update appends), so the mapping stays
    /// valid while another process writes. Shared with the texts of the
    /// notes decoded from it.
    bytes: Option<Arc<Source>>,
    /// Every record's entry, a later one for a path replacing the earlier.
    entries: Vec<Entry>,
    /// The latest entry of each path, by the path's UTF-8 (only such paths
    /// are recorded): hashing and comparing a `Path` walks its components,
    /// 50,000 times per open.
    by_path: HashTable<u32>,
}

fn hash_path(path: &[u8]) -> u64 {
    FxBuildHasher.hash_one(path)
}

/// Paths are looked up and compared as bytes: checking their UTF-8 again
/// on every probe cost more than the lookups.
fn raw(bytes: &[u8], span: Span) -> &[u8] {
    bytes
        .get(span.start..span.start + span.len as usize)
        .unwrap_or_default()
}

fn text(bytes: &[u8], span: Span) -> &str {
    // Checked each time, not trusted: the file could be changed under us,
    // and checking costs little on the few strings handed out.
    std::str::from_utf8(raw(bytes, span)).unwrap_or_default()
}

/// Records `entry` in `snapshot` (whose bytes are `bytes`, not yet in it),
/// replacing the path's earlier one, or forgets the path when `entry` is
/// `None` (the file is gone).
fn record(bytes: &[u8], snapshot: &mut Snapshot, path: Span, entry: Option<Entry>) {
    let key = raw(bytes, path);
    let entries = &mut snapshot.entries;
    let found = snapshot.by_path.find_entry(hash_path(key), |&i| {
        raw(bytes, entries[i as usize].path) == key
    });
    match (found, entry) {
        (Ok(found), Some(entry)) => entries[*found.get() as usize] = entry,
        (Ok(found), None) => {
            entries[*found.get() as usize].kind = Kept::Gone;
            found.remove();
        }
        (Err(absent), Some(entry)) => {
            absent
                .into_table()
                .insert_unique(hash_path(key), entries.len() as u32, |&i| {
                    hash_path(raw(bytes, entries[i as usize].path))
                });
            entries.push(entry);
        }
        (Err(_), None) => {}
    }
}

impl Snapshot {
    fn bytes(&self) -> &[u8] {
        self.bytes.as_deref().map(Source::bytes).unwrap_or_default()
    }

    fn text(&self, span: Span) -> &str {
        text(self.bytes(), span)
    }

    /// How many files the catalog knows.
    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }

    /// The entry of the file at `path`, given as UTF-8.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        let bytes = self.bytes();
        let path = path.as_bytes();
        let at = self.by_path.find(hash_path(path), |&i| {
            raw(bytes, self.entries[i as usize].path) == path
        })?;
        Some(&self.entries[*at as usize])
    }

    pub fn entry(&self, path: &Path) -> Option<&Entry> {
        self.get(path.to_str()?)
    }

    /// Every file the catalog knows, in the order of the file: read in that
    /// order, the mapped pages are read ahead.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|entry| !matches!(entry.kind, Kept::Gone))
    }

    pub fn path(&self, entry: &Entry) -> &str {
        self.text(entry.path)
    }

    pub fn id(&self, entry: &Entry) -> &str {
        self.text(entry.id)
    }

    pub fn kind(&self, entry: &Entry) -> EntryKind<'_> {
        match entry.kind {
            Kept::Note { hash, repair } => EntryKind::Note {
                hash: self.text(hash),
                repair: repair.map(|r| self.text(r)),
            },
            Kept::Skipped { message } => EntryKind::Skipped {
                message: self.text(message),
            },
            // Never handed out: neither `get` nor `iter` gives a gone entry.
            Kept::Gone => EntryKind::Skipped { message: "" },
        }
    }

    /// Lets go of the pages of the file read so far, once every note is
    /// decoded from it (see [`Mapped::release_pages`]).
    pub fn release_pages(&self) {
        if let Some(file) = &self.bytes {
            file.release_pages();
        }
    }

    /// The note a catalog entry holds, read from the file as it was parsed;
    /// `None` for a skipped file.
    pub fn note(&self, path: &Path, entry: &Entry) -> Option<Note> {
        let Kept::Note { hash, repair } = entry.kind else {
            return None;
        };
        let file = self.bytes.as_ref()?;
        let body = file.bytes().get(entry.body.clone())?;
        if !body_intact(body, entry.crc) {
            tracing::warn!(path = %path.display(), "the notes catalog's record is damaged: reading the note");
            return None;
        }
        let mut r = Reader::new(body);
        r.note(file, path, entry.id, hash, repair.map(|r| self.text(r)))
    }
}

/// The catalog file and what it held when opened.
pub(crate) struct NotesCache {
    path: PathBuf,
    /// Records in the file, and how many of them are still the latest for
    /// their path: the file is rewritten once the stale ones outnumber them.
    records: usize,
    /// The file could not be read to its end: the next write rewrites it.
    damaged: bool,
}

/// One change to write: a file read (its note or why it was skipped), or a
/// file gone.
pub(crate) enum Change<'a> {
    Note(&'a Note, Stamp),
    Skipped {
        path: &'a Path,
        id: &'a str,
        message: &'a str,
        stamp: Stamp,
    },
    Gone(&'a Path),
}

impl NotesCache {
    /// Whether `data_dir` has a catalog (of any version, intact or not).
    pub fn exists(data_dir: &Path) -> bool {
        data_dir.join(FILE_NAME).is_file()
    }

    /// Reads the catalog in `data_dir`; a missing, damaged or older one gives
    /// what could be read of it (possibly nothing) and is rewritten later.
    pub fn open(data_dir: &Path) -> (NotesCache, Snapshot) {
        let path = data_dir.join(FILE_NAME);
        let mut cache = NotesCache {
            path,
            records: 0,
            damaged: false,
        };
        let mut snapshot = Snapshot::default();
        let file = match File::open(&cache.path) {
            Ok(file) => file,
            Err(e) => {
                cache.damaged = e.kind() != std::io::ErrorKind::NotFound;
                return (cache, snapshot);
            }
        };
        // SAFETY: see `Snapshot::bytes`; nothing of Rehearse's truncates the file.
        let bytes = match unsafe { memmap2::MmapOptions::new().map(&file) } {
            Ok(bytes) => bytes,
            Err(_) => {
                cache.damaged = true;
                return (cache, snapshot);
            }
        };
        let header = header();
        let heads_at = bytes
            .get(header.len()..header.len() + 8)
            .filter(|_| bytes.starts_with(&header))
            .map(|word| u64::from_le_bytes(word.try_into().expect("eight bytes")) as usize);
        let Some(heads_at) = heads_at else {
            tracing::info!(path = %cache.path.display(), "the notes catalog is of another version: rebuilding it");
            cache.damaged = true;
            return (cache, snapshot);
        };
        // The heads of the notes as last written whole, in one block, then
        // the records appended since.
        let (written, mut at) = match heads_block(&bytes, heads_at) {
            Some(block) => block,
            None => {
                tracing::warn!(path = %cache.path.display(), "the notes catalog's heads are damaged: rewriting it");
                cache.damaged = true;
                return (cache, snapshot);
            }
        };
        // Room for every entry at once, not rehashed as they come: the
        // appended records counted by their lengths alone.
        let mut appended = 0;
        let mut next = at;
        while let Some(len) = bytes.get(next..next + 4) {
            appended += 1;
            next += FRAME + u32::from_le_bytes(len.try_into().expect("four bytes")) as usize;
        }
        snapshot.entries.reserve(written.len() + appended);
        snapshot.by_path.reserve(written.len() + appended, |_| 0);
        cache.records = written.len();
        for (path, entry) in written {
            record(&bytes, &mut snapshot, path, Some(entry));
        }
        while at < bytes.len() {
            let decoded = frame(&bytes, at).and_then(|(start, body, next)| {
                let crc = word(&bytes, start - 4)?;
                decode_head(&bytes, start..body, body..next, crc).map(|head| (head, next))
            });
            let Some(((path, entry), next)) = decoded else {
                tracing::warn!(path = %cache.path.display(), offset = at, "the notes catalog is damaged from here on: rewriting it");
                cache.damaged = true;
                break;
            };
            cache.records += 1;
            record(&bytes, &mut snapshot, path, entry);
            at = next;
        }
        snapshot.bytes = Some(Arc::new(Source::Mapped(Mapped(bytes))));
        (cache, snapshot)
    }

    /// The file must be written whole, even with nothing changed.
    pub fn needs_rewrite(&self) -> bool {
        self.damaged
    }

    /// Records `changes`: appended to the file, or the whole file rewritten
    /// from `notes` and `skipped` when it is damaged or mostly stale. A
    /// rewrite goes to a temporary file renamed over the old one, so a
    /// killed process leaves the old catalog or the new one.
    pub fn write(
        &mut self,
        changes: &[Change<'_>],
        notes: &[Note],
        files: &FileTable,
    ) -> Result<()> {
        let pending = self.prepare(changes, notes, files)?;
        self.finish(pending)
    }

    /// Does the work of [`NotesCache::write`] that readers of the catalog do
    /// not see: encodes the records, and writes a whole new file beside the
    /// catalog. Borrowing the cache only to read, it runs while the index is
    /// being written; [`NotesCache::finish`] then makes it the catalog, or a
    /// dropped [`Pending`] removes its file.
    pub fn prepare(
        &self,
        changes: &[Change<'_>],
        notes: &[Note],
        files: &FileTable,
    ) -> Result<Pending> {
        if changes.is_empty() && !self.damaged {
            return Ok(Pending::Nothing);
        }
        let now = SystemTime::now();
        let pending = self.records + changes.len();
        let live_after = files.stamps.len() + files.skipped.len();
        // One record at a time, in a buffer used again for each: the file
        // runs to three times the notes' size, and building it whole in
        // memory first cost more than writing it.
        let mut record = Vec::new();
        if self.damaged || self.records == 0 || pending > 2 * live_after + 64 {
            let mut temporary = Rewritten {
                path: self.path.with_extension("bin.tmp"),
                records: 0,
            };
            let io = |e| Error::io(&temporary.path, e);
            let mut out =
                BufWriter::with_capacity(1 << 20, File::create(&temporary.path).map_err(io)?);
            let header = header();
            out.write_all(&header).map_err(io)?;
            out.write_all(&0u64.to_le_bytes()).map_err(io)?;
            // The notes' bodies first, their heads gathered in one block
            // after them: opening reads that block, not a head in each of
            // the file's pages.
            let mut at = header.len() + 8;
            let mut heads = Vec::new();
            let mut records = 0;
            let mut put = |record: &[u8], head: usize, out: &mut BufWriter<File>| {
                let body = &record[head..];
                out.write_all(body)?;
                put_u32(&mut heads, head);
                heads.extend_from_slice(&(at as u64).to_le_bytes());
                put_u32(&mut heads, body.len());
                heads.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
                heads.extend_from_slice(&record[..head]);
                at += body.len();
                records += 1;
                std::io::Result::Ok(())
            };
            for note in notes {
                let Some(&stamp) = files.stamps.get(&note.path) else {
                    continue;
                };
                let stamp = stamp.to_store(now);
                if let Some(head) = encode(&Change::Note(note, stamp), &mut record) {
                    put(&record, head, &mut out).map_err(io)?;
                }
            }
            for (path, (id, message, stamp)) in &files.skipped {
                let stamp = stamp.to_store(now);
                let change = Change::Skipped {
                    path,
                    id,
                    message,
                    stamp,
                };
                if let Some(head) = encode(&change, &mut record) {
                    put(&record, head, &mut out).map_err(io)?;
                }
            }
            let heads_at = at;
            let mut block = vec![HEADS];
            put_u32(&mut block, records);
            block.extend_from_slice(&heads);
            drop(heads);
            write_frame(&mut out, &block, block.len()).map_err(io)?;
            let mut file = out.into_inner().map_err(|e| io(e.into_error()))?;
            file.seek(SeekFrom::Start(header.len() as u64))
                .and_then(|_| file.write_all(&(heads_at as u64).to_le_bytes()))
                .map_err(io)?;
            // Not synced: a catalog torn by a crash fails its checksums and
            // is rebuilt from the notes.
            temporary.records = records;
            return Ok(Pending::Rewritten(temporary));
        }
        let mut out = Vec::new();
        let mut records = 0;
        for change in changes {
            let change = match *change {
                Change::Note(note, stamp) => Change::Note(note, stamp.to_store(now)),
                Change::Skipped {
                    path,
                    id,
                    message,
                    stamp,
                } => Change::Skipped {
                    path,
                    id,
                    message,
                    stamp: stamp.to_store(now),
                },
                Change::Gone(path) => Change::Gone(path),
            };
            let Some(head) = encode(&change, &mut record) else {
                continue;
            };
            write_frame(&mut out, &record, head).expect("writing to memory does not fail");
            records += 1;
        }
        Ok(Pending::Appended { records, out })
    }

    /// Makes what [`NotesCache::prepare`] wrote the catalog.
    pub fn finish(&mut self, pending: Pending) -> Result<()> {
        match pending {
            Pending::Nothing => Ok(()),
            Pending::Appended { records, out } => {
                let mut file = File::options()
                    .append(true)
                    .open(&self.path)
                    .map_err(|e| Error::io(&self.path, e))?;
                file.write_all(&out).map_err(|e| Error::io(&self.path, e))?;
                self.records += records;
                Ok(())
            }
            Pending::Rewritten(mut rewritten) => {
                std::fs::rename(&rewritten.path, &self.path)
                    .map_err(|e| Error::io(&self.path, e))?;
                // Renamed: nothing left for its drop to remove.
                rewritten.path = PathBuf::new();
                self.records = rewritten.records;
                self.damaged = false;
                Ok(())
            }
        }
    }
}

/// A catalog write prepared and not yet made the catalog.
pub(crate) enum Pending {
    Nothing,
    /// Records to append to the file.
    Appended {
        records: usize,
        out: Vec<u8>,
    },
    /// A whole new file beside the catalog.
    Rewritten(Rewritten),
}

/// A new catalog file written beside the old; removed when dropped before
/// it replaces the old one (a cancelled or failed indexing).
pub(crate) struct Rewritten {
    path: PathBuf,
    records: usize,
}

impl Drop for Rewritten {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn header() -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&FORMAT.to_le_bytes());
    let version = env!("CARGO_PKG_VERSION");
    out.extend_from_slice(&(version.len() as u32).to_le_bytes());
    out.extend_from_slice(version.as_bytes());
    out
}

/// A record is framed by its length, the length of its head, and a checksum
/// of each part: opening checks the heads, and a note's body is checked when
/// it is decoded, so a search reads only the bodies it shows.
fn write_frame(out: &mut impl Write, record: &[u8], head: usize) -> std::io::Result<()> {
    let u32_le = |n: usize| (n as u32).to_le_bytes();
    let mut frame = [0; FRAME];
    frame[..4].copy_from_slice(&u32_le(record.len()));
    frame[4..8].copy_from_slice(&u32_le(head));
    frame[8..12].copy_from_slice(&crc32fast::hash(&record[..head]).to_le_bytes());
    frame[12..].copy_from_slice(&crc32fast::hash(&record[head..]).to_le_bytes());
    out.write_all(&frame)?;
    out.write_all(record)
}

const FRAME: usize = 16;

/// Where the record at `at` starts, where its body starts, and where the
/// next record does, if it is whole and its head's checksum agrees.
fn frame(bytes: &[u8], at: usize) -> Option<(usize, usize, usize)> {
    let word = |i: usize| -> Option<u32> {
        Some(u32::from_le_bytes(
            bytes.get(at + i..at + i + 4)?.try_into().ok()?,
        ))
    };
    let len = word(0)? as usize;
    let head = word(4)? as usize;
    let start = at + FRAME;
    let record = bytes.get(start..start + len)?;
    let head_bytes = record.get(..head)?;
    (crc32fast::hash(head_bytes) == word(8)?).then_some((start, start + head, start + len))
}

fn body_intact(body: &[u8], crc: u32) -> bool {
    crc32fast::hash(body) == crc
}

/// The little-endian word at `at`.
fn word(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The block of heads at `at`, written with the bodies before it: its
/// entries, and where the records appended after it start. Each entry is
/// its head's length, its body's offset, length and checksum, and the head
/// as an appended record has it.
fn heads_block(bytes: &[u8], at: usize) -> Option<(Vec<(Span, Entry)>, usize)> {
    let (start, end, next) = frame(bytes, at)?;
    let mut r = Reader::new(&bytes[start..end]);
    (r.u8()? == HEADS).then_some(())?;
    let count = r.u32()?;
    // A damaged count must not reserve gigabytes: an entry takes 20 bytes.
    let mut entries = Vec::with_capacity(count.min(r.bytes.len() / 20));
    for _ in 0..count {
        let head = r.u32()?;
        let body_at = r.u64()? as usize;
        let body = body_at..body_at.checked_add(r.u32()?)?;
        let crc = r.u32()? as u32;
        let head_at = r.take(head)?.as_ptr() as usize - bytes.as_ptr() as usize;
        // Bodies lie between the file's header and the block.
        (body.end <= at).then_some(())?;
        let (path, entry) = decode_head(bytes, head_at..head_at + head, body, crc)?;
        entries.push((path, entry?));
    }
    r.bytes.is_empty().then_some((entries, next))
}

const NOTE: u8 = 1;
const SKIPPED: u8 = 2;
const GONE: u8 = 3;
const HEADS: u8 = 4;

/// Writes the record into `out` (emptied first) and gives the length of its
/// head; `None` for a path that is not UTF-8: such a file is simply read
/// each time.
fn encode(change: &Change<'_>, out: &mut Vec<u8>) -> Option<usize> {
    out.clear();
    match change {
        // Answers are kept as where they lie in the source: one that does
        // not lie in it could not be, and its file is read each time.
        Change::Note(note, _)
            if !note
                .cards
                .iter()
                .all(|c| c.answer.range_in(&note.source).is_some()) =>
        {
            return None;
        }
        Change::Note(note, stamp) => {
            out.push(NOTE);
            put_str(out, note.path.to_str()?);
            put_stamp(out, *stamp);
            put_note_head(out, note);
            let head = out.len();
            put_note_body(out, note);
            return Some(head);
        }
        Change::Skipped {
            path,
            id,
            message,
            stamp,
        } => {
            out.push(SKIPPED);
            put_str(out, path.to_str()?);
            put_stamp(out, *stamp);
            put_str(out, id);
            put_str(out, message);
        }
        Change::Gone(path) => {
            out.push(GONE);
            put_str(out, path.to_str()?);
        }
    }
    Some(out.len())
}

/// A record's path and what is known of it (`None`: the file is gone),
/// the note's body left where it is: `head` is where the head lies in
/// `bytes`, `body` where the body does, `crc` the body's checksum.
fn decode_head(
    bytes: &[u8],
    head: std::ops::Range<usize>,
    body: std::ops::Range<usize>,
    crc: u32,
) -> Option<(Span, Option<Entry>)> {
    let mut r = Reader::new(bytes.get(head)?);
    let base = bytes.as_ptr() as usize;
    // Not checked as UTF-8 here: paths are looked up as bytes, and a text
    // is checked each time it is handed out, while opening a library of
    // 50,000 notes checked 200,000 of them.
    let span = |r: &mut Reader| -> Option<Span> {
        let s = r.prefixed()?;
        Some(Span {
            start: s.as_ptr() as usize - base,
            len: s.len() as u32,
        })
    };
    let kind = r.u8()?;
    let path = span(&mut r)?;
    let entry = match kind {
        NOTE => {
            let stamp = r.stamp()?;
            let id = span(&mut r)?;
            let hash = span(&mut r)?;
            let repair = span(&mut r)?;
            let repair = (r.u8()? == 1).then_some(repair);
            r.bytes.is_empty().then_some(())?;
            Some(Entry {
                stamp,
                path,
                id,
                kind: Kept::Note { hash, repair },
                body,
                crc,
            })
        }
        SKIPPED => {
            let stamp = r.stamp()?;
            let id = span(&mut r)?;
            let message = span(&mut r)?;
            r.bytes.is_empty().then_some(())?;
            Some(Entry {
                stamp,
                path,
                id,
                kind: Kept::Skipped { message },
                body: body.end..body.end,
                crc,
            })
        }
        GONE => r.bytes.is_empty().then_some(None)?,
        _ => return None,
    };
    Some((path, entry))
}

fn put_stamp(out: &mut Vec<u8>, stamp: Stamp) {
    out.extend_from_slice(&stamp.size.to_le_bytes());
    out.extend_from_slice(&stamp.mtime_ns.to_le_bytes());
}

/// The head (id, hash, repair) is read when the catalog is opened; the body
/// only when the note is asked for.
fn put_note_head(out: &mut Vec<u8>, note: &Note) {
    put_str(out, &note.id);
    put_str(out, &note.hash);
    put_str(out, note.repair.as_deref().unwrap_or(""));
    out.push(u8::from(note.repair.is_some()));
}

fn put_note_body(out: &mut Vec<u8>, note: &Note) {
    put_str(out, &note.title);
    put_str(out, &note.source);
    put_u32(out, note.outline.len());
    for e in &note.outline {
        put_str(out, &e.id);
        put_str(out, &e.title);
        out.push(e.depth);
        out.push(u8::from(e.is_card));
        put_str(out, &e.intro);
        put_strs(out, &e.trail);
    }
    put_u32(out, note.cards.len());
    for c in &note.cards {
        put_str(out, &c.id);
        put_strs(out, &c.trail);
        put_str(out, &c.title);
        // A slice of the source, kept as where it lies in it.
        let answer = c.answer.range_in(&note.source).unwrap_or_default();
        put_u32(out, answer.start);
        put_u32(out, answer.len());
        put_str(out, &c.text);
        out.push(u8::from(c.empty));
    }
}

impl Reader<'_> {
    fn stamp(&mut self) -> Option<Stamp> {
        Some(Stamp {
            size: self.u64()?,
            mtime_ns: self.u64()?,
        })
    }

    /// A note's body, its texts left where they lie in `file`, which the
    /// reader's bytes are a part of.
    fn note(
        &mut self,
        file: &Arc<Source>,
        path: &Path,
        id: Span,
        hash: Span,
        repair: Option<&str>,
    ) -> Option<Note> {
        let base = file.bytes().as_ptr() as usize;
        let span = |span: Span| Excerpt::of(file, span.start..span.start + span.len as usize);
        let note = span(id)?;
        let hash = span(hash)?;
        let excerpt = |r: &mut Reader| -> Option<Excerpt> {
            let text = r.prefixed()?;
            let start = text.as_ptr() as usize - base;
            Excerpt::of(file, start..start + text.len())
        };
        let excerpts = |r: &mut Reader| -> Option<Vec<Excerpt>> {
            let n = r.u32()?;
            // A damaged count must not reserve gigabytes: each takes 4 bytes.
            let mut list = Vec::with_capacity(n.min(r.bytes.len() / 4));
            for _ in 0..n {
                list.push(excerpt(r)?);
            }
            Some(list)
        };
        let title = excerpt(self)?;
        let source = excerpt(self)?;
        let n = self.u32()?;
        let mut outline = Vec::with_capacity(n.min(self.bytes.len() / 16));
        for _ in 0..n {
            outline.push(OutlineEntry {
                id: excerpt(self)?,
                title: excerpt(self)?,
                depth: self.u8()?,
                is_card: self.u8()? == 1,
                intro: excerpt(self)?,
                trail: excerpts(self)?,
            });
        }
        let n = self.u32()?;
        let mut cards = Vec::with_capacity(n.min(self.bytes.len() / 16));
        for _ in 0..n {
            cards.push(Card {
                id: excerpt(self)?,
                note: note.clone(),
                trail: excerpts(self)?,
                title: excerpt(self)?,
                answer: {
                    let start = self.u32()?;
                    let end = start.checked_add(self.u32()?)?;
                    source.part(start..end)?
                },
                text: excerpt(self)?,
                empty: self.u8()? == 1,
            });
        }
        self.bytes.is_empty().then(|| Note {
            id: note,
            path: path.to_path_buf(),
            title,
            source,
            hash,
            repair: repair.map(str::to_owned),
            outline,
            cards,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_of_a_file_changed_just_now_vouches_for_nothing() {
        let now = SystemTime::now();
        let fresh = Stamp {
            size: 3,
            mtime_ns: now.duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64,
        };
        assert!(!fresh.to_store(now).vouches_for(fresh));
        let old = Stamp {
            mtime_ns: fresh.mtime_ns - 10_000_000_000,
            ..fresh
        };
        assert!(old.to_store(now).vouches_for(old));
    }

    #[test]
    fn a_frame_with_a_wrong_checksum_is_not_read() {
        let mut out = Vec::new();
        write_frame(&mut out, b"headbody", 4).unwrap();
        assert_eq!(frame(&out, 0), Some((16, 20, 24)));
        let crc = word(&out, 12).unwrap();
        assert!(body_intact(&out[20..24], crc));
        out[21] ^= 1;
        assert!(!body_intact(&out[20..24], crc));
        out[17] ^= 1;
        assert_eq!(frame(&out, 0), None);
        assert_eq!(frame(&out[..18], 0), None);
    }
}

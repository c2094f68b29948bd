//! The vector index of sections: every passage's vector, quantized to bytes,
//! each distinct passage stored once, kept in one file so a restart reads them
//! back instead of re-embedding.
//!
//! The file (`sections.vectors`, little-endian) is
//!
//! ```text
//! "RHVECS02"  fingerprint[32]  dimensions u32  sections u32  rows u32
//! per section: id length u32, id (UTF-8), content hash[32], passages u32,
//!              per passage: row u32, start u32, end u32 (the passage in the
//!              text; u32::MAX twice for the title)
//! per row: scale f32, dimensions × i8
//! blake3 of everything above [32]
//! ```
//!
//! Files of the first version (`RHVECS01`: one f32 row per passage, in
//! section order) are read and converted, so an upgrade does not embed the
//! library again.
//!
//! It is a cache: anything wrong with it (missing, truncated, another model's
//! fingerprint, a bad checksum) means starting empty and embedding again.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{DIMENSIONS, Embedder, Vector};
use crate::binary::{Reader, put_u32};
use crate::{Error, Result};

const FILE: &str = "sections.vectors";
/// The content hash of a section stored with its title's vector alone: no
/// section hashes to it, so the next sync embeds the whole section.
const OUT_OF_DATE: [u8; 32] = [0; 32];
const MAGIC: &[u8; 8] = b"RHVECS02";
const MAGIC_F32: &[u8; 8] = b"RHVECS01";
const NO_RANGE: u32 = u32::MAX;

/// Passages embedded in one call, across sections: enough for the model's
/// batches to fill, few enough that cancelling is noticed quickly.
const PASSAGES_PER_STEP: usize = 32;
/// Titles embedded in one call: they are short, so a step is as quick as one
/// of passages.
const TITLES_PER_STEP: usize = 256;

/// How often a long sync saves what it has embedded so far: a first start on
/// a large library embeds for many minutes (about 20 sections a second on two
/// cores), and closing the app meanwhile must not throw that work away.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(60);

/// A section as the index needs it. The id is the caller's (a card or outline
/// id); title and text decide the vectors, and their hash decides whether a
/// stored section is still current.
#[derive(Debug, Clone, Copy)]
pub struct SectionText<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// Plain text of the body; passage ranges in hits are byte ranges of it.
    pub text: &'a str,
}

/// What [`SectionVectors::sync`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Sections embedded because they were new or had changed.
    pub embedded: usize,
    /// Sections whose stored vectors were still current.
    pub reused: usize,
    /// Sections dropped because the caller no longer has them.
    pub removed: usize,
    /// Passages (title and chunks) run through the model.
    pub passages: usize,
    /// Passages whose text was embedded earlier in the same sync (another
    /// section with the same words): they share its vector.
    pub repeated: usize,
    /// Stopped by the cancel flag; what was embedded until then is kept.
    pub cancelled: bool,
}

/// The best passage of one section for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionHit {
    pub id: String,
    /// Cosine similarity with the query, -1 to 1; unrelated text scores near 0.1.
    pub score: f32,
    /// Which passage matched: 0 is the title, 1 and on are chunks of the body.
    pub passage: usize,
    /// That chunk's byte range in the section's text; `None` for the title.
    pub range: Option<Range<usize>>,
}

/// Every section's vectors, in memory and in one file under the folder the
/// caller chose.
#[derive(Clone)]
pub struct SectionVectors {
    path: PathBuf,
    fingerprint: [u8; 32],
    sections: Vec<Section>,
    rows: Rows,
    /// [`CHECKPOINT_EVERY`]; a test shortens it.
    checkpoint_every: Duration,
}

/// What the sections not embedded yet had before a sync: their stored
/// vectors, or their titles' vectors embedded at its start.
struct Earlier<'a> {
    stored: &'a HashMap<&'a str, usize>,
    old: &'a SectionVectors,
    titles: Titles,
}

/// The titles embedded at the start of a sync, each distinct text once: a
/// library of 59,000 sections has far fewer distinct headings, and a vector
/// per section would hold 90 MB while the bodies are embedded.
#[derive(Default)]
struct Titles {
    rows: Rows,
    by_text: HashMap<String, u32>,
}

impl Titles {
    fn get(&self, title: &str) -> Option<Vector> {
        let row = *self.by_text.get(title.trim())?;
        Some(self.rows.vector(row))
    }

    fn is_empty(&self) -> bool {
        self.by_text.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Section {
    /// Shared by the copies a sync makes of the index (the one searched
    /// meanwhile, checkpoints).
    id: Arc<str>,
    hash: [u8; 32],
    /// Per passage (the title first), its row in [`Rows`]; passages with the
    /// same text, in this section or another, share a row.
    rows: Vec<u32>,
    /// Per passage, where it lies in the section's text; `None` for the title.
    ranges: Vec<Option<Range<usize>>>,
}

/// Unit vectors as bytes: each row is its 384 numbers divided by a scale
/// (the largest of them over 127) and rounded. A quarter of the memory and of
/// the file of f32 rows, and the ranking unchanged: the rounding moves a
/// cosine by about 0.001, where neighbouring hits differ by 0.01 and more
/// (measured with `rehearse eval`, see docs/benchmarks.md).
#[derive(Clone, Default, PartialEq)]
struct Rows {
    values: Vec<i8>,
    scales: Vec<f32>,
}

impl Rows {
    fn len(&self) -> usize {
        self.scales.len()
    }

    fn push(&mut self, vector: &[f32]) -> u32 {
        let largest = vector.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
        self.values
            .extend(vector.iter().map(|v| (v / scale).round() as i8));
        self.scales.push(scale);
        (self.scales.len() - 1) as u32
    }

    fn row(&self, row: u32) -> &[i8] {
        let start = row as usize * DIMENSIONS;
        &self.values[start..start + DIMENSIONS]
    }

    fn vector(&self, row: u32) -> Vector {
        let scale = self.scales[row as usize];
        let mut values = [0.0; DIMENSIONS];
        for (value, &q) in values.iter_mut().zip(self.row(row)) {
            *value = f32::from(q) * scale;
        }
        Vector(values)
    }

    /// The cosine of every row with `query`, in row order. Eight independent
    /// sums so the compiler keeps them in SIMD lanes.
    fn similarities(&self, query: &Vector) -> Vec<f32> {
        self.values
            .chunks_exact(DIMENSIONS)
            .zip(&self.scales)
            .map(|(row, scale)| {
                let mut lanes = [0.0f32; 8];
                for (q, x) in query
                    .0
                    .as_chunks::<8>()
                    .0
                    .iter()
                    .zip(row.as_chunks::<8>().0)
                {
                    for i in 0..8 {
                        lanes[i] += q[i] * f32::from(x[i]);
                    }
                }
                lanes.iter().sum::<f32>() * scale
            })
            .collect()
    }
}

/// Copies sections from one index into another, each shared row once.
struct Carry<'a> {
    from: &'a SectionVectors,
    copied: HashMap<u32, u32>,
}

impl<'a> Carry<'a> {
    fn from(from: &'a SectionVectors) -> Carry<'a> {
        Carry {
            from,
            copied: HashMap::new(),
        }
    }

    fn section(&mut self, index: usize, into: &mut SectionVectors) {
        let section = &self.from.sections[index];
        let rows = section
            .rows
            .iter()
            .map(|&row| {
                *self
                    .copied
                    .entry(row)
                    .or_insert_with(|| into.rows.push(&self.from.rows.vector(row).0))
            })
            .collect();
        into.sections.push(Section {
            rows,
            ..section.clone()
        });
    }
}

impl SectionVectors {
    /// The index stored in `dir`, or an empty one when there is none or it
    /// cannot be used (it is rebuilt by the next [`SectionVectors::sync`]).
    pub fn open(dir: &Path) -> SectionVectors {
        let path = dir.join(FILE);
        let empty = SectionVectors::empty(dir);
        match std::fs::read(&path) {
            Ok(bytes) => match decode(&bytes) {
                Some((fingerprint, sections, rows, first_version)) => {
                    let vectors = SectionVectors {
                        path,
                        fingerprint,
                        sections,
                        rows,
                        checkpoint_every: CHECKPOINT_EVERY,
                    };
                    // Written again in the new format once, so that the next
                    // start reads a quarter of the bytes and converts nothing.
                    if first_version && let Err(error) = vectors.save() {
                        tracing::warn!(%error, "section vectors not rewritten in the new format");
                    }
                    vectors
                }
                None => {
                    tracing::warn!(path = %path.display(), "section vectors unreadable; they will be rebuilt");
                    empty
                }
            },
            Err(_) => empty,
        }
    }

    /// No vectors, to be kept in `dir`.
    pub fn empty(dir: &Path) -> SectionVectors {
        SectionVectors {
            path: dir.join(FILE),
            fingerprint: [0; 32],
            sections: Vec::new(),
            rows: Rows::default(),
            checkpoint_every: CHECKPOINT_EVERY,
        }
    }

    /// Whether these vectors were made by `embedder` (the same model files
    /// and passage scheme), so they compare with its query vectors.
    pub fn made_by(&self, embedder: &Embedder) -> bool {
        self.fingerprint == embedder.fingerprint()
    }

    /// Sections with vectors.
    pub fn len(&self) -> usize {
        self.sections.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    /// Distinct passage vectors over all sections.
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// Brings the index in line with `sections`: embeds the new and changed
    /// ones, drops those not given, keeps the rest untouched, and saves when
    /// anything changed. `progress(done, total)` counts sections to embed.
    /// Setting `cancel` stops between steps; what was embedded is saved.
    pub fn sync(
        &mut self,
        embedder: &Embedder,
        sections: &[SectionText<'_>],
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        self.sync_publishing(embedder, sections, progress, cancel, &mut |_| {})
    }

    /// [`SectionVectors::sync`], handing what can be searched so far to
    /// `publish` on the way: once every new section's title is embedded
    /// (minutes on a library whose bodies take an hour), and at every
    /// checkpoint. A section not reached yet is searched by its old vectors
    /// when it had any, else by its title.
    pub fn sync_publishing(
        &mut self,
        embedder: &Embedder,
        sections: &[SectionText<'_>],
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
        publish: &mut dyn FnMut(&SectionVectors),
    ) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        let mut changed = false;
        if !self.made_by(embedder) {
            changed = !self.sections.is_empty();
            self.sections.clear();
            self.rows = Rows::default();
            self.fingerprint = embedder.fingerprint();
        }

        let stored: HashMap<&str, usize> = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (&*s.id, i))
            .collect();
        let mut next = SectionVectors {
            path: self.path.clone(),
            fingerprint: self.fingerprint,
            sections: Vec::with_capacity(sections.len()),
            rows: Rows::default(),
            checkpoint_every: self.checkpoint_every,
        };
        let mut kept = Carry::from(self);
        let mut pending = Vec::new();
        let mut seen = HashSet::with_capacity(sections.len());
        for section in sections {
            if !seen.insert(section.id) {
                continue; // a repeated id keeps its first text
            }
            let hash = content_hash(section);
            match stored.get(section.id) {
                Some(&i) if self.sections[i].hash == hash => {
                    kept.section(i, &mut next);
                    report.reused += 1;
                }
                _ => pending.push((section, hash)),
            }
        }
        report.removed = self
            .sections
            .iter()
            .filter(|s| !seen.contains(&*s.id))
            .count();
        changed |= report.removed > 0 || !pending.is_empty();

        let total = pending.len();
        progress(0, total);
        let unseen: Vec<&SectionText<'_>> = pending
            .iter()
            .filter(|(s, _)| !stored.contains_key(s.id))
            .map(|(s, _)| *s)
            .collect();
        let earlier = Earlier {
            stored: &stored,
            old: self,
            titles: embed_titles(embedder, &unseen, cancel)?,
        };
        if !earlier.titles.is_empty() {
            let snapshot = next.with_earlier(&pending, &earlier);
            snapshot.save()?;
            publish(&snapshot);
        }
        let mut queue = pending.iter().peekable();
        let mut saved = Instant::now();
        // Rows of `next` by the text they embed: a passage met again (the same
        // page in five versions of a manual, "Short description" atop every
        // page) shares the row, and is not run through the model again. Only
        // what this sync embeds is looked up, so an edit to one note costs no
        // hashing of the whole library.
        let mut rows_by_text: HashMap<[u8; 16], u32> = HashMap::new();
        while queue.peek().is_some() {
            if saved.elapsed() >= self.checkpoint_every {
                let snapshot = next.with_earlier(&pending[report.embedded..], &earlier);
                snapshot.save()?;
                publish(&snapshot);
                saved = Instant::now();
            }
            if cancel.load(Ordering::Relaxed) {
                report.cancelled = true;
                break;
            }
            let mut step = Vec::new();
            let mut texts: Vec<String> = Vec::new();
            let mut in_step: HashMap<[u8; 16], usize> = HashMap::new();
            while let Some(&&(section, hash)) = queue.peek() {
                if !step.is_empty() && texts.len() >= PASSAGES_PER_STEP {
                    break;
                }
                let passages = embedder.passages(section.title, section.text)?;
                let ranges: Vec<_> = passages.iter().map(|p| p.range.clone()).collect();
                // The title embedded first is not embedded again.
                let title = earlier.titles.get(section.title);
                let skip = usize::from(title.is_some());
                let sources: Vec<Source> = passages
                    .into_iter()
                    .skip(skip)
                    .map(|passage| {
                        let key = text_key(&passage.text);
                        match rows_by_text.get(&key) {
                            Some(&row) => Source::Row(row),
                            None => Source::Embedded(
                                *in_step.entry(key).or_insert_with(|| {
                                    texts.push(passage.text);
                                    texts.len() - 1
                                }),
                                key,
                            ),
                        }
                    })
                    .collect();
                step.push((section, hash, ranges, title, sources));
                queue.next();
            }
            report.repeated += step.iter().map(|s| s.4.len()).sum::<usize>() - texts.len();
            let vectors = if texts.is_empty() {
                Vec::new()
            } else {
                embedder.embed(&texts.iter().map(String::as_str).collect::<Vec<_>>())?
            };
            for (section, hash, ranges, title, sources) in step {
                let mut rows = Vec::with_capacity(ranges.len());
                if let Some(title) = title {
                    let row = *rows_by_text
                        .entry(text_key(section.title.trim()))
                        .or_insert_with(|| next.rows.push(&title.0));
                    rows.push(row);
                }
                for source in sources {
                    rows.push(match source {
                        Source::Row(row) => row,
                        Source::Embedded(i, key) => *rows_by_text
                            .entry(key)
                            .or_insert_with(|| next.rows.push(&vectors[i].0)),
                    });
                }
                next.sections.push(Section {
                    id: Arc::from(section.id),
                    hash,
                    rows,
                    ranges,
                });
                report.embedded += 1;
                progress(report.embedded, total);
            }
            report.passages += texts.len();
        }

        if report.cancelled {
            next = next.with_earlier(&pending[report.embedded..], &earlier);
        }
        *self = next;
        if changed {
            self.save()?;
        }
        Ok(report)
    }

    /// The `k` sections whose best passage is closest to `query`, best first.
    /// Brute force over every distinct passage: memory-bound, a quarter of
    /// the bytes f32 rows would take (see docs/benchmarks.md for timings).
    pub fn search(&self, query: &Vector, k: usize) -> Vec<SectionHit> {
        let similarities = self.rows.similarities(query);
        let mut best: Vec<(f32, usize, usize)> = self
            .sections
            .iter()
            .enumerate()
            .filter_map(|(index, section)| {
                section
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(passage, &row)| (similarities[row as usize], index, passage))
                    .max_by(|a, b| a.0.total_cmp(&b.0))
            })
            .collect();
        let k = k.min(best.len());
        if k == 0 {
            return Vec::new();
        }
        best.select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0));
        best.truncate(k);
        best.sort_by(|a, b| b.0.total_cmp(&a.0));
        best.into_iter()
            .map(|(score, index, passage)| {
                let section = &self.sections[index];
                SectionHit {
                    id: section.id.to_string(),
                    score,
                    passage,
                    range: section.ranges[passage].clone(),
                }
            })
            .collect()
    }

    /// A section's title vector, when it has one: to compare sections with
    /// each other or with an answer.
    pub fn title_vector(&self, id: &str) -> Option<Vector> {
        let section = self.sections.iter().find(|s| &*s.id == id)?;
        Some(self.rows.vector(*section.rows.first()?))
    }

    /// These vectors and, for the sections not reached yet, what they had
    /// before (their old vectors, else their title's): stale or partial for a
    /// while is better than missing. A title alone is stored as out of date,
    /// so the next sync embeds the whole section.
    fn with_earlier(
        &self,
        not_reached: &[(&SectionText<'_>, [u8; 32])],
        earlier: &Earlier<'_>,
    ) -> SectionVectors {
        let mut snapshot = self.clone();
        let mut old = Carry::from(earlier.old);
        let mut title_rows: HashMap<&str, u32> = HashMap::new();
        for (section, _) in not_reached {
            if let Some(&i) = earlier.stored.get(section.id) {
                old.section(i, &mut snapshot);
            } else if let Some(title) = earlier.titles.get(section.title) {
                let row = *title_rows
                    .entry(section.title.trim())
                    .or_insert_with(|| snapshot.rows.push(&title.0));
                snapshot.sections.push(Section {
                    id: Arc::from(section.id),
                    hash: OUT_OF_DATE,
                    rows: vec![row],
                    ranges: vec![None],
                });
            }
        }
        snapshot
    }

    /// Writes a temporary file beside the real one and renames it over, so a
    /// crash leaves the old index or the new one, never half of one.
    fn save(&self) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let bytes = encode(&self.fingerprint, &self.sections, &self.rows);
        // One temporary file per process: two processes syncing at once must
        // not write into, or rename away, each other's.
        let temporary = self
            .path
            .with_extension(format!("vectors.{}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&temporary, &self.path)
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            Error::io(&self.path, e)
        })
    }
}

/// The titles of `sections`, embedded in steps (stopping when `cancel`
/// is set): the first thing a new section can be found by. A title shared by
/// many sections ("Examples", "Short description") is embedded once.
fn embed_titles(
    embedder: &Embedder,
    sections: &[&SectionText<'_>],
    cancel: &AtomicBool,
) -> Result<Titles> {
    let mut seen = HashSet::new();
    let distinct: Vec<&str> = sections
        .iter()
        .map(|s| s.title.trim())
        .filter(|title| seen.insert(*title))
        .collect();
    let mut titles = Titles::default();
    for step in distinct.chunks(TITLES_PER_STEP) {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        for (text, vector) in step.iter().zip(embedder.embed(step)?) {
            let row = titles.rows.push(&vector.0);
            titles.by_text.insert(text.to_string(), row);
        }
    }
    Ok(titles)
}

/// Where a passage's vector comes from in a step of a sync.
enum Source {
    /// A row of the index being built, holding the same text.
    Row(u32),
    /// This step's embedding number `.0`, of the text with key `.1`.
    Embedded(usize, [u8; 16]),
}

/// Identifies a passage's text: 128 bits of blake3 make a collision between
/// two different passages of one library practically impossible.
fn text_key(text: &str) -> [u8; 16] {
    let hash = blake3::hash(text.as_bytes());
    let mut key = [0; 16];
    key.copy_from_slice(&hash.as_bytes()[..16]);
    key
}

/// Changes when anything the vectors are made from changes.
fn content_hash(section: &SectionText<'_>) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(section.title.len() as u64).to_le_bytes());
    hasher.update(section.title.as_bytes());
    hasher.update(section.text.as_bytes());
    *hasher.finalize().as_bytes()
}

fn encode(fingerprint: &[u8; 32], sections: &[Section], rows: &Rows) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + sections.len() * 64 + rows.values.len() + rows.len() * 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(fingerprint);
    for n in [DIMENSIONS, sections.len(), rows.len()] {
        put_u32(&mut out, n);
    }
    for section in sections {
        put_u32(&mut out, section.id.len());
        out.extend_from_slice(section.id.as_bytes());
        out.extend_from_slice(&section.hash);
        put_u32(&mut out, section.rows.len());
        for (row, range) in section.rows.iter().zip(&section.ranges) {
            let (start, end) = range
                .as_ref()
                .map_or((NO_RANGE, NO_RANGE), |r| (r.start as u32, r.end as u32));
            for n in [*row, start, end] {
                out.extend_from_slice(&n.to_le_bytes());
            }
        }
    }
    for (row, scale) in rows.values.chunks_exact(DIMENSIONS).zip(&rows.scales) {
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend(row.iter().map(|&q| q as u8));
    }
    let checksum = blake3::hash(&out);
    out.extend_from_slice(checksum.as_bytes());
    out
}

/// The fingerprint, the sections, their rows, and whether the file was of
/// the first version.
type Decoded = ([u8; 32], Vec<Section>, Rows, bool);

/// Reads either version of the file; see the module docs.
fn decode(bytes: &[u8]) -> Option<Decoded> {
    let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if blake3::hash(body).as_bytes() != checksum {
        return None;
    }
    let mut reader = Reader::new(body);
    let magic = reader.take(8)?;
    let f32_rows = match magic {
        m if m == MAGIC => false,
        m if m == MAGIC_F32 => true,
        _ => return None,
    };
    let fingerprint: [u8; 32] = reader.take(32)?.try_into().ok()?;
    let (dimensions, count, row_count) = (reader.u32()?, reader.u32()?, reader.u32()?);
    if dimensions != DIMENSIONS {
        return None;
    }
    let range = |start: usize, end: usize| (start != NO_RANGE as usize).then_some(start..end);
    // A damaged count must not reserve gigabytes: a section takes 40 bytes at least.
    let mut sections = Vec::with_capacity(count.min(body.len() / 40));
    let mut next_row = 0;
    for _ in 0..count {
        let id = reader.string()?;
        let hash: [u8; 32] = reader.take(32)?.try_into().ok()?;
        let passages = reader.u32()?;
        let mut rows = Vec::with_capacity(passages.min(reader.bytes.len() / 8));
        let mut ranges = Vec::with_capacity(rows.capacity());
        for _ in 0..passages {
            let row = if f32_rows {
                next_row += 1;
                next_row - 1
            } else {
                reader.u32()?
            };
            if row >= row_count {
                return None;
            }
            rows.push(row as u32);
            ranges.push(range(reader.u32()?, reader.u32()?));
        }
        sections.push(Section {
            id: Arc::from(id),
            hash,
            rows,
            ranges,
        });
    }
    let mut rows = Rows::default();
    let row_bytes = if f32_rows {
        DIMENSIONS * 4
    } else {
        4 + DIMENSIONS
    };
    let values = reader.take(row_count.checked_mul(row_bytes)?)?;
    if !reader.bytes.is_empty() || (f32_rows && next_row != row_count) {
        return None;
    }
    if f32_rows {
        // The first version stored a passage met twice twice: each distinct
        // row is kept once.
        let mut distinct: HashMap<&[u8], u32> = HashMap::new();
        let remap: Vec<u32> = values
            .chunks_exact(row_bytes)
            .map(|row| {
                *distinct.entry(row).or_insert_with(|| {
                    let vector: Vec<f32> = row
                        .chunks_exact(4)
                        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                        .collect();
                    rows.push(&vector)
                })
            })
            .collect();
        for section in &mut sections {
            section
                .rows
                .iter_mut()
                .for_each(|row| *row = remap[*row as usize]);
        }
    } else {
        rows.values.reserve(row_count * DIMENSIONS);
        for row in values.chunks_exact(row_bytes) {
            rows.scales
                .push(f32::from_le_bytes([row[0], row[1], row[2], row[3]]));
            rows.values.extend(row[4..].iter().map(|&b| b as i8));
        }
    }
    Some((fingerprint, sections, rows, f32_rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unit vector along axis `axis`, nudged towards axis `axis + 1`.
    fn axis(axis: usize, nudge: f32) -> [f32; DIMENSIONS] {
        let mut values = [0.0; DIMENSIONS];
        values[axis] = 1.0;
        values[axis + 1] = nudge;
        Vector::normalized(values).0
    }

    fn index(dir: &Path, sections: &[(&str, &[[f32; DIMENSIONS]])]) -> SectionVectors {
        let mut vectors = SectionVectors::open(dir);
        vectors.fingerprint = [7; 32];
        for (id, rows) in sections {
            let ranges = (0..rows.len())
                .map(|i| (i > 0).then_some(i * 10..i * 10 + 5))
                .collect();
            vectors.sections.push(Section {
                id: Arc::from(*id),
                hash: [id.len() as u8; 32],
                rows: rows.iter().map(|row| vectors.rows.push(row)).collect(),
                ranges,
            });
        }
        vectors
    }

    /// The same sections in the first version of the file: f32 rows, one
    /// per passage, in section order.
    fn encode_f32(vectors: &SectionVectors) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC_F32);
        out.extend_from_slice(&vectors.fingerprint);
        let passages: usize = vectors.sections.iter().map(|s| s.rows.len()).sum();
        for n in [DIMENSIONS, vectors.sections.len(), passages] {
            put_u32(&mut out, n);
        }
        for section in &vectors.sections {
            put_u32(&mut out, section.id.len());
            out.extend_from_slice(section.id.as_bytes());
            out.extend_from_slice(&section.hash);
            put_u32(&mut out, section.ranges.len());
            for range in &section.ranges {
                let (start, end) = range
                    .as_ref()
                    .map_or((NO_RANGE, NO_RANGE), |r| (r.start as u32, r.end as u32));
                out.extend_from_slice(&start.to_le_bytes());
                out.extend_from_slice(&end.to_le_bytes());
            }
        }
        for section in &vectors.sections {
            for &row in &section.rows {
                for value in vectors.rows.vector(row).0 {
                    out.extend_from_slice(&value.to_le_bytes());
                }
            }
        }
        let checksum = blake3::hash(&out);
        out.extend_from_slice(checksum.as_bytes());
        out
    }

    #[test]
    fn search_ranks_sections_by_their_best_passage() {
        let dir = tempfile::tempdir().unwrap();
        let vectors = index(
            dir.path(),
            &[
                ("a", &[axis(0, 0.0), axis(5, 0.0)]),
                ("b", &[axis(9, 0.0), axis(7, 0.0), axis(5, 0.1)]),
                ("c", &[axis(20, 0.0)]),
            ],
        );
        let hits = vectors.search(&Vector(axis(5, 0.0)), 2);
        assert_eq!(hits.len(), 2);
        assert_eq!((hits[0].id.as_str(), hits[0].passage), ("a", 1));
        assert_eq!(hits[0].range, Some(10..15));
        assert_eq!((hits[1].id.as_str(), hits[1].passage), ("b", 2));
        assert!(hits[0].score > hits[1].score);
        assert!(vectors.search(&Vector(axis(5, 0.0)), 0).is_empty());
        assert_eq!(
            vectors.search(&Vector(axis(5, 0.0)), 10).len(),
            3,
            "k past the end gives all"
        );
    }

    #[test]
    fn the_file_reads_back_what_was_saved() {
        let dir = tempfile::tempdir().unwrap();
        let vectors = index(
            dir.path(),
            &[
                ("a", &[axis(0, 0.2), axis(1, 0.0)]),
                ("é/b#c", &[axis(3, 0.0)]),
            ],
        );
        vectors.save().unwrap();
        let reopened = SectionVectors::open(dir.path());
        assert_eq!(reopened.fingerprint, vectors.fingerprint);
        assert_eq!(reopened.sections, vectors.sections);
        assert!(reopened.rows == vectors.rows);
        assert!(
            !dir.path().join("sections.vectors.tmp").exists(),
            "the temporary file was renamed"
        );
    }

    #[test]
    fn a_file_of_the_first_version_is_read_with_the_same_ranking() {
        let dir = tempfile::tempdir().unwrap();
        let vectors = index(
            dir.path(),
            &[
                ("a", &[axis(0, 0.2), axis(5, 0.0)]),
                ("b", &[axis(9, 0.0), axis(5, 0.3)]),
                ("c", &[axis(20, 0.0), axis(0, 0.2)]),
            ],
        );
        std::fs::write(dir.path().join(FILE), encode_f32(&vectors)).unwrap();
        let reopened = SectionVectors::open(dir.path());
        assert_eq!(reopened.len(), 3);
        assert_eq!(reopened.rows(), 5, "the row `a` and `c` share is kept once");
        assert_eq!(reopened.fingerprint, vectors.fingerprint);
        let query = Vector(axis(5, 0.0));
        let ids = |v: &SectionVectors| -> Vec<(String, usize)> {
            v.search(&query, 3)
                .into_iter()
                .map(|h| (h.id, h.passage))
                .collect()
        };
        assert_eq!(ids(&reopened), ids(&vectors));
        assert_eq!(reopened.search(&query, 1)[0].range, Some(10..15));
        let bytes = std::fs::read(dir.path().join(FILE)).unwrap();
        assert_eq!(
            &bytes[..8],
            MAGIC,
            "the file was rewritten in the new format"
        );
        assert_eq!(SectionVectors::open(dir.path()).rows(), 5);
    }

    #[test]
    fn quantized_rows_keep_cosines_within_a_hundredth() {
        let mut rows = Rows::default();
        let mut values = [0.0; DIMENSIONS];
        values
            .iter_mut()
            .enumerate()
            .for_each(|(i, v)| *v = ((i * 37 % 101) as f32 - 50.0) / 7.0);
        let vector = Vector::normalized(values);
        let row = rows.push(&vector.0);
        let similarity = rows.similarities(&vector)[row as usize];
        assert!((similarity - 1.0).abs() < 0.01, "{similarity}");
        assert!(rows.vector(row).similarity(&vector) > 0.99);
    }

    #[test]
    fn a_damaged_or_truncated_file_opens_as_an_empty_index() {
        let dir = tempfile::tempdir().unwrap();
        index(dir.path(), &[("a", &[axis(0, 0.0)])]).save().unwrap();
        let path = dir.path().join(FILE);
        let bytes = std::fs::read(&path).unwrap();

        let mut flipped = bytes.clone();
        flipped[100] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert!(
            SectionVectors::open(dir.path()).is_empty(),
            "a flipped bit fails the checksum"
        );

        for cut in [0, 7, 40, bytes.len() / 2, bytes.len() - 1] {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(SectionVectors::open(dir.path()).is_empty(), "cut at {cut}");
        }
        assert!(SectionVectors::open(&dir.path().join("missing")).is_empty());
    }

    #[test]
    fn decoding_rejects_counts_that_overrun_the_file_instead_of_allocating_them() {
        let mut body = Vec::new();
        body.extend_from_slice(MAGIC);
        body.extend_from_slice(&[0; 32]);
        for n in [DIMENSIONS as u32, u32::MAX, u32::MAX] {
            body.extend_from_slice(&n.to_le_bytes());
        }
        let checksum = blake3::hash(&body);
        body.extend_from_slice(checksum.as_bytes());
        assert!(decode(&body).is_none());
    }

    fn embedder() -> Embedder {
        Embedder::load(&Embedder::default_dir().expect("the model is installed: run scripts/setup"))
            .expect("the model loads")
    }

    /// A sync to the end, with no one watching its progress.
    fn sync_all(
        vectors: &mut SectionVectors,
        embedder: &Embedder,
        sections: &[SectionText<'_>],
    ) -> SyncReport {
        vectors
            .sync(embedder, sections, &mut |_, _| {}, &AtomicBool::new(false))
            .unwrap()
    }

    #[test]
    fn a_passage_repeated_across_sections_is_embedded_once_and_found_in_each() {
        let embedder = embedder();
        let body = "Splatting passes a collection of parameter values to a command as a unit.";
        let section = |id, title, text| SectionText { id, title, text };
        let sections = [
            section(
                "5.1/about_Splatting.md#short-description",
                "Short description",
                body,
            ),
            section(
                "7.4/about_Splatting.md#short-description",
                "Short description",
                body,
            ),
            section(
                "7.4/about_Splatting.md#long-description",
                "Long description",
                "Splatting makes your commands shorter and easier to read.",
            ),
        ];
        let dir = tempfile::tempdir().unwrap();
        let mut vectors = SectionVectors::open(dir.path());
        let report = sync_all(&mut vectors, &embedder, &sections);
        assert_eq!(report.embedded, 3);
        assert_eq!((report.passages, report.repeated), (2, 1), "{report:?}");
        assert_eq!(
            vectors.rows(),
            4,
            "two titles and two bodies, each stored once"
        );

        let query = embedder
            .embed_one("hand a bundle of parameters to a command in one go")
            .unwrap();
        let hits = vectors.search(&query, 3);
        let score = |id: &str| hits.iter().find(|h| h.id == id).map(|h| h.score);
        let alone = query.similarity(&embedder.embed_one(body).unwrap());
        for id in [sections[0].id, sections[1].id] {
            let found = score(id).expect("both copies are found");
            assert!(
                (found - alone).abs() < 0.01,
                "{id}: {found} against {alone}"
            );
        }
    }

    #[test]
    fn a_long_sync_saves_what_it_embedded_before_it_is_stopped() {
        let embedder = embedder();
        let texts: Vec<(String, String)> = (0..120)
            .map(|i| {
                (
                    format!("note.md#q{i}"),
                    format!("Question {i} about channels"),
                )
            })
            .collect();
        let sections: Vec<SectionText<'_>> = texts
            .iter()
            .map(|(id, title)| SectionText {
                id,
                title,
                text: "",
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let mut vectors = SectionVectors::open(dir.path());
        vectors.checkpoint_every = Duration::ZERO;
        // The process "dies" (the sync is stopped) after the first steps.
        let cancel = AtomicBool::new(false);
        let mut on_disk_while_running = 0;
        vectors
            .sync(
                &embedder,
                &sections,
                &mut |done, _| {
                    if done >= 2 * PASSAGES_PER_STEP {
                        on_disk_while_running = SectionVectors::open(dir.path()).len();
                        cancel.store(true, Ordering::Relaxed);
                    }
                },
                &cancel,
            )
            .unwrap();
        assert!(
            on_disk_while_running >= PASSAGES_PER_STEP,
            "the first step was saved while the second ran: {on_disk_while_running} on disk"
        );
        let mut reopened = SectionVectors::open(dir.path());
        let report = sync_all(&mut reopened, &embedder, &sections);
        assert!(report.reused >= 2 * PASSAGES_PER_STEP, "{report:?}");
        assert_eq!(report.reused + report.embedded, sections.len());
    }
}

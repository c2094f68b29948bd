//! The vector index of sections: every section's passage vectors in one matrix,
//! kept in one file so a restart reads them back instead of re-embedding.
//!
//! The file (`sections.vectors`, little-endian) is
//!
//! ```text
//! "RHVECS01"  fingerprint[32]  dimensions u32  sections u32  rows u32
//! per section: id length u32, id (UTF-8), content hash[32], rows u32,
//!              per row: start u32, end u32 (the passage in the text; u32::MAX twice for the title)
//! rows × dimensions f32
//! blake3 of everything above [32]
//! ```
//!
//! It is a cache: anything wrong with it (missing, truncated, another model's
//! fingerprint, a bad checksum) means starting empty and embedding again.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::{DIMENSIONS, Embedder, Vector, dot};
use crate::{Error, Result};

const FILE: &str = "sections.vectors";
/// The content hash of a section stored with its title's vector alone: no
/// section hashes to it, so the next sync embeds the whole section.
const OUT_OF_DATE: [u8; 32] = [0; 32];
const MAGIC: &[u8; 8] = b"RHVECS01";
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
    /// Passages (title and chunks) embedded.
    pub passages: usize,
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
    /// All passages' vectors, row after row; each section owns a run of rows.
    matrix: Vec<f32>,
    /// [`CHECKPOINT_EVERY`]; a test shortens it.
    checkpoint_every: Duration,
}

/// What the sections not embedded yet had before a sync: their stored
/// vectors, or their titles' vectors embedded at its start.
struct Earlier<'a> {
    stored: &'a HashMap<&'a str, usize>,
    old: &'a SectionVectors,
    titles: HashMap<String, Vector>,
}

#[derive(Debug, Clone, PartialEq)]
struct Section {
    id: String,
    hash: [u8; 32],
    first_row: usize,
    ranges: Vec<Option<Range<usize>>>,
}

impl SectionVectors {
    /// The index stored in `dir`, or an empty one when there is none or it
    /// cannot be used (it is rebuilt by the next [`SectionVectors::sync`]).
    pub fn open(dir: &Path) -> SectionVectors {
        let path = dir.join(FILE);
        let empty = SectionVectors::empty(dir);
        match std::fs::read(&path) {
            Ok(bytes) => match decode(&bytes) {
                Some((fingerprint, sections, matrix)) => SectionVectors {
                    path,
                    fingerprint,
                    sections,
                    matrix,
                    checkpoint_every: CHECKPOINT_EVERY,
                },
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
            matrix: Vec::new(),
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

    /// Passage vectors over all sections.
    pub fn rows(&self) -> usize {
        self.matrix.len() / DIMENSIONS
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
            self.matrix.clear();
            self.fingerprint = embedder.fingerprint();
        }

        let stored: HashMap<&str, usize> = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut next = SectionVectors {
            path: self.path.clone(),
            fingerprint: self.fingerprint,
            sections: Vec::with_capacity(sections.len()),
            matrix: Vec::with_capacity(self.matrix.len()),
            checkpoint_every: self.checkpoint_every,
        };
        let mut pending = Vec::new();
        let mut seen = HashSet::with_capacity(sections.len());
        for section in sections {
            if !seen.insert(section.id) {
                continue; // a repeated id keeps its first text
            }
            let hash = content_hash(section);
            match stored.get(section.id).map(|&i| &self.sections[i]) {
                Some(old) if old.hash == hash => {
                    next.push(old, &self.matrix);
                    report.reused += 1;
                }
                _ => pending.push((section, hash)),
            }
        }
        report.removed = self
            .sections
            .iter()
            .filter(|s| !seen.contains(s.id.as_str()))
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
            let mut texts = Vec::new();
            while let Some(&&(section, hash)) = queue.peek() {
                if !step.is_empty() && texts.len() >= PASSAGES_PER_STEP {
                    break;
                }
                let passages = embedder.passages(section.title, section.text)?;
                let ranges: Vec<_> = passages.iter().map(|p| p.range.clone()).collect();
                // The title embedded first is not embedded again.
                let title = earlier.titles.get(section.id);
                let skip = usize::from(title.is_some());
                texts.extend(passages.into_iter().skip(skip).map(|p| p.text));
                step.push((section, hash, ranges, title));
                queue.next();
            }
            let vectors = embedder.embed(&texts.iter().map(String::as_str).collect::<Vec<_>>())?;
            let mut vectors = vectors.iter();
            for (section, hash, ranges, title) in step {
                let first_row = next.rows();
                if let Some(title) = title {
                    next.matrix.extend_from_slice(title.as_slice());
                }
                let skip = usize::from(title.is_some());
                for vector in vectors.by_ref().take(ranges.len() - skip) {
                    next.matrix.extend_from_slice(vector.as_slice());
                }
                next.sections.push(Section {
                    id: section.id.to_string(),
                    hash,
                    first_row,
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
    /// Brute force over every passage: 0.1 ms for the bundled notes (800
    /// passages), 10–17 ms for 100,000 on one core (memory-bound: 150 MB of f32).
    pub fn search(&self, query: &Vector, k: usize) -> Vec<SectionHit> {
        let mut best: Vec<(f32, usize, usize)> = self
            .sections
            .iter()
            .enumerate()
            .filter_map(|(index, section)| {
                (0..section.ranges.len())
                    .map(|passage| {
                        let row = (section.first_row + passage) * DIMENSIONS;
                        (
                            dot(&query.0, &self.matrix[row..row + DIMENSIONS]),
                            index,
                            passage,
                        )
                    })
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
                    id: section.id.clone(),
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
        let section = self.sections.iter().find(|s| s.id == id)?;
        let row = section.first_row * DIMENSIONS;
        let mut values = [0.0; DIMENSIONS];
        values.copy_from_slice(&self.matrix[row..row + DIMENSIONS]);
        Some(Vector(values))
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
        for (section, _) in not_reached {
            if let Some(&i) = earlier.stored.get(section.id) {
                snapshot.push(&earlier.old.sections[i], &earlier.old.matrix);
            } else if let Some(title) = earlier.titles.get(section.id) {
                let first_row = snapshot.rows();
                snapshot.matrix.extend_from_slice(title.as_slice());
                snapshot.sections.push(Section {
                    id: section.id.to_string(),
                    hash: OUT_OF_DATE,
                    first_row,
                    ranges: vec![None],
                });
            }
        }
        snapshot
    }

    /// Appends a stored section's rows from `matrix`.
    fn push(&mut self, section: &Section, matrix: &[f32]) {
        let first_row = self.rows();
        let start = section.first_row * DIMENSIONS;
        self.matrix
            .extend_from_slice(&matrix[start..start + section.ranges.len() * DIMENSIONS]);
        self.sections.push(Section {
            first_row,
            ..section.clone()
        });
    }

    /// Writes a temporary file beside the real one and renames it over, so a
    /// crash leaves the old index or the new one, never half of one.
    fn save(&self) -> Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let bytes = encode(&self.fingerprint, &self.sections, &self.matrix);
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
/// is set): the first thing a new section can be found by.
fn embed_titles(
    embedder: &Embedder,
    sections: &[&SectionText<'_>],
    cancel: &AtomicBool,
) -> Result<HashMap<String, Vector>> {
    let mut titles = HashMap::with_capacity(sections.len());
    for step in sections.chunks(TITLES_PER_STEP) {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let texts: Vec<&str> = step.iter().map(|s| s.title.trim()).collect();
        for (section, vector) in step.iter().zip(embedder.embed(&texts)?) {
            titles.insert(section.id.to_string(), vector);
        }
    }
    Ok(titles)
}

/// Changes when anything the vectors are made from changes.
fn content_hash(section: &SectionText<'_>) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(section.title.len() as u64).to_le_bytes());
    hasher.update(section.title.as_bytes());
    hasher.update(section.text.as_bytes());
    *hasher.finalize().as_bytes()
}

fn encode(fingerprint: &[u8; 32], sections: &[Section], matrix: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + sections.len() * 64 + matrix.len() * 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(fingerprint);
    for n in [DIMENSIONS, sections.len(), matrix.len() / DIMENSIONS] {
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    for section in sections {
        out.extend_from_slice(&(section.id.len() as u32).to_le_bytes());
        out.extend_from_slice(section.id.as_bytes());
        out.extend_from_slice(&section.hash);
        out.extend_from_slice(&(section.ranges.len() as u32).to_le_bytes());
        for range in &section.ranges {
            let (start, end) = range
                .as_ref()
                .map_or((NO_RANGE, NO_RANGE), |r| (r.start as u32, r.end as u32));
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&end.to_le_bytes());
        }
    }
    for value in matrix {
        out.extend_from_slice(&value.to_le_bytes());
    }
    let checksum = blake3::hash(&out);
    out.extend_from_slice(checksum.as_bytes());
    out
}

type Decoded = ([u8; 32], Vec<Section>, Vec<f32>);

fn decode(bytes: &[u8]) -> Option<Decoded> {
    let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    if blake3::hash(body).as_bytes() != checksum {
        return None;
    }
    let mut reader = Reader(body);
    if reader.take(8)? != MAGIC {
        return None;
    }
    let fingerprint: [u8; 32] = reader.take(32)?.try_into().ok()?;
    let (dimensions, count, rows) = (
        reader.u32()?,
        reader.u32()? as usize,
        reader.u32()? as usize,
    );
    if dimensions as usize != DIMENSIONS {
        return None;
    }
    let mut sections = Vec::with_capacity(count.min(body.len() / 40));
    let mut first_row = 0;
    for _ in 0..count {
        let id_len = reader.u32()? as usize;
        let id = String::from_utf8(reader.take(id_len)?.to_vec()).ok()?;
        let hash: [u8; 32] = reader.take(32)?.try_into().ok()?;
        let passages = reader.u32()? as usize;
        let mut ranges = Vec::with_capacity(passages.min(reader.0.len() / 8));
        for _ in 0..passages {
            let (start, end) = (reader.u32()?, reader.u32()?);
            ranges.push((start != NO_RANGE).then_some(start as usize..end as usize));
        }
        sections.push(Section {
            id,
            hash,
            first_row,
            ranges,
        });
        first_row += passages;
    }
    let values = reader.take(rows.checked_mul(DIMENSIONS * 4)?)?;
    if first_row != rows || !reader.0.is_empty() {
        return None;
    }
    let matrix = values
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Some((fingerprint, sections, matrix))
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
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
            let first_row = vectors.rows();
            for row in *rows {
                vectors.matrix.extend_from_slice(row);
            }
            let ranges = (0..rows.len())
                .map(|i| (i > 0).then_some(i * 10..i * 10 + 5))
                .collect();
            vectors.sections.push(Section {
                id: id.to_string(),
                hash: [id.len() as u8; 32],
                first_row,
                ranges,
            });
        }
        vectors
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
        assert_eq!(reopened.matrix, vectors.matrix);
        assert!(
            !dir.path().join("sections.vectors.tmp").exists(),
            "the temporary file was renamed"
        );
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

    #[test]
    fn a_long_sync_saves_what_it_embedded_before_it_is_stopped() {
        let embedder = Embedder::load(
            &Embedder::default_dir().expect("the model is installed: run scripts/setup"),
        )
        .expect("the model loads");
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
        let report = reopened
            .sync(
                &embedder,
                &sections,
                &mut |_, _| {},
                &AtomicBool::new(false),
            )
            .unwrap();
        assert!(report.reused >= 2 * PASSAGES_PER_STEP, "{report:?}");
        assert_eq!(report.reused + report.embedded, sections.len());
    }
}

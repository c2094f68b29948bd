//! Full-text search over the notes: the Tantivy index on disk, its analyzers,
//! incremental updates by content hash, and the query language users type.

mod directory;
mod query;
mod schema;
mod snippet;
mod state;
pub(crate) mod terms;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::notes::{Catalog, Note, Section};
use crate::{Error, Result};
use schema::Fields;
pub use snippet::unescape_html;
pub(crate) use state::Digest;
use state::State;

/// A search as the user typed it, with optional filters.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    /// Only hits in this note (its id).
    pub note: Option<String>,
    /// Only hits under this module (the first heading of a card's trail).
    pub module: Option<String>,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 20,
            note: None,
            module: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub query: String,
    pub took_us: u64,
    pub total: usize,
    pub hits: Vec<SearchHit>,
    /// The words that matched (typo and prefix expansions included), for the
    /// reader to mark in the opened section.
    pub terms: Vec<String>,
    /// How many of the first hits have every word of the query (filler words
    /// aside); the hits after them have only some.
    pub with_every_word: usize,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    /// A card id, a module heading id, or a note id.
    pub id: String,
    pub note: String,
    pub title: String,
    pub trail: Vec<String>,
    /// HTML: the text escaped, the matched terms in `<mark>`.
    pub snippet: String,
    pub score: f32,
    /// Found by what it means, not by its words: the snippet is the passage
    /// that matched, with nothing marked.
    pub by_meaning: bool,
    /// Sections elsewhere with the same title and text (the same page in
    /// another version of a manual), folded into this hit: a screen of
    /// results shows distinct answers. Their ids, best first.
    pub copies: Vec<String>,
}

/// What the index found: section ids by score, and what to mark. The caller
/// turns ids into hits from its catalog of sections.
pub(crate) struct Found {
    pub total: usize,
    pub hits: Vec<(String, f32)>,
    pub marks: query::Marks,
    /// The words that matched (typo and prefix expansions included), sorted.
    pub terms: Vec<String>,
    /// How many of the first hits have every word of the query; the rest
    /// have only some.
    pub every_word: usize,
}

/// Reported while the index is built or updated, and while sections are
/// embedded for search by meaning.
#[derive(Debug, Clone, Copy, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IndexProgress {
    pub done: usize,
    pub total: usize,
}

/// What an index build or update did.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct IndexReport {
    pub files: usize,
    pub updated_files: usize,
    pub removed_files: usize,
    pub sections: usize,
    /// The index was built from scratch (first start, or it was missing,
    /// damaged or of an older schema).
    pub rebuilt: bool,
    /// How many note files were read and parsed; the others came unchanged
    /// from the catalog of the last start.
    pub files_read: usize,
    /// Another process was writing the index: searches use it as it is.
    pub busy: bool,
    pub millis: u64,
}

/// The Tantivy index of the notes' sections, on disk under the data dir. It is
/// a cache: anything wrong with it and it is rebuilt from the notes.
pub struct NoteIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    state: State,
    /// The modules filters match: set when the notes are loaded, else read
    /// from the state's journal when a filter first asks.
    modules: OnceLock<Vec<String>>,
    /// The modules changed since the state recorded them.
    modules_changed: bool,
    analyzers: query::Analyzers,
    expansions: query::Expansions,
}

impl NoteIndex {
    /// Opens the index in `dir`, or makes a new, empty one where there is none
    /// or the one there cannot be used.
    pub fn open(dir: &Path) -> Result<NoteIndex> {
        match Self::open_existing(dir) {
            Ok(index) => Ok(index),
            Err(reason) => {
                tracing::info!(dir = %dir.display(), %reason, "building a new search index");
                Self::create(dir)
            }
        }
    }

    fn open_existing(dir: &Path) -> std::result::Result<NoteIndex, String> {
        let mut state = State::read(dir)?;
        if state.header.schema_version != schema::SCHEMA_VERSION {
            return Err(format!(
                "schema version {} is not {}",
                state.header.schema_version,
                schema::SCHEMA_VERSION
            ));
        }
        if state.header.stemmer != schema::STEMMER {
            return Err(format!(
                "it was stemmed by {:?}, not {}",
                state.header.stemmer,
                schema::STEMMER
            ));
        }
        let directory = directory::open(dir).map_err(|e| e.to_string())?;
        let index = Index::open(directory).map_err(|e| e.to_string())?;
        let (expected, fields) = schema::schema();
        if index.schema() != expected {
            return Err("the schema changed".to_string());
        }
        let boot = directory::boot_id();
        if state.header.boot.is_some() && state.header.boot != boot {
            // Written unsynced in another boot: what reached the disk is checked.
            let damaged = index.validate_checksum().map_err(|e| e.to_string())?;
            if !damaged.is_empty() {
                return Err(format!(
                    "{} files were damaged by a system stop",
                    damaged.len()
                ));
            }
            state.header.boot = boot;
            state.write_header().map_err(|e| e.to_string())?;
        }
        Self::ready(dir, index, fields, state).map_err(|e| e.to_string())
    }

    fn create(dir: &Path) -> Result<NoteIndex> {
        let error = |e: &dyn std::fmt::Display| Error::Index {
            path: dir.to_path_buf(),
            message: e.to_string(),
        };
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let (schema, fields) = schema::schema();
        let directory = directory::open(dir).map_err(|e| error(&e))?;
        let index = Index::create(directory, schema, Default::default()).map_err(|e| error(&e))?;
        let state = State::new(dir, schema::SCHEMA_VERSION, schema::STEMMER);
        // Without its state the next start would take this index for a
        // broken one and build it again.
        state.write_header().map_err(|e| Error::io(dir, e))?;
        Self::ready(dir, index, fields, state).map_err(|e| error(&e))
    }

    fn ready(dir: &Path, index: Index, fields: Fields, state: State) -> tantivy::Result<NoteIndex> {
        schema::register_analyzers(&index);
        // Another process (the app, `rehearse index`) may commit: pick that up.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        // Opening every segment now surfaces damaged files here, not mid-search.
        let searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            segment.inverted_index(fields.body)?;
            segment.get_store_reader(0)?;
        }
        Ok(NoteIndex {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            state,
            modules: OnceLock::new(),
            modules_changed: false,
            analyzers: query::Analyzers::new(),
            expansions: query::Expansions::default(),
        })
    }

    /// Brings the index up to date with `notes`: re-indexes the notes whose
    /// content changed and drops the ones that are gone.
    pub fn sync(
        &mut self,
        notes: &[Note],
        catalog: &Catalog,
        progress: &mut dyn FnMut(IndexProgress),
        cancel: &AtomicBool,
    ) -> Result<IndexReport> {
        let started = Instant::now();
        self.set_modules(catalog.modules());
        // Versions that cannot be read leave the index's content unknown:
        // it is emptied and every note indexed again.
        let empty = Default::default();
        let (versions, clear) = match self.state.versions() {
            Some(versions) => (&versions.notes, false),
            None => (&empty, true),
        };
        let changed: Vec<&Note> = notes
            .iter()
            .filter(|n| versions.get(n.id.as_str()).map(String::as_str) != Some(n.hash.as_str()))
            .collect();
        let current: rustc_hash::FxHashSet<&str> = notes.iter().map(|n| n.id.as_str()).collect();
        let removed: Vec<String> = versions
            .keys()
            .filter(|id: &&String| !current.contains(&id[..]))
            .cloned()
            .collect();
        let mut report = IndexReport {
            files: notes.len(),
            updated_files: changed.len(),
            removed_files: removed.len(),
            rebuilt: (versions.is_empty() || clear) && !notes.is_empty(),
            ..IndexReport::default()
        };
        if changed.is_empty() && removed.is_empty() && !clear {
            if self.modules_changed {
                self.record(&[], &[])?;
            }
            report.sections = self.reader.searcher().num_docs() as usize;
            report.millis = started.elapsed().as_millis() as u64;
            return Ok(report);
        }
        let removed_ids: Vec<&str> = removed.iter().map(String::as_str).collect();
        if !self
            .writer()
            .replace(&changed, &removed_ids, clear, catalog, progress, cancel)?
        {
            report.busy = true;
            report.updated_files = 0;
            report.removed_files = 0;
            report.sections = self.reader.searcher().num_docs() as usize;
            return Ok(report);
        }
        self.committed(&changed, &removed_ids)?;
        report.sections = self.reader.searcher().num_docs() as usize;
        report.millis = started.elapsed().as_millis() as u64;
        Ok(report)
    }

    /// A handle that writes to this index without borrowing it, so an update
    /// can be indexed while the library keeps answering searches.
    pub(crate) fn writer(&self) -> IndexWrite {
        IndexWrite {
            dir: self.dir.clone(),
            index: self.index.clone(),
            fields: self.fields,
        }
    }

    /// Records what an [`IndexWrite`] committed, and shows it to searches.
    pub(crate) fn committed(&mut self, notes: &[&Note], removed: &[&str]) -> Result<()> {
        let set: Vec<(&str, &str)> = notes
            .iter()
            .map(|n| (n.id.as_str(), n.hash.as_str()))
            .collect();
        self.record(&set, removed)?;
        self.reader.reload().map_err(|e| self.error(e))
    }

    fn record(&mut self, set: &[(&str, &str)], removed: &[&str]) -> Result<()> {
        let modules = if self.modules_changed {
            self.modules.get().map(Vec::as_slice)
        } else {
            None
        };
        self.state
            .record(set, removed, modules, directory::boot_id())
            .map_err(|e| Error::io(&self.dir, e))?;
        self.modules_changed = false;
        Ok(())
    }

    /// Reads the versions of the notes indexed, which an update needs.
    pub(crate) fn read_versions(&mut self) {
        self.state.versions();
    }

    /// The modules filters match, after the notes changed; recorded with
    /// the next commit when they differ from those recorded.
    pub(crate) fn set_modules(&mut self, modules: &[String]) {
        let same = match self.modules.get() {
            Some(known) => known.as_slice() == modules,
            None => self.state.versions().and_then(|v| v.modules.as_deref()) == Some(modules),
        };
        if !same {
            self.modules_changed = true;
        }
        self.modules = OnceLock::from(modules.to_vec());
    }

    fn modules(&self) -> &Vec<String> {
        self.modules.get_or_init(|| {
            self.state
                .read_journal()
                .and_then(|versions| versions.modules)
                .unwrap_or_default()
        })
    }

    /// The number of sections, if the index holds exactly the note versions
    /// whose count and digest are given and knows their modules: then it
    /// serves them as it is, without the notes being loaded.
    pub(crate) fn up_to_date(&self, notes: usize, digest: Digest) -> Option<usize> {
        (self.state.holds(notes, digest) && self.state.header.modules)
            .then(|| self.reader.searcher().num_docs() as usize)
    }

    fn error(&self, e: impl std::fmt::Display) -> Error {
        Error::Index {
            path: self.dir.clone(),
            message: e.to_string(),
        }
    }

    /// Searches the index as it is now. Never fails on what the user typed.
    pub(crate) fn search(&self, request: &SearchRequest) -> Result<Found> {
        let searcher = self.reader.searcher();
        let parsed = query::parse(&request.query);
        let query::Analyzers { stemmed, raw, code } = self.analyzers.clone();
        let mut builder = query::Builder {
            searcher: &searcher,
            expansions: &self.expansions,
            fields: self.fields,
            stemmed,
            raw,
            code,
        };
        let built = builder.build(&parsed).map_err(|e| self.error(e))?;
        let mut found = Found {
            total: 0,
            hits: Vec::new(),
            marks: query::Marks::default(),
            terms: Vec::new(),
            every_word: 0,
        };
        if built.required.is_empty() && built.phrases.is_empty() {
            return Ok(found);
        }
        let filters = self.filters(request)?;
        let limit = request.limit.clamp(1, 200);
        let optional = || {
            let phrases = built.phrases.iter().map(|q| (Occur::Must, q.box_clone()));
            let filler = built
                .optional
                .iter()
                .map(|q| (Occur::Should, q.box_clone()));
            phrases.chain(filler)
        };
        let (mut total, mut docs) = self.run(
            &searcher,
            built
                .required
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .chain(optional()),
            &filters,
            &built.excluded,
            limit,
        )?;
        found.every_word = docs.len();
        if docs.len() < limit && built.required.len() > 1 {
            // Fewer sections than asked for have every word: the ones with
            // most of them follow, so a question asked in other words still
            // finds the section that has all but one.
            let (any_total, any) = self.run(
                &searcher,
                built
                    .required
                    .iter()
                    .map(|q| (Occur::Should, q.box_clone()))
                    .chain(optional()),
                &filters,
                &built.excluded,
                limit,
            )?;
            let seen: std::collections::HashSet<_> = docs.iter().map(|(_, a)| *a).collect();
            docs.extend(any.into_iter().filter(|(_, a)| !seen.contains(a)));
            docs.truncate(limit);
            total = any_total;
        }
        for (score, address) in docs {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.error(e))?;
            let id = doc
                .get_first(self.fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            found.hits.push((id, score));
        }
        found.total = total;
        found.terms = built.marks.words.iter().cloned().collect();
        found.terms.sort();
        found.marks = built.marks;
        Ok(found)
    }

    /// A section's text around its first matches, HTML-escaped, the matched
    /// words in `<mark>`.
    pub(crate) fn snippet(&self, text: &str, marks: &query::Marks) -> String {
        let mut stemmer = self.analyzers.stemmed.clone();
        snippet::snippet(text, marks, &mut stemmer)
    }

    /// A passage's opening as a snippet with nothing marked.
    pub(crate) fn excerpt(&self, passage: &str) -> String {
        snippet::excerpt(passage)
    }

    fn run(
        &self,
        searcher: &tantivy::Searcher,
        clauses: impl Iterator<Item = (Occur, Box<dyn Query>)>,
        filters: &[Box<dyn Query>],
        excluded: &[Box<dyn Query>],
        limit: usize,
    ) -> Result<(usize, Vec<(f32, tantivy::DocAddress)>)> {
        let mut all: Vec<(Occur, Box<dyn Query>)> = clauses.collect();
        let matching: Box<dyn Query> = Box::new(BooleanQuery::new(std::mem::take(&mut all)));
        all.push((Occur::Must, matching));
        all.extend(filters.iter().map(|q| (Occur::Must, q.box_clone())));
        all.extend(excluded.iter().map(|q| (Occur::MustNot, q.box_clone())));
        let query = BooleanQuery::new(all);
        searcher
            .search(
                &query,
                &(Count, TopDocs::with_limit(limit).order_by_score()),
            )
            .map_err(|e| self.error(e))
    }

    /// The note and module filters; one that matches nothing in the notes is
    /// an error that says so, not an empty list that looks like "no hits".
    fn filters(&self, request: &SearchRequest) -> Result<Vec<Box<dyn Query>>> {
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        if let Some(note) = request.note.as_deref().filter(|n| !n.is_empty()) {
            let searcher = self.reader.searcher();
            let term = Term::from_field_text(self.fields.note, note);
            if searcher.doc_freq(&term).map_err(|e| self.error(e))? == 0 {
                return Err(Error::UnknownId(note.to_string()));
            }
            filters.push(Box::new(TermQuery::new(
                Term::from_field_text(self.fields.note, note),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(module) = request.module.as_deref().filter(|m| !m.is_empty()) {
            let matching = self.modules_matching(module)?;
            filters.push(Box::new(TermSetQuery::new(
                matching
                    .into_iter()
                    .map(|m| Term::from_field_text(self.fields.module, m)),
            )));
        }
        Ok(filters)
    }

    /// The modules a module filter selects: the one called exactly that
    /// (any case), else every one whose name contains it; none is an error
    /// naming some that exist.
    pub(crate) fn modules_matching(&self, module: &str) -> Result<Vec<&String>> {
        let wanted = module.to_lowercase();
        let exact: Vec<&String> = self
            .modules()
            .iter()
            .filter(|m| m.to_lowercase() == wanted)
            .collect();
        let matching: Vec<&String> = if exact.is_empty() {
            self.modules()
                .iter()
                .filter(|m| m.to_lowercase().contains(&wanted))
                .collect()
        } else {
            exact
        };
        if matching.is_empty() {
            let examples: Vec<String> = self
                .modules()
                .iter()
                .take(5)
                .map(|m| format!("\"{m}\""))
                .collect();
            return Err(Error::InvalidInput(if examples.is_empty() {
                format!(
                    "No module is called or contains \"{module}\": these notes have no top-level headings."
                )
            } else {
                format!(
                    "No module is called or contains \"{module}\"; modules are top-level headings, such as {}.",
                    examples.join(", ")
                )
            }));
        }
        Ok(matching)
    }
}

/// Writes to the index on disk apart from the [`NoteIndex`] that searches it.
#[derive(Clone)]
pub(crate) struct IndexWrite {
    dir: PathBuf,
    index: Index,
    fields: Fields,
}

impl IndexWrite {
    /// Replaces the documents of `notes` (their sections in `catalog`) and
    /// removes those of the `removed` note ids (every document when
    /// `clear`), in one commit. `false` when
    /// another process holds the index's writer: nothing was written.
    pub(crate) fn replace(
        &self,
        notes: &[&Note],
        removed: &[&str],
        clear: bool,
        catalog: &Catalog,
        progress: &mut dyn FnMut(IndexProgress),
        cancel: &AtomicBool,
    ) -> Result<bool> {
        let error = |e: TantivyError| Error::Index {
            path: self.dir.clone(),
            message: e.to_string(),
        };
        // Small updates go to one thread: one segment, nothing to merge.
        let bytes: usize = notes.iter().map(|n| n.source.len()).sum();
        let threads = if bytes < 1_000_000 {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4)
        };
        let mut writer = match self
            .index
            .writer_with_num_threads::<TantivyDocument>(threads, 48_000_000 * threads)
        {
            Ok(writer) => writer,
            Err(TantivyError::LockFailure(..)) => return Ok(false),
            Err(e) => return Err(error(e)),
        };
        if clear {
            // Every document goes: one delete per note as well would only
            // lengthen the commit that applies them.
            writer.delete_all_documents().map_err(error)?;
        } else {
            for id in removed
                .iter()
                .copied()
                .chain(notes.iter().map(|n| n.id.as_str()))
            {
                writer.delete_term(Term::from_field_text(self.fields.note, id));
            }
        }
        let total = notes.len();
        for (done, note) in notes.iter().enumerate() {
            // Dropped uncommitted, the writer leaves the index as it was.
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            for document in documents(note, catalog.of_note(&note.id), &self.fields) {
                writer.add_document(document).map_err(error)?;
            }
            progress(IndexProgress { done, total });
        }
        let added = Instant::now();
        writer.commit().map_err(error)?;
        let committed = Instant::now();
        writer.wait_merging_threads().map_err(error)?;
        tracing::debug!(commit = ?committed - added, merges = ?committed.elapsed(), "index written");
        progress(IndexProgress { done: total, total });
        Ok(true)
    }
}

const TRAIL_SEPARATOR: char = '\u{1f}';

/// One document per section of the note.
fn documents(note: &Note, sections: &[Section], fields: &Fields) -> Vec<TantivyDocument> {
    sections
        .iter()
        .map(|section| {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.id, &section.id);
            doc.add_text(fields.note, &note.id);
            doc.add_text(fields.module, &section.module);
            doc.add_text(fields.title, &section.title);
            doc.add_text(fields.title_words, &section.title);
            // The note's title is searched with the headings above a section.
            let mut trail_text = note.title.to_string();
            for heading in &section.trail {
                trail_text.push(TRAIL_SEPARATOR);
                trail_text.push_str(heading);
            }
            doc.add_text(fields.trail, trail_text);
            doc.add_text(fields.body, &section.text);
            doc.add_text(fields.words, &section.title);
            doc.add_text(fields.words, &section.text);
            doc
        })
        .collect()
}

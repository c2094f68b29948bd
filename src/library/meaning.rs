//! Search by meaning: the embedding model and the vectors of every section,
//! kept under the data folder, and hybrid results that fuse them with the
//! lexical ones. Without the model everything here answers by words and says
//! why, never with an error.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::time::Instant;

use serde::Serialize;

use super::Library;
use super::search::content_key;
use crate::index::{SearchHit, SearchRequest, SearchResults};
use crate::meaning::{Embedder, SectionText, SectionVectors, SyncReport};
use crate::notes::{self, Excerpt};
use crate::{Error, Result};

/// How deep each list is read before fusing: a section ranked past this by
/// both is not worth showing.
const FUSED_DEPTH: usize = 50;
/// Reciprocal rank fusion, `1 / (k + rank)`. The usual k = 60 (Cormack et al.
/// 2009) flattens the top of each list: measured with `rehearse eval` on the
/// bundled queries, paraphrase recall@5 was 0.53 with k = 60 and 0.79 with
/// k = 10, with plain, typo and half-typed queries unchanged (1.00).
const RRF_K: f32 = 10.0;
/// Hits by words that have only some of the query's words (the fill-up after
/// those with every word) count this much: for a question asked in other
/// words they are mostly noise that drowned the right answer by meaning
/// (paraphrase recall@5 0.74 at full weight, 0.79 at 0.3).
const PARTIAL_WEIGHT: f32 = 0.3;
/// A section found by meaning alone is shown only when at least this close to
/// the query: below it, all-MiniLM's nearest sections are unrelated text.
const MEANING_ONLY_FLOOR: f32 = 0.2;

/// The model and the sections' vectors, once loaded. Set once, by whichever
/// thread finishes loading; the vectors change when the notes are reloaded.
pub(super) type MeaningSlot = Arc<OnceLock<Meaning>>;

pub(super) struct Meaning {
    embedder: Embedder,
    vectors: RwLock<SectionVectors>,
}

/// Whether search by meaning is on, and if not, why: the UI shows the reason
/// once, and search goes on by words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum MeaningStatus {
    Ready,
    Unavailable { reason: String },
}

impl MeaningStatus {
    /// Why loading the model failed, as the one notice the UI shows.
    pub fn failed(error: &Error) -> MeaningStatus {
        MeaningStatus::Unavailable {
            reason: format!("Search by meaning is off ({error}); search works by words alone."),
        }
    }
}

/// Everything [`MeaningJob::run`] needs, copied out of the library so that
/// the long part (loading the model, embedding new sections) runs without
/// the library: it keeps answering searches by words meanwhile.
pub struct MeaningJob {
    model_dir: Option<PathBuf>,
    vectors_dir: PathBuf,
    /// Each section's id, title and text, the text shared with the catalog.
    sections: Vec<(Excerpt, Excerpt, Excerpt)>,
    slot: MeaningSlot,
}

impl MeaningJob {
    /// Loads the model; from then on answers are judged by meaning and
    /// searches use the vectors saved earlier (stale for changed sections,
    /// missing for new ones until [`MeaningJob::run`] embeds them).
    fn load(&self) -> Result<&Meaning> {
        if let Some(meaning) = self.slot.get() {
            return Ok(meaning);
        }
        let dir = self.model_dir.as_ref().ok_or_else(|| Error::Model {
            path: "models/all-minilm-l6-v2".into(),
            message: "the model's files are not installed (scripts/setup installs them)".into(),
        })?;
        let embedder = Embedder::load(dir)?;
        let mut vectors = SectionVectors::open(&self.vectors_dir);
        if !vectors.made_by(&embedder) {
            vectors = SectionVectors::empty(&self.vectors_dir);
        }
        // Two jobs loading at once: the first to finish is kept.
        Ok(self.slot.get_or_init(|| Meaning {
            embedder,
            vectors: RwLock::new(vectors),
        }))
    }

    /// Loads the model and embeds the sections that are new or changed since
    /// the vectors were saved, titles first: search by meaning starts with
    /// the vectors saved earlier, finds new sections by their titles within
    /// minutes, and by their bodies as they are embedded (every checkpoint).
    /// Progress counts sections to embed; `cancel` stops between steps,
    /// keeping what was embedded.
    pub fn run(
        self,
        progress: &mut (dyn FnMut(usize, usize) + Send),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        let meaning = self.load()?;
        let texts: Vec<SectionText<'_>> = self
            .sections
            .iter()
            .map(|(id, title, text)| SectionText { id, title, text })
            .collect();
        let sections = &self.sections;
        let mut first = true;
        let mut progress = |done, total| {
            // The first call comes once every section's text was hashed, which
            // read them all from the catalog's pages: those are let go, and so
            // are each step's as it goes. By then the notes are decoded, and
            // what decoding them on every core freed is given back.
            notes::release_pages(sections.iter().map(|(_, _, text)| text));
            if std::mem::take(&mut first) {
                crate::system::give_back_freed_memory();
            }
            progress(done, total)
        };
        let report =
            Embedder::in_background(move || meaning.refresh(&texts, &mut progress, cancel));
        // The model's working memory, freed in its threads' arenas.
        crate::system::give_back_freed_memory();
        report
    }
}

impl Meaning {
    /// Embeds what changed on a copy of the vectors, so that searches by
    /// meaning go on meanwhile with what there was, and hands each stage over.
    fn refresh(
        &self,
        sections: &[SectionText<'_>],
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        let mut working = self
            .vectors
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let publish = |vectors: &SectionVectors| {
            *self.vectors.write().unwrap_or_else(PoisonError::into_inner) = vectors.clone();
        };
        let report = working.sync_publishing(
            &self.embedder,
            sections,
            progress,
            cancel,
            &mut |snapshot| publish(snapshot),
        )?;
        *self.vectors.write().unwrap_or_else(PoisonError::into_inner) = working;
        Ok(report)
    }
}

impl Library {
    /// What it takes to turn search by meaning on, to run on another thread:
    /// see [`MeaningJob::run`].
    pub fn meaning_job(&self) -> MeaningJob {
        MeaningJob {
            model_dir: self.config.model_dir.clone(),
            vectors_dir: self.config.vectors_dir(),
            sections: self
                .loaded()
                .catalog
                .sections()
                .iter()
                .map(|s| (s.id.clone(), s.title.clone(), s.text.clone()))
                .collect(),
            slot: Arc::clone(&self.meaning),
        }
    }

    /// [`Library::meaning_job`] run here and now, for callers that can wait
    /// (the CLI).
    pub fn enable_meaning(
        &self,
        progress: &mut (dyn FnMut(usize, usize) + Send),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        self.meaning_job().run(progress, cancel)
    }

    /// Loads the model without embedding anything: enough to judge answers
    /// by meaning (`rehearse reveal` on a library never embedded does not
    /// wait an hour for its sections). Searches by meaning use the vectors
    /// saved earlier, if any.
    pub fn load_model(&self) -> Result<()> {
        self.meaning_job().load().map(drop)
    }

    pub fn meaning_status(&self) -> MeaningStatus {
        let reason = match (self.meaning.get(), &self.config.model_dir) {
            (Some(_), _) => return MeaningStatus::Ready,
            (None, None) => {
                "The model for search by meaning is not installed; search works by words alone."
            }
            (None, Some(_)) => {
                "Search by meaning is still loading; search works by words meanwhile."
            }
        };
        MeaningStatus::Unavailable {
            reason: reason.into(),
        }
    }

    /// The loaded model, to judge answers by meaning.
    pub fn embedder(&self) -> Option<&Embedder> {
        self.meaning.get().map(|m| &m.embedder)
    }

    /// Words and meaning together: the lexical results and the sections
    /// closest in meaning, fused by reciprocal rank. A section found by
    /// meaning alone says so and shows the passage that matched. Without the
    /// model, or for an empty query, it is [`Library::search`].
    pub fn search_hybrid(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let Some(meaning) = self
            .meaning
            .get()
            .filter(|_| !request.query.trim().is_empty())
        else {
            return self.search(request);
        };
        let limit = request.limit.clamp(1, 200);
        let lexical = self.search(&SearchRequest {
            limit: limit.max(FUSED_DEPTH),
            ..request.clone()
        })?;
        let modules: Option<HashSet<&str>> = match request.module.as_deref() {
            Some(m) if !m.is_empty() => Some(
                self.index
                    .modules_matching(m)?
                    .into_iter()
                    .map(String::as_str)
                    .collect(),
            ),
            _ => None,
        };
        let wanted = |id: &str| {
            self.loaded().catalog.get(id).is_some_and(|section| {
                request
                    .note
                    .as_deref()
                    .is_none_or(|n| n.is_empty() || *section.note == *n)
                    && modules
                        .as_ref()
                        .is_none_or(|m| m.contains(section.module.as_str()))
            })
        };
        let query = meaning.embedder.embed_one(&request.query)?;
        let by_meaning = meaning
            .vectors
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .search(&query, FUSED_DEPTH * 4)
            .into_iter()
            .filter(|hit| wanted(&hit.id))
            .take(FUSED_DEPTH);

        let mut fused: Vec<(f32, SearchHit)> = Vec::new();
        // Each section once, by what it says: a hit by meaning on a copy of a
        // hit by words (or of an earlier hit by meaning) counts for that hit.
        let mut by_content: HashMap<[u8; 16], usize> = HashMap::new();
        let catalog = &self.loaded().catalog;
        let with_every_word = lexical.with_every_word;
        for (rank, hit) in lexical.hits.into_iter().enumerate() {
            if let Some(section) = catalog.get(&hit.id) {
                by_content.insert(content_key(section), fused.len());
            }
            let weight = if rank < with_every_word {
                1.0
            } else {
                PARTIAL_WEIGHT
            };
            fused.push((weight * rrf(rank), hit));
        }
        let mut boosted = HashSet::new();
        for (rank, hit) in by_meaning.enumerate() {
            let Some(section) = catalog.get(&hit.id) else {
                continue;
            };
            if let Some(&at) = by_content.get(&content_key(section)) {
                // Copies rank side by side with the same score: only the
                // first of them counts.
                if boosted.insert(at) {
                    fused[at].0 += rrf(rank);
                }
                if fused[at].1.id != hit.id && !fused[at].1.copies.contains(&hit.id) {
                    fused[at].1.copies.push(hit.id);
                }
                continue;
            }
            if hit.score < MEANING_ONLY_FLOOR {
                continue;
            }
            let passage = hit
                .range
                .clone()
                .and_then(|r| section.text.get(r))
                .unwrap_or(&section.text);
            boosted.insert(fused.len());
            by_content.insert(content_key(section), fused.len());
            fused.push((
                rrf(rank),
                SearchHit {
                    id: section.id.to_string(),
                    note: section.note.to_string(),
                    title: section.title.to_string(),
                    trail: notes::strings(&section.trail),
                    snippet: self.index.excerpt(passage),
                    score: hit.score,
                    by_meaning: true,
                    copies: Vec::new(),
                },
            ));
        }
        // Stable: equal fused scores keep the lexical order.
        fused.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(SearchResults {
            query: request.query.clone(),
            took_us: started.elapsed().as_micros() as u64,
            total: lexical.total.max(fused.len()),
            hits: fused.into_iter().take(limit).map(|(_, hit)| hit).collect(),
            terms: lexical.terms,
            with_every_word,
        })
    }

    /// After the notes were reloaded: embeds what changed, while searches by
    /// meaning go on with the vectors there were.
    pub(super) fn refresh_meaning(&self) -> Result<()> {
        let Some(meaning) = self.meaning.get() else {
            return Ok(());
        };
        let texts: Vec<SectionText<'_>> = self
            .loaded()
            .catalog
            .sections()
            .iter()
            .map(|s| SectionText {
                id: &s.id,
                title: &s.title,
                text: &s.text,
            })
            .collect();
        meaning.refresh(&texts, &mut |_, _| {}, &AtomicBool::new(false))?;
        Ok(())
    }
}

fn rrf(rank: usize) -> f32 {
    1.0 / (RRF_K + rank as f32 + 1.0)
}

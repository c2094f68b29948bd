//! Searching every note as the user types.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::time::Instant;

use super::Library;
use crate::Result;
use crate::index::{SearchHit, SearchRequest, SearchResults, unescape_html};
use crate::notes::{self, Section};

impl Library {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        // Twice as many, so that after copies are folded together a screen
        // still fills with distinct sections.
        let found = self.index.search(&SearchRequest {
            limit: request.limit.saturating_mul(2),
            ..request.clone()
        })?;
        let mut with_every_word = 0;
        let mut folded = 0;
        let mut hits: Vec<SearchHit> = Vec::new();
        let mut by_content: HashMap<[u8; 16], usize> = HashMap::new();
        for (rank, (id, score)) in found.hits.iter().enumerate() {
            // A hit the catalog lacks was indexed by another process from
            // notes this one has not loaded yet; it shows up after a reload.
            let Some(section) = self.section(id) else {
                continue;
            };
            match by_content.entry(content_key(&section)) {
                Entry::Occupied(first) => {
                    hits[*first.get()].copies.push(section.id.to_string());
                    folded += 1;
                }
                Entry::Vacant(_) if hits.len() >= request.limit.max(1) => {}
                Entry::Vacant(slot) => {
                    slot.insert(hits.len());
                    with_every_word += usize::from(rank < found.every_word);
                    hits.push(SearchHit {
                        id: section.id.to_string(),
                        note: section.note.to_string(),
                        title: section.title.to_string(),
                        trail: notes::strings(&section.trail),
                        snippet: self.index.snippet(&section.text, &found.marks),
                        score: *score,
                        by_meaning: false,
                        copies: Vec::new(),
                    });
                }
            }
        }
        Ok(SearchResults {
            query: request.query.clone(),
            took_us: started.elapsed().as_micros() as u64,
            // Copies are not counted, as far as they were seen.
            total: found.total.saturating_sub(folded),
            terms: matched_terms(found.terms, &hits),
            with_every_word,
            hits,
        })
    }
}

/// Identifies a section by what it says, wherever it is: two sections with
/// the same key are copies of each other. 128 bits of blake3 make a
/// collision between different sections practically impossible.
pub(super) fn content_key(section: &Section) -> [u8; 16] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(section.title.len() as u64).to_le_bytes());
    hasher.update(section.title.as_bytes());
    hasher.update(section.text.as_bytes());
    let mut key = [0; 16];
    key.copy_from_slice(&hasher.finalize().as_bytes()[..16]);
    key
}

/// The query's words and their expansions, plus every word of the notes the
/// snippets marked: forms that matched only by their stem (`Goroutines` for
/// `gorutine`, `migrate` for `migrations`), so the reader marks them too.
fn matched_terms(mut terms: Vec<String>, hits: &[SearchHit]) -> Vec<String> {
    for hit in hits {
        let mut rest = hit.snippet.as_str();
        while let Some(start) = rest.find("<mark>") {
            rest = &rest[start + "<mark>".len()..];
            let Some(end) = rest.find("</mark>") else {
                break;
            };
            terms.push(unescape_html(&rest[..end]).to_lowercase());
            rest = &rest[end..];
        }
    }
    terms.sort();
    terms.dedup();
    terms
}

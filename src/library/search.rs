//! Searching every note as the user types.

use std::time::Instant;

use super::Library;
use crate::Result;
use crate::index::{SearchHit, SearchRequest, SearchResults, unescape_html};

impl Library {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let found = self.index.search(request)?;
        let mut with_every_word = found.every_word;
        let hits = found
            .hits
            .iter()
            .enumerate()
            .filter_map(|(rank, (id, score))| {
                // A hit the catalog lacks was indexed by another process from
                // notes this one has not loaded yet; it shows up after a reload.
                let Some(section) = self.section(id) else {
                    with_every_word -= usize::from(rank < found.every_word);
                    return None;
                };
                Some(SearchHit {
                    id: section.id.clone(),
                    note: section.note.clone(),
                    title: section.title.clone(),
                    trail: section.trail.clone(),
                    snippet: self.index.snippet(&section.text, &found.marks),
                    score: *score,
                    by_meaning: false,
                })
            })
            .collect::<Vec<SearchHit>>();
        Ok(SearchResults {
            query: request.query.clone(),
            took_us: started.elapsed().as_micros() as u64,
            total: found.total,
            terms: matched_terms(found.terms, &hits),
            with_every_word,
            hits,
        })
    }
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

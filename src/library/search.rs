//! Searching every note as the user types.

use std::time::Instant;

use super::Library;
use crate::Result;
use crate::index::{SearchHit, SearchRequest, SearchResults};

impl Library {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let started = Instant::now();
        let found = self.index.search(request)?;
        let hits = found
            .hits
            .iter()
            .filter_map(|(id, score)| {
                // A hit the catalog lacks was indexed by another process from
                // notes this one has not loaded yet; it shows up after a reload.
                let section = self.catalog.get(id)?;
                Some(SearchHit {
                    id: section.id.clone(),
                    note: section.note.clone(),
                    title: section.title.clone(),
                    trail: section.trail.clone(),
                    snippet: self.index.snippet(&section.text, &found.marks),
                    score: *score,
                })
            })
            .collect();
        Ok(SearchResults {
            query: request.query.clone(),
            took_us: started.elapsed().as_micros() as u64,
            total: found.total,
            hits,
            terms: found.terms,
        })
    }
}

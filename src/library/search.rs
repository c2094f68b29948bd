//! Searching every note as the user types.

use super::Library;
use crate::Result;
use crate::index::{SearchRequest, SearchResults};

impl Library {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        self.index.search(request, &|id| self.section_text(id))
    }
}

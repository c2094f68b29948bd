//! The user's written answers to questions, with every saved version.

use super::Library;
use crate::store::{Draft, DraftSaved, DraftVersion, SaveKind};
use crate::{Error, Result};

impl Library {
    /// Saves a new version of the answer to the question `id`.
    pub fn save_draft(&self, id: &str, text: &str, kind: SaveKind) -> Result<DraftSaved> {
        self.store.save_draft(&self.question(id)?, text, kind)
    }

    /// The latest version of a draft, or version `version`. Drafts of
    /// questions that are gone (orphans) are still there to read.
    pub fn draft(&self, id: &str, version: Option<u32>) -> Result<Draft> {
        if let Some(draft) = self.store.draft(id, version)? {
            return Ok(draft);
        }
        let versions = self.store.draft_history(id)?.len();
        Err(match version {
            Some(n) if versions > 0 => Error::InvalidInput(format!(
                "The draft for `{id}` has versions 1 to {versions}; there is no version {n}."
            )),
            _ => {
                self.anchor(id)?;
                Error::InvalidInput(format!("No draft is saved for `{id}` yet."))
            }
        })
    }

    /// Every saved version of a draft, oldest first; an unknown id is an error.
    pub fn draft_history(&self, id: &str) -> Result<Vec<DraftVersion>> {
        let versions = self.store.draft_history(id)?;
        if versions.is_empty() {
            self.anchor(id)?;
        }
        Ok(versions)
    }
}

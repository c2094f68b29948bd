//! Getting the user's data out: answers as markdown, and backups.

use std::path::Path;

use super::Library;
use crate::practice::{self, ExportReport};
use crate::{Error, Result};

impl Library {
    /// Writes the latest draft of every card to one markdown file.
    pub fn export_drafts(&self, out: &Path) -> Result<ExportReport> {
        practice::export_drafts(&self.loaded().notes, self.store()?, out)
    }

    /// Writes a consistent copy of the user's data (safe while others write)
    /// and returns its size in bytes.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        self.store()?.backup_to(dest)?;
        std::fs::metadata(dest)
            .map(|m| m.len())
            .map_err(|e| Error::io(dest, e))
    }
}

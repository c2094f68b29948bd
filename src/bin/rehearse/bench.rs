//! `rehearse bench`: indexing and search speed beside SQLite FTS5 and a regex scan.

use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Folders of markdown to measure on.
    folders: Vec<PathBuf>,
}

pub fn run(_args: BenchArgs, _data: &Path) -> rehearse::Result<()> {
    Ok(())
}

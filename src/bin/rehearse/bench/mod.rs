//! `rehearse bench`: Rehearse's search beside SQLite FTS5 and a regex scan,
//! one corpus per folder, printed as a markdown table.

pub(crate) mod yardstick;

use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Folders of markdown, each measured as one corpus (the bundled notes when none).
    folders: Vec<PathBuf>,
}

pub fn run(args: BenchArgs, notes: &[PathBuf], data: &Path) -> rehearse::Result<()> {
    let folders = if args.folders.is_empty() {
        notes.to_vec()
    } else {
        args.folders
    };
    std::fs::create_dir_all(data).map_err(|e| rehearse::Error::io(data, e))?;
    let reports = yardstick::run(&folders, data)?;
    println!("{}", yardstick::to_markdown(&reports));
    Ok(())
}

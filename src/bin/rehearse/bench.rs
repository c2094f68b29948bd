//! `rehearse bench`: parses the folders and prints the core's comparison.

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
    let reports = rehearse::bench::run(&folders, data)?;
    println!("{}", rehearse::bench::to_markdown(&reports));
    Ok(())
}

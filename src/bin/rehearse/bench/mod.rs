//! `rehearse bench`: Rehearse's search beside SQLite FTS5 and a regex scan,
//! one corpus per folder, printed as a markdown table.

mod generate;
pub(crate) mod yardstick;

use std::path::{Path, PathBuf};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    #[command(subcommand)]
    command: Option<BenchCommand>,
    /// Folders of markdown, each measured as one corpus (the bundled notes when none).
    folders: Vec<PathBuf>,
}

#[derive(clap::Subcommand)]
enum BenchCommand {
    /// Write a large library cut from real notes: one file per section,
    /// copied with variations up to the number of files asked for.
    Generate(generate::GenerateArgs),
}

pub fn run(args: BenchArgs, notes: &[PathBuf], data: &Path) -> rehearse::Result<()> {
    if let Some(BenchCommand::Generate(generate)) = args.command {
        return generate::run(generate);
    }
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

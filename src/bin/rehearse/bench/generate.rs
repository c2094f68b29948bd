//! `rehearse bench generate`: a large library made from real notes, for
//! measuring Rehearse at scale. Each markdown file of a folder is cut into one
//! file per section (a heading and its text, code blocks kept whole); when that
//! gives fewer files than asked for, copies follow in which every heading is
//! marked with its copy and the paragraphs of each section turn by one place,
//! so no two files are the same. Deterministic: the same folder and count give
//! the same files, byte for byte.

use std::path::{Path, PathBuf};

use rehearse::{Error, Result};

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// The folder of markdown notes to cut up.
    #[arg(long)]
    from: PathBuf,
    /// How many files to write.
    #[arg(long, default_value_t = 50_000)]
    files: usize,
    /// Where to write them; must not exist yet or be empty.
    out: PathBuf,
}

pub fn run(args: GenerateArgs) -> Result<()> {
    if args
        .out
        .read_dir()
        .is_ok_and(|mut entries| entries.next().is_some())
    {
        return Err(Error::InvalidInput(format!(
            "{} is not empty; give a new folder for the generated library.",
            args.out.display()
        )));
    }
    let mut sources = Vec::new();
    markdown_files(&args.from, &mut sources);
    sources.sort();
    let mut sections = Vec::new();
    for path in &sources {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let relative = path.strip_prefix(&args.from).unwrap_or(path);
        let stem = relative.with_extension("");
        for (i, section) in split(&text).into_iter().enumerate() {
            sections.push((stem.join(format!("{i:04}.md")), section));
        }
    }
    if sections.is_empty() {
        return Err(Error::InvalidInput(format!(
            "{} holds no markdown to cut up.",
            args.from.display()
        )));
    }
    if sections.len() > args.files {
        // More sections than files asked for: an even sample of them, so
        // that every corpus of the folder is in the library, not the first
        // ones in path order alone.
        let total = sections.len();
        sections = std::mem::take(&mut sections)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i * args.files / total != (i + 1) * args.files / total)
            .map(|(_, section)| section)
            .collect();
    }
    let mut written = 0;
    let mut bytes = 0;
    'copies: for copy in 0.. {
        for (relative, section) in &sections {
            if written == args.files {
                break 'copies;
            }
            let path = args.out.join(format!("copy-{copy:03}")).join(relative);
            let text = vary(section, copy);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::write(&path, &text).map_err(|e| Error::io(&path, e))?;
            written += 1;
            bytes += text.len();
        }
    }
    println!(
        "{written} files, {:.1} MB, in {}",
        bytes as f64 / 1e6,
        args.out.display()
    );
    Ok(())
}

fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "md" || e == "markdown")
        {
            out.push(path);
        }
    }
}

/// The sections of a note: each heading with the text up to the next one;
/// a heading inside a code block is code.
fn split(text: &str) -> Vec<String> {
    let mut sections: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        }
        if !in_code && trimmed.starts_with('#') && !current.trim().is_empty() {
            sections.push(std::mem::take(&mut current));
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.trim().is_empty() {
        sections.push(current);
    }
    sections
}

/// Copy `copy` of a section: the first copy as it is; later ones with each
/// heading marked and the paragraphs turned by one place per copy.
fn vary(section: &str, copy: usize) -> String {
    if copy == 0 {
        return section.to_string();
    }
    let mut heading = String::new();
    let mut body = section;
    if section.starts_with('#') {
        let end = section.find('\n').unwrap_or(section.len());
        heading = format!("{} (take {})\n", section[..end].trim_end(), copy + 1);
        body = &section[end..];
    }
    let mut paragraphs: Vec<&str> = body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    // Code blocks split across paragraphs would come apart: turn only
    // sections without them.
    if !paragraphs.is_empty() && !body.contains("```") {
        let turn = copy % paragraphs.len();
        paragraphs.rotate_left(turn);
    }
    format!("{heading}\n{}\n", paragraphs.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_inside_code_stay_in_their_section() {
        let parts = split("# A\ntext\n```\n# not a heading\n```\n## B\nmore\n");
        assert_eq!(parts.len(), 2);
        assert!(parts[0].contains("# not a heading"));
    }

    #[test]
    fn a_later_copy_marks_its_heading_and_differs() {
        let section = "## Q\n\nfirst\n\nsecond\n";
        assert_eq!(vary(section, 0), section);
        let copy = vary(section, 1);
        assert!(copy.starts_with("## Q (take 2)\n"));
        assert!(copy.find("second").unwrap() < copy.find("first").unwrap());
    }
}

//! The reference cut into the ideas it states, and an answer into the pieces
//! it is compared by: list items, sentences of paragraphs, code blocks and
//! table rows.

use crate::notes::parse::{Block, BlockKind};

use super::IdeaKind;

/// One idea of a reference, or one piece of an answer.
pub(super) struct Piece {
    pub kind: IdeaKind,
    pub text: String,
}

/// Words a line may end with before a period without ending its sentence.
const ABBREVIATIONS: &[&str] = &["e.g", "i.e", "eg", "ie", "vs", "etc", "approx", "cf"];

/// A line of at most this many words that ends with `:` and comes before
/// more text only introduces what follows (`Prevention:`, `Key Components:`):
/// the ideas are in what follows, and nobody writes the label itself.
const LABEL_WORDS: usize = 8;

/// Words of the shortest sentence a list item is split at: see [`item`].
const SENTENCE_WORDS: usize = 6;

/// The ideas of a reference, in reading order.
pub(super) fn ideas(blocks: &[Block]) -> Vec<Piece> {
    let pieces = pieces(blocks);
    let last = pieces.len().saturating_sub(1);
    let is_label = |piece: &Piece| {
        piece.text.ends_with(':') && piece.text.split_whitespace().count() <= LABEL_WORDS
    };
    pieces
        .into_iter()
        .enumerate()
        .filter(|(i, piece)| *i == last || !is_label(piece))
        .map(|(_, piece)| piece)
        .collect()
}

/// The pieces of a text, in reading order.
pub(super) fn pieces(blocks: &[Block]) -> Vec<Piece> {
    let mut out = Vec::new();
    for block in blocks {
        match block.kind {
            BlockKind::Code => out.push(Piece {
                kind: IdeaKind::Code,
                text: block.text.clone(),
            }),
            BlockKind::Row => out.push(Piece {
                kind: IdeaKind::Row,
                text: block.text.clone(),
            }),
            BlockKind::Item => {
                let text = block.text.split_whitespace().collect::<Vec<_>>().join(" ");
                out.extend(item(&text));
            }
            BlockKind::Prose => {
                for (is_item, run) in runs(&block.text) {
                    if is_item {
                        out.extend(item(&run));
                        continue;
                    }
                    out.extend(sentences(&run).into_iter().map(|text| Piece {
                        kind: IdeaKind::Sentence,
                        text: text.to_string(),
                    }));
                }
            }
        }
    }
    out.retain(|p| p.text.chars().any(char::is_alphanumeric));
    out
}

/// A list item's pieces. An item of several full sentences says several
/// things (`Goroutines have dynamic stacks. Threads have fixed ones.`); one
/// with a short sentence (`Unbuffered: make(chan int). Blocks the sender …`)
/// says one thing, which the short sentence only names.
fn item(text: &str) -> Vec<Piece> {
    let sentences = sentences(text);
    let full = |s: &&str| s.split_whitespace().count() >= SENTENCE_WORDS;
    let texts = if sentences.len() > 1 && sentences.iter().all(full) {
        sentences
    } else {
        vec![text]
    };
    texts
        .into_iter()
        .map(|text| Piece {
            kind: IdeaKind::Item,
            text: text.to_string(),
        })
        .collect()
}

/// A paragraph's lines joined into runs of text. A line starts a run of its
/// own when it starts like a list item (notes often write a list as lines of
/// one paragraph, `REST:` then `- Stateless: …`) or when the line before
/// ended a sentence; otherwise it continues one that was wrapped.
fn runs(paragraph: &str) -> Vec<(bool, String)> {
    let mut runs: Vec<(bool, String)> = Vec::new();
    for line in paragraph.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let item = list_item(line);
        match runs.last_mut() {
            Some((_, run)) if item.is_none() && !run.ends_with(['.', '!', '?', ':', ';']) => {
                run.push(' ');
                run.push_str(line);
            }
            _ => runs.push((item.is_some(), item.unwrap_or(line).to_string())),
        }
    }
    runs
}

/// The text of a line that starts like a list item (`- x`, `* x`, `2. x`).
fn list_item(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix(['-', '*', '+'])
        && rest.starts_with(' ')
    {
        return Some(rest.trim_start());
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = line[digits..].strip_prefix(['.', ')'])?;
    (digits > 0 && rest.starts_with(' ')).then(|| rest.trim_start())
}

/// A run of prose cut after each `.`, `!` or `?` that ends a sentence: one
/// followed by a space and not by a lowercase letter, and not ending an
/// abbreviation or an initial.
fn sentences(run: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = run.as_bytes();
    for (i, c) in run.char_indices() {
        if !matches!(c, '.' | '!' | '?') || bytes.get(i + 1) != Some(&b' ') {
            continue;
        }
        let next = run[i + 1..].trim_start().chars().next();
        if next.is_none_or(char::is_lowercase) {
            continue;
        }
        let word = run[start..i]
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("")
            .trim_start_matches(['(', '"', '\''])
            .to_lowercase();
        if c == '.' && (word.chars().count() == 1 || ABBREVIATIONS.contains(&word.as_str())) {
            continue;
        }
        out.push(run[start..=i].trim());
        start = i + 1;
    }
    out.push(run[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::parse::blocks;

    fn texts(markdown: &str) -> Vec<String> {
        ideas(&blocks(markdown))
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn sentences_end_at_a_stop_before_a_capital_but_not_after_an_abbreviation() {
        assert_eq!(
            sentences("Go is fast. It has e.g. Goroutines. Version 1.5 is old! Is it? yes."),
            [
                "Go is fast.",
                "It has e.g. Goroutines.",
                "Version 1.5 is old!",
                "Is it? yes."
            ]
        );
    }

    #[test]
    fn items_are_ideas_of_their_own_and_labels_that_introduce_them_are_not() {
        let markdown = "*   **Prevention:**\n    *   Use **Channels** to share memory.\n    *   Use `sync.Mutex` to lock.\n";
        assert_eq!(
            texts(markdown),
            ["Use Channels to share memory.", "Use sync.Mutex to lock."]
        );
    }

    #[test]
    fn lines_of_one_paragraph_that_look_like_items_are_items() {
        let markdown = "REST:\n    - Stateless: no client state. Requests carry it.\n    - Cacheable: responses say so\n";
        let pieces = ideas(&blocks(markdown));
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Stateless: no client state. Requests carry it.",
                "Cacheable: responses say so"
            ]
        );
        assert!(pieces.iter().all(|p| p.kind == IdeaKind::Item));
    }

    #[test]
    fn a_wrapped_sentence_is_one_idea_and_code_blocks_and_rows_are_one_each() {
        let markdown = "A closure is a function\nthat captures variables. Closures are values.\n\n```go\nf := func() int {\n    return c\n}\n```\n\n|Type|Alias|\n|---|---|\n|byte|uint8|\n\n![Screenshot 13-09](https://example.com/a.png)\n";
        assert_eq!(
            texts(markdown),
            [
                "A closure is a function that captures variables.",
                "Closures are values.",
                "f := func() int {\n    return c\n}",
                "byte | uint8"
            ]
        );
    }
}

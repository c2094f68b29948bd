//! Snippets: the stretch of a section's text with the most matched words, HTML
//! escaped, the matches in `<mark>`.

use tantivy::tokenizer::TextAnalyzer;

use super::query::Marks;
use super::schema;

const SNIPPET_CHARS: usize = 200;
/// How far past the first match to look for more: the window is chosen among
/// matches close together, so matches further on cannot change it.
const SCAN_AFTER_FIRST: usize = 8 * 1024;
/// A section matched by its title alone may have no match in its text; this
/// bounds the search for one in a very long section.
const SCAN_BYTES: usize = 512 * 1024;
/// Enough matches to choose a window from.
const MAX_MATCHES: usize = 16;

fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0)
}

pub(super) fn snippet(text: &str, marks: &Marks, stemmer: &mut TextAnalyzer) -> String {
    let text = &text[..floor_char_boundary(text, SCAN_BYTES)];
    let mut lower = String::new();
    // Set by the filter, read by the take_while before it: both borrow it.
    let first = std::cell::Cell::new(None::<usize>);
    let matched: Vec<(usize, usize)> = word_spans(text)
        .take_while(|&(start, _)| first.get().is_none_or(|f| start < f + SCAN_AFTER_FIRST))
        .filter(|&(start, end)| {
            lower.clear();
            lower.push_str(&text[start..end]);
            if lower.is_ascii() {
                lower.make_ascii_lowercase();
            } else {
                lower = lower.to_lowercase();
            }
            let found = is_match(&lower, marks, stemmer);
            if found && first.get().is_none() {
                first.set(Some(start));
            }
            found
        })
        .take(MAX_MATCHES)
        .collect();
    let (from, to) = window(text, &matched);
    let mut html = String::with_capacity(to - from + 64);
    if from > 0 {
        html.push('…');
    }
    let mut at = from;
    for &(start, end) in matched.iter().filter(|&&(s, e)| s >= from && e <= to) {
        push_escaped(&mut html, &text[at..start]);
        html.push_str("<mark>");
        push_escaped(&mut html, &text[start..end]);
        html.push_str("</mark>");
        at = end;
    }
    push_escaped(&mut html, &text[at..to]);
    if to < text.len() {
        html.push('…');
    }
    html
}

fn is_match(lower: &str, marks: &Marks, stemmer: &mut TextAnalyzer) -> bool {
    marks.words.contains(lower)
        || marks
            .prefix
            .as_ref()
            .is_some_and(|p| lower.starts_with(p.as_str()))
        // Stems are nearly always a prefix of their word: stem only those.
        || marks.stems.iter().any(|stem| lower.starts_with(stem.as_str()))
            && schema::tokens(stemmer, lower)
            .iter()
            .any(|s| marks.stems.contains(s))
}

/// Byte spans of the alphanumeric words of `text`, lazily: scanning stops
/// once enough matches are found.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

/// The byte range of about [`SNIPPET_CHARS`] holding the most matches, on
/// character and word boundaries.
fn window(text: &str, matched: &[(usize, usize)]) -> (usize, usize) {
    let budget = SNIPPET_CHARS * 2; // bytes: most text is one or two bytes a character
    let best_start = matched
        .iter()
        .take(256)
        .enumerate()
        .max_by_key(|&(i, &(start, _))| {
            let count = matched[i..]
                .iter()
                .take_while(|&&(_, end)| end <= start + budget)
                .count();
            (count, std::cmp::Reverse(start))
        })
        .map_or(0, |(_, &(start, _))| start);
    // Open a little before the first match so it reads in context.
    let mut from = text[..best_start]
        .char_indices()
        .rev()
        .nth(40)
        .map_or(0, |(i, _)| i);
    if from > 0 {
        // Past the whole space: some are several bytes (no-break, ideographic).
        from = text[from..best_start]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
            .map_or(from, |(i, c)| from + i + c.len_utf8());
    }
    let mut to = from;
    for (count, (i, c)) in text[from..].char_indices().enumerate() {
        to = from + i + c.len_utf8();
        if count >= SNIPPET_CHARS && c.is_whitespace() {
            to = from + i;
            break;
        }
    }
    (from, to.max(from))
}

/// The opening of `text`, HTML-escaped and cut on a word boundary: the
/// snippet of a passage that matched by meaning, where no word is marked.
pub(super) fn excerpt(text: &str) -> String {
    let (from, to) = window(text, &[]);
    let mut html = String::with_capacity(to - from + 8);
    push_escaped(&mut html, &text[from..to]);
    if to < text.len() {
        html.push('…');
    }
    html
}

/// The text of a snippet (without its `<mark>` tags) as written: undoes
/// exactly the escapes [`push_escaped`] makes.
pub fn unescape_html(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(words: &[&str]) -> Marks {
        Marks {
            words: words.iter().map(|w| w.to_string()).collect(),
            ..Marks::default()
        }
    }

    #[test]
    fn matches_are_marked_and_html_is_escaped() {
        let mut stemmer = schema::analyzer(schema::STEMMED);
        let html = snippet(
            "Use <b>sync</b> & a WaitGroup.",
            &marks(&["waitgroup"]),
            &mut stemmer,
        );
        assert_eq!(
            html,
            "Use &lt;b&gt;sync&lt;/b&gt; &amp; a <mark>WaitGroup</mark>."
        );
    }

    #[test]
    fn a_wide_space_before_the_match_does_not_split_the_window_mid_character() {
        let mut stemmer = schema::analyzer(schema::STEMMED);
        for space in ['\u{a0}', '\u{3000}', '\u{2028}'] {
            let text = format!("{}goroutine", format!("word{space}").repeat(100));
            let html = snippet(&text, &marks(&["goroutine"]), &mut stemmer);
            assert!(html.starts_with("…word"), "{html}");
            assert!(html.ends_with("<mark>goroutine</mark>"), "{html}");
        }
    }

    #[test]
    fn the_window_moves_to_the_matches() {
        let mut stemmer = schema::analyzer(schema::STEMMED);
        let text = format!("{} the goroutine starts here", "filler ".repeat(200));
        let html = snippet(&text, &marks(&["goroutine"]), &mut stemmer);
        assert!(html.starts_with('…'));
        assert!(html.contains("<mark>goroutine</mark>"));
        assert!(html.chars().count() < 260);
    }
}

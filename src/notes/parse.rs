//! A note's markdown to its outline and cards, through comrak's AST (so `#`
//! lines inside code fences are never taken for headings).
//!
//! Rendering parses with the same [`parse`] so that heading anchors in the HTML
//! are exactly the ids computed here.

use std::collections::{HashMap, HashSet};

use std::cell::RefCell;

use comrak::nodes::{Ast, AstNode, LineColumn, NodeHeading, NodeValue};
use comrak::{Arena, Options};

use super::{Card, Excerpt, OutlineEntry};

/// The comrak options every note is parsed and rendered with.
pub(crate) fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    // `[[other|label]]`: a link to another note, resolved when rendered.
    options.extension.wikilinks_title_after_pipe = true;
    options
}

/// A heading of the note as parsed, with the span of its own body.
pub(crate) struct Heading {
    /// `None` for the note's title heading, which gets no anchor of its own.
    pub id: Option<String>,
    /// 1-based line of the heading in the source, as comrak reports it.
    pub line: usize,
    /// Set on questions (leaf headings), which the reader marks.
    pub is_card: bool,
}

/// The parsed document and the ids of its headings in document order.
pub(crate) struct Parsed<'a> {
    pub root: &'a AstNode<'a>,
    pub headings: Vec<Heading>,
    /// The text of the single leading `#` heading, which names the note.
    pub title: Option<String>,
    pub outline: Vec<OutlineEntry>,
    pub cards: Vec<Card>,
    /// The note's own text before its first section, as plain text.
    pub intro: String,
}

struct RawHeading {
    level: u8,
    title: String,
    start_line: usize,
    end_line: usize,
}

pub(crate) fn parse<'a>(arena: &'a Arena<'a>, note_id: &str, source: &Excerpt) -> Parsed<'a> {
    let root = comrak::parse_document(arena, source, &options());
    let mut raw = top_level_headings(root);
    let names_the_note = |raw: &[RawHeading]| {
        raw.first().is_some_and(|h| h.level == 1)
            && raw.iter().filter(|h| h.level == 1).count() == 1
    };
    let mut title_is_h1 = names_the_note(&raw);
    if raw.len() <= usize::from(title_is_h1) {
        // A note without sections: bold numbered paragraphs are its questions.
        promote_bold_questions(arena, root);
        raw = top_level_headings(root);
        // A question above the `#` line now leads: that line no longer names
        // the note, and the question is not swallowed as its title.
        title_is_h1 = names_the_note(&raw);
    }
    let title = title_is_h1.then(|| raw[0].title.clone());
    let sections = &raw[usize::from(title_is_h1)..];
    let lines = LineIndex::new(source);
    let mut texts = section_texts(root, sections);

    let base_level = sections.iter().map(|h| h.level).min().unwrap_or(1);
    let mut stack: Vec<(u8, Excerpt, String)> = Vec::new(); // level, title, slug
    let note = Excerpt::from(note_id);
    let mut seen = Ids::default();
    let mut outline: Vec<OutlineEntry> = Vec::new();
    let mut cards: Vec<Card> = Vec::new();
    let mut headings: Vec<Heading> = Vec::with_capacity(raw.len());
    if title_is_h1 {
        headings.push(Heading {
            id: None,
            line: raw[0].start_line,
            is_card: false,
        });
    }
    for (i, h) in sections.iter().enumerate() {
        let next = sections.get(i + 1);
        let body_end = next.map_or(usize::MAX, |n| n.start_line);
        let body = source.slice(lines.slice(h.end_line + 1, body_end).trim());
        let text = Excerpt::from(std::mem::take(&mut texts[i + 1]));
        let is_leaf = next.is_none_or(|n| n.level <= h.level);

        while stack.last().is_some_and(|(level, _, _)| *level >= h.level) {
            stack.pop();
        }
        let trail: Vec<Excerpt> = stack.iter().map(|(_, t, _)| t.clone()).collect();
        let mut slug_trail: Vec<&str> = stack.iter().map(|(_, _, s)| s.as_str()).collect();
        let own_slug = slug(&h.title);
        slug_trail.push(&own_slug);
        let id = seen.unique(&format!("{note_id}#{}", slug_trail.join("/")));
        let id = Excerpt::from(id);
        let title = Excerpt::from(h.title.as_str());
        stack.push((h.level, title.clone(), own_slug.clone()));

        // A `## TODO` right after an empty question holds that question's answer.
        let previous_card_is_empty = cards.last().is_some_and(|c: &Card| {
            c.empty
                && outline
                    .last()
                    .is_some_and(|e| e.id == c.id && e.trail == trail)
        });
        let is_todo = is_leaf && h.title.eq_ignore_ascii_case("todo") && previous_card_is_empty;
        if is_todo && let Some(card) = cards.last_mut() {
            card.answer = body.clone();
            card.text = text.clone();
            card.empty = body.is_empty();
        }
        let is_card = is_leaf && !is_todo;
        if is_card {
            cards.push(Card {
                id: id.clone(),
                note: note.clone(),
                trail: trail.clone(),
                title: title.clone(),
                empty: body.is_empty(),
                answer: body.clone(),
                text: text.clone(),
            });
        }
        outline.push(OutlineEntry {
            id: id.clone(),
            title,
            depth: h.level - base_level + 1,
            is_card,
            intro: if is_leaf { Excerpt::default() } else { text },
            trail,
        });
        headings.push(Heading {
            id: Some(id.to_string()),
            line: h.start_line,
            is_card,
        });
    }
    Parsed {
        root,
        headings,
        title,
        outline,
        cards,
        intro: std::mem::take(&mut texts[0]),
    }
}

fn top_level_headings<'a>(root: &'a AstNode<'a>) -> Vec<RawHeading> {
    root.children()
        .filter_map(|node| {
            let ast = node.data.borrow();
            let NodeValue::Heading(NodeHeading { level, .. }) = ast.value else {
                return None;
            };
            let title = clean_title(&plain_text(node));
            Some(RawHeading {
                level,
                title,
                start_line: ast.sourcepos.start.line,
                end_line: ast.sourcepos.end.line,
            })
        })
        .collect()
}

/// Turns paragraphs that open with a bold numbered question (`**12. What is
/// …?**`) into headings, so they become cards and get anchors. Text on the
/// lines right after the question moves into a paragraph of its own.
fn promote_bold_questions<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>) {
    let paragraphs: Vec<_> = root
        .children()
        .filter(|n| matches!(n.data.borrow().value, NodeValue::Paragraph))
        .collect();
    for node in paragraphs {
        let Some(strong) = node.first_child() else {
            continue;
        };
        if !matches!(strong.data.borrow().value, NodeValue::Strong)
            || !looks_like_question(&plain_text(strong))
        {
            continue;
        }
        let mut rest = strong.next_sibling();
        if rest.is_some_and(|r| {
            !matches!(
                r.data.borrow().value,
                NodeValue::SoftBreak | NodeValue::LineBreak
            )
        }) {
            continue; // the bold text is only the start of a sentence
        }
        let question_line = node.data.borrow().sourcepos.start.line;
        if let Some(line_break) = rest {
            rest = line_break.next_sibling();
            line_break.detach();
        }
        if let Some(first) = rest {
            let end = node.data.borrow().sourcepos.end;
            let answer = arena.alloc(AstNode::new(RefCell::new(Ast::new(
                NodeValue::Paragraph,
                LineColumn {
                    line: question_line + 1,
                    column: 1,
                },
            ))));
            answer.data.borrow_mut().sourcepos.end = end;
            let mut next = Some(first);
            while let Some(child) = next {
                next = child.next_sibling();
                child.detach();
                answer.append(child);
            }
            node.insert_after(answer);
        }
        let mut ast = node.data.borrow_mut();
        ast.value = NodeValue::Heading(NodeHeading {
            level: 2,
            setext: false,
            closed: false,
        });
        ast.sourcepos.end = LineColumn {
            line: question_line,
            column: 1,
        };
    }
}

fn looks_like_question(text: &str) -> bool {
    let text = text.trim();
    let numbered = text.split_once(['.', ')', ':']).is_some_and(|(n, _)| {
        !n.is_empty()
            && n.trim_start_matches(['Q', 'q'])
                .chars()
                .all(|c| c.is_ascii_digit())
    });
    numbered || text.ends_with('?')
}

/// The plain text of each section's own blocks (index 0: the text before the
/// first section), for the search index and snippets.
fn section_texts<'a>(root: &'a AstNode<'a>, sections: &[RawHeading]) -> Vec<String> {
    let mut texts = vec![String::new(); sections.len() + 1];
    let mut current = 0;
    for node in root.children() {
        let ast = node.data.borrow();
        if matches!(ast.value, NodeValue::Heading(_)) {
            continue;
        }
        let line = ast.sourcepos.start.line;
        drop(ast);
        while current < sections.len() && sections[current].start_line <= line {
            current += 1;
        }
        let text = &mut texts[current];
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(plain_text(node).trim());
    }
    texts
}

/// The visible text of a node: text and inline code, without markup.
pub(crate) fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        match &d.data.borrow().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::CodeBlock(c) => {
                out.push_str(&c.literal);
                out.push('\n');
            }
            NodeValue::HtmlBlock(h) => out.push_str(&strip_tags(&h.literal)),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            NodeValue::Paragraph | NodeValue::Item(_) | NodeValue::TableRow(_)
                if !out.is_empty() =>
            {
                out.push('\n')
            }
            NodeValue::TableCell if !out.ends_with('\n') && !out.is_empty() => out.push_str(" | "),
            _ => {}
        }
    }
    out
}

/// A piece of an answer that says something on its own, for comparing a
/// written answer with its reference: a paragraph, a list item's own text, a
/// code block or a table row.
pub(crate) struct Block {
    pub kind: BlockKind,
    /// Plain text; a paragraph's line breaks are kept as `\n`, because notes
    /// often write a list as lines of one paragraph.
    pub text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Prose,
    Item,
    Code,
    Row,
}

/// The blocks of a markdown text in reading order. Images are left out: their
/// alt text is a file name more often than an idea.
pub(crate) fn blocks(markdown: &str) -> Vec<Block> {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, markdown, &options());
    let mut out = Vec::new();
    for child in root.children() {
        collect_blocks(child, &mut out);
    }
    out.retain(|b| !b.text.trim().is_empty());
    out
}

fn collect_blocks<'a>(node: &'a AstNode<'a>, out: &mut Vec<Block>) {
    let block = |kind, text: String| Block { kind, text };
    match &node.data.borrow().value {
        NodeValue::Paragraph | NodeValue::Heading(_) => {
            out.push(block(BlockKind::Prose, inline_text(node)))
        }
        NodeValue::CodeBlock(code) => {
            out.push(block(BlockKind::Code, code.literal.trim_end().to_string()))
        }
        NodeValue::HtmlBlock(html) => out.push(block(BlockKind::Prose, strip_tags(&html.literal))),
        NodeValue::TableRow(header) => {
            if !header {
                let cells: Vec<String> = node.children().map(inline_text).collect();
                out.push(block(BlockKind::Row, cells.join(" | ")));
            }
        }
        NodeValue::Item(_) | NodeValue::TaskItem(_) => {
            let paragraph =
                |n: &&'a AstNode<'a>| matches!(n.data.borrow().value, NodeValue::Paragraph);
            let own: Vec<String> = node.children().filter(paragraph).map(inline_text).collect();
            out.push(block(BlockKind::Item, own.join("\n")));
            for child in node.children().filter(|n| !paragraph(n)) {
                collect_blocks(child, out);
            }
        }
        _ => {
            for child in node.children() {
                collect_blocks(child, out);
            }
        }
    }
}

/// A paragraph's or cell's text without markup or images.
fn inline_text<'a>(node: &'a AstNode<'a>) -> String {
    fn walk<'a>(node: &'a AstNode<'a>, out: &mut String) {
        for child in node.children() {
            match &child.data.borrow().value {
                NodeValue::Text(t) => out.push_str(t),
                NodeValue::Code(c) => out.push_str(&c.literal),
                NodeValue::SoftBreak | NodeValue::LineBreak => out.push('\n'),
                NodeValue::Image(_) => {}
                _ => walk(child, out),
            }
        }
    }
    let mut out = String::new();
    walk(node, &mut out);
    out.trim().to_string()
}

/// Text between tags; raw HTML in notes is searched by what it shows.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out
}

fn clean_title(text: &str) -> String {
    let collapsed: Vec<&str> = text.split_whitespace().collect();
    collapsed
        .join(" ")
        .trim_matches(['*', '_'])
        .trim()
        .to_string()
}

/// A heading's slug: lowercase letters and digits joined by `-`. Numbering
/// such as `Q3:` or `12.` is dropped so that renumbering keeps ids stable.
pub(crate) fn slug(title: &str) -> String {
    let without_number = strip_numbering(title);
    let mut slug = String::with_capacity(without_number.len());
    for ch in without_number.chars() {
        if ch.is_alphanumeric() {
            slug.extend(ch.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

fn strip_numbering(title: &str) -> &str {
    let t = title.trim_start();
    let rest = t.strip_prefix(['Q', 'q']).unwrap_or(t);
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return t;
    }
    match rest[digits..].strip_prefix(['.', ')', ':']) {
        Some(after) if !after.trim().is_empty() => after.trim_start(),
        _ => t,
    }
}

/// The ids given out in a note so far.
#[derive(Default)]
struct Ids {
    seen: HashSet<String>,
    /// Per repeated id, the suffix to try next: every lower one is taken, and
    /// counting up from 2 each time made a note of many same-named headings
    /// take minutes to load.
    next_suffix: HashMap<String, usize>,
}

impl Ids {
    /// `id`, or the first of `id-2`, `id-3` … that is free.
    fn unique(&mut self, id: &str) -> String {
        if self.seen.insert(id.to_string()) {
            return id.to_string();
        }
        let next = self.next_suffix.entry(id.to_string()).or_insert(2);
        loop {
            let candidate = format!("{id}-{next}");
            *next += 1;
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// Byte offsets of line starts, to cut sections out of the source by the
/// 1-based line numbers comrak reports.
struct LineIndex<'s> {
    source: &'s str,
    starts: Vec<usize>,
}

impl<'s> LineIndex<'s> {
    fn new(source: &'s str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { source, starts }
    }

    /// Lines `from..to` (1-based, `to` exclusive; past the end is clamped).
    fn slice(&self, from: usize, to: usize) -> &'s str {
        let offset = |line: usize| {
            self.starts
                .get(line.saturating_sub(1))
                .copied()
                .unwrap_or(self.source.len())
        };
        let (start, end) = (offset(from), offset(to));
        if start >= end {
            ""
        } else {
            &self.source[start..end]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(source: &str) -> (Option<String>, Vec<OutlineEntry>, Vec<Card>) {
        let arena = Arena::new();
        let p = parse(&arena, "n.md", &source.into());
        (p.title, p.outline, p.cards)
    }

    #[test]
    fn slugs_drop_numbering_and_punctuation() {
        assert_eq!(
            slug("Q1: Explain the GMP Model (Goroutine Scheduler)."),
            "explain-the-gmp-model-goroutine-scheduler"
        );
        assert_eq!(
            slug("12. What is the difference?"),
            "what-is-the-difference"
        );
        assert_eq!(slug("🧩Projects"), "projects");
        assert_eq!(slug("2026 plans"), "2026-plans");
    }

    #[test]
    fn duplicate_headings_get_distinct_ids() {
        let (_, _, cards) = parse_str("# T\n## A\nx\n## A\ny\n");
        assert_eq!(cards[0].id, "n.md#a");
        assert_eq!(cards[1].id, "n.md#a-2");
    }

    #[test]
    fn suffixes_skip_ids_that_headings_already_took() {
        let (_, _, cards) = parse_str("# T\n## A\n## A 2\n## A\n## A\n## A 3\n");
        let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            ["n.md#a", "n.md#a-2", "n.md#a-3", "n.md#a-4", "n.md#a-3-2"]
        );
    }

    #[test]
    fn many_same_named_headings_get_ids_quickly() {
        // Quadratic suffix search took over a minute here; speed is for the
        // benchmarks, the ids are this test's.
        let source = "## q\n".repeat(20_000);
        let (_, _, cards) = parse_str(&source);
        assert_eq!(cards.len(), 20_000);
        assert_eq!(cards[19_999].id, "n.md#q-20000");
    }

    #[test]
    fn code_fence_hash_lines_are_not_headings() {
        let (_, outline, cards) =
            parse_str("# T\n## Docker\n```dockerfile\n# Step 1: build\nFROM golang\n```\n");
        assert_eq!(outline.len(), 1);
        assert!(cards[0].answer.contains("# Step 1: build"));
    }

    #[test]
    fn todo_after_an_empty_question_becomes_its_answer() {
        let (_, _, cards) = parse_str("# T\n## How to secure it?\n\n## TODO\n- JWT\n## Next\nz\n");
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].title, "How to secure it?");
        assert_eq!(cards[0].answer, "- JWT");
        assert!(!cards[0].empty);
    }

    #[test]
    fn a_bold_question_above_the_title_line_stays_a_card() {
        let (title, _, cards) =
            parse_str("**1. What is a rune?**\nA code point.\n\n# Go\n\n**2. Slices?**\nViews.\n");
        assert_eq!(title, None);
        let titles: Vec<&str> = cards.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, ["1. What is a rune?", "2. Slices?"]);
        assert_eq!(cards[0].answer, "A code point.");
    }

    #[test]
    fn bold_numbered_paragraphs_are_cards_when_there_are_no_headings() {
        let (title, _, cards) = parse_str(
            "# Go\n\n**1. What is a rune?**\nA code point.\n\n**2. Closures**\n- capture\n",
        );
        assert_eq!(title.as_deref(), Some("Go"));
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].title, "1. What is a rune?");
        assert_eq!(cards[0].answer, "A code point.");
        assert_eq!(cards[1].id, "n.md#closures");
    }
}

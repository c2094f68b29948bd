//! Markdown to safe HTML: comrak with GFM extensions, syntect highlighting as
//! CSS classes, heading anchors equal to card ids, and ammonia removing
//! anything that could run (raw `<script>`, `on*=` handlers, `javascript:` links).

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use comrak::adapters::{HeadingAdapter, HeadingMeta};
use comrak::nodes::{NodeValue, Sourcepos};
use comrak::options::Plugins;
use comrak::plugins::syntect::{SyntectAdapter, SyntectAdapterBuilder};
use comrak::{Arena, Options};

use crate::notes::parse::{self, Parsed};
use crate::notes::{Card, Note};

/// Loading syntect's syntaxes takes tens of milliseconds: once per process.
static HIGHLIGHTER: LazyLock<SyntectAdapter> =
    LazyLock::new(|| SyntectAdapterBuilder::new().css().build());

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["mark", "input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_generic_attributes(["class"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"));
    builder
});

/// A whole note, with an anchor on every heading.
pub fn note_to_html(note: &Note) -> String {
    let arena = Arena::new();
    let parsed = parse::parse(&arena, &note.id, &note.source);
    let anchors = Anchors::from(&parsed);
    render(&parsed, Some(&anchors))
}

/// A card's reference answer alone.
pub fn card_to_html(card: &Card) -> String {
    markdown_to_html(&card.answer)
}

/// Any markdown (a draft, an answer) to safe HTML.
pub fn markdown_to_html(markdown: &str) -> String {
    let arena = Arena::new();
    let parsed = parse::parse(&arena, "", markdown);
    render(&parsed, None)
}

fn render(parsed: &Parsed<'_>, anchors: Option<&Anchors>) -> String {
    alias_languages(parsed);
    let mut options: Options = parse::options();
    options.render.sourcepos = anchors.is_some();
    // Raw HTML in notes (`<details>`, `<kbd>`, HTML tables) is kept for ammonia
    // to sanitize below, rather than dropped: the whole output passes through it.
    options.render.r#unsafe = true;
    let mut plugins = Plugins::default();
    plugins.render.codefence_syntax_highlighter = Some(&*HIGHLIGHTER);
    if let Some(anchors) = anchors {
        plugins.render.heading_adapter = Some(anchors);
    }
    let mut html = String::new();
    comrak::format_html_with_plugins(parsed.root, &options, &mut html, &plugins)
        .expect("writing to a String does not fail");
    SANITIZER.clean(&html).to_string()
}

/// Fence languages people write that syntect knows under another name.
fn alias_languages(parsed: &Parsed<'_>) {
    for node in parsed.root.descendants() {
        if let NodeValue::CodeBlock(block) = &mut node.data.borrow_mut().value {
            let lang = block
                .info
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            let alias = match lang.as_str() {
                "golang" => "go",
                "dockerfile" | "docker" | "shell" | "console" | "zsh" | "sh" => "bash",
                "yml" => "yaml",
                "ts" | "typescript" | "tsx" | "jsx" => "js",
                "py" => "python",
                "rs" => "rust",
                _ => continue,
            };
            block.info = alias.to_string();
        }
    }
}

/// Writes each heading with its card id, found by the line comrak reports.
struct Anchors {
    by_line: HashMap<usize, (String, bool)>,
}

impl From<&Parsed<'_>> for Anchors {
    fn from(parsed: &Parsed<'_>) -> Self {
        let by_line = parsed
            .headings
            .iter()
            .filter_map(|h| Some((h.line, (h.id.clone()?, h.is_card))))
            .collect();
        Anchors { by_line }
    }
}

impl HeadingAdapter for Anchors {
    fn enter(
        &self,
        output: &mut dyn fmt::Write,
        heading: &HeadingMeta,
        sourcepos: Option<Sourcepos>,
    ) -> fmt::Result {
        let anchor = sourcepos.and_then(|pos| self.by_line.get(&pos.start.line));
        match anchor {
            Some((id, is_card)) => {
                let class = if *is_card { "question" } else { "module" };
                write!(
                    output,
                    "<h{} id=\"{}\" class=\"{class}\">",
                    heading.level,
                    escape_attribute(id)
                )
            }
            None => write!(output, "<h{}>", heading.level),
        }
    }

    fn exit(&self, output: &mut dyn fmt::Write, heading: &HeadingMeta) -> fmt::Result {
        write!(output, "</h{}>", heading.level)
    }
}

fn escape_attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The stylesheet for highlighted code in a syntect theme (the UI ships one
/// for its light theme and one for its dark theme).
pub fn highlight_css(theme: &str) -> Option<String> {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let theme = themes.themes.get(theme)?;
    syntect::html::css_for_theme_with_class_style(theme, syntect::html::ClassStyle::Spaced).ok()
}

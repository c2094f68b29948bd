//! Markdown to safe HTML: comrak with GFM extensions, syntect highlighting as
//! CSS classes, heading anchors equal to card ids, and ammonia keeping only what
//! a note may show: nothing that runs, links only to the web or within the page,
//! no ids of its own and no classes but highlighting and task lists.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::BuildHasher;
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

/// The prefix of the ids and classes the renderer writes on headings, so that
/// the sanitizer can tell them from the same attributes in a note's raw HTML,
/// which could otherwise take a card's id or the reader's `question` class.
/// Random per process, so no note can contain it; the sanitizer removes it.
static OWN: LazyLock<String> = LazyLock::new(|| {
    let random = std::hash::RandomState::new().hash_one("rehearse");
    format!("rehearse-{random:016x}-")
});

/// Classes the reader gives meaning to (ui/src/app.css and its `:global`
/// rules). Syntect names some scopes the same (Ruby's `module`), so they are
/// kept off highlighted code too.
const READER_CLASSES: &[&str] = &[
    "question",
    "module",
    "is-empty",
    "is-arrived",
    "is-on",
    "q-bookmark",
    "hit",
    "visually-hidden",
    "prose",
    "outline",
];

/// What comrak writes for task lists (`tasklist_classes`), by element.
const TASK_LIST_CLASSES: [(&str, &str); 4] = [
    ("ul", "contains-task-list"),
    ("ol", "contains-task-list"),
    ("li", "task-list-item"),
    ("input", "task-list-item-checkbox"),
];

/// The classes syntect's themes colour code by: each atom of every scope they
/// style (`.keyword.operator` → `keyword`, `operator`). A class no theme styles
/// changes nothing on a span, so the rest of syntect's scope names can go.
static HIGHLIGHT_CLASSES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let mut classes = HashSet::new();
    for item in themes.themes.values().flat_map(|theme| &theme.scopes) {
        for selector in &item.scope.selectors {
            for scope in selector.extract_scopes() {
                classes.extend(scope.build_string().split('.').map(str::to_string));
            }
        }
    }
    for class in READER_CLASSES {
        classes.remove(*class);
    }
    classes
});

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["mark", "input"])
        // Whatever a note writes, an input is a checkbox the reader cannot tick.
        .add_tag_attributes("input", ["checked"])
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .add_generic_attributes(["class"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .attribute_filter(filter_attribute)
        .url_schemes(["http", "https"].into())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(in_page_only)))
        .link_rel(Some("noopener noreferrer"));
    builder
});

/// Ids and classes: the renderer's own (see [`OWN`]) pass unmarked; a note's
/// ids go, and of its classes only highlighting and task-list ones stay.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let own = value.strip_prefix(OWN.as_str()).map(Cow::Borrowed);
    match attribute {
        "id" => own,
        "class" => own.or_else(|| {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|class| note_may_wear(element, class))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }),
        _ => Some(Cow::Borrowed(value)),
    }
}

fn note_may_wear(element: &str, class: &str) -> bool {
    TASK_LIST_CLASSES.contains(&(element, class))
        || (element == "span" && HIGHLIGHT_CLASSES.contains(class))
}

/// Of relative URLs only in-page anchors stay: links between notes are for the
/// core to resolve (until it does they are not links), and images next to a
/// note are not served.
fn in_page_only(url: &str) -> Option<Cow<'_, str>> {
    url.starts_with('#').then_some(Cow::Borrowed(url))
}

/// Whether a markdown link can be followed from the reader: to the web, or to
/// an anchor in the page. The sanitizer applies the same rule to raw HTML.
fn is_followable(url: &str) -> bool {
    url.starts_with('#')
        || url.split_once(':').is_some_and(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
        })
}

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
    unlink_unfollowable(parsed);
    let mut options: Options = parse::options();
    options.render.sourcepos = anchors.is_some();
    options.render.tasklist_classes = true;
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

/// Replaces each markdown link the reader could not follow (another file, a
/// mail address, a script) by its text, rather than leave a link that does
/// nothing.
fn unlink_unfollowable(parsed: &Parsed<'_>) {
    let unfollowable: Vec<_> = parsed
        .root
        .descendants()
        .filter(|node| {
            matches!(&node.data.borrow().value, NodeValue::Link(link) if !is_followable(&link.url))
        })
        .collect();
    for link in unfollowable {
        while let Some(child) = link.first_child() {
            link.insert_before(child);
        }
        link.detach();
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
                let own = OWN.as_str();
                write!(
                    output,
                    "<h{} id=\"{own}{}\" class=\"{own}{class}\">",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every class ui/src/app.css styles, leaving out strings (`@import`) and comments.
    fn reader_stylesheet_classes() -> HashSet<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/app.css");
        let css = std::fs::read_to_string(path).expect("the UI's stylesheet is in the checkout");
        let strings = regex::Regex::new(r#"'[^']*'|"[^"]*"|/\*(?s:.*?)\*/"#).unwrap();
        let class = regex::Regex::new(r"\.(-?[A-Za-z_][A-Za-z0-9_-]*)").unwrap();
        class
            .captures_iter(&strings.replace_all(&css, ""))
            .map(|c| c[1].to_string())
            .collect()
    }

    #[test]
    fn no_element_of_a_note_can_wear_a_class_the_reader_styles_but_task_lists() {
        let classes = reader_stylesheet_classes();
        assert!(classes.contains("question"), "found {classes:?}");
        for class in classes
            .iter()
            .filter(|class| !TASK_LIST_CLASSES.iter().any(|(_, c)| c == class))
        {
            for element in ["span", "p", "div", "h2", "li", "ul", "input"] {
                assert_eq!(
                    filter_attribute(element, "class", class),
                    None,
                    "a note can write <{element} class=\"{class}\">: add `{class}` to READER_CLASSES"
                );
            }
        }
    }

    #[test]
    fn highlighting_keeps_the_classes_the_themes_style() {
        for class in ["keyword", "comment", "string", "source", "entity", "name"] {
            assert!(HIGHLIGHT_CLASSES.contains(class), "{class}");
        }
    }

    #[test]
    fn the_renderers_own_ids_and_classes_lose_their_mark_and_a_notes_are_dropped() {
        let id = format!("{}n.md#a", OWN.as_str());
        let class = format!("{}question", OWN.as_str());
        assert_eq!(filter_attribute("h2", "id", &id).as_deref(), Some("n.md#a"));
        assert_eq!(
            filter_attribute("h2", "class", &class).as_deref(),
            Some("question")
        );
        assert_eq!(filter_attribute("h2", "id", "n.md#a"), None);
        assert_eq!(filter_attribute("h2", "class", "question"), None);
    }
}

//! Markdown to safe HTML: comrak with GFM extensions, syntect highlighting as
//! CSS classes, heading anchors equal to card ids, links between notes and
//! images beside them resolved, and ammonia keeping only what a note may show:
//! nothing that runs, links only to the web, within the page or to another
//! note, no ids of its own and no classes but highlighting and task lists.
//!
//! The forms the reader follows:
//!
//! - a link to another note, relative (`[see](other.md#intro)`,
//!   `../aws/s3.md`) or a wikilink (`[[other]]`, `[[other#Heading]]`,
//!   `[[other|label]]`), becomes
//!   `<a href="rehearse://note/<id>#<heading id>" data-note="<id>" data-anchor="<heading id>">`
//!   (ids percent-encoded in the href, as written in the `data-` attributes;
//!   `data-anchor` is absent for a link to the whole note);
//! - a link that leads nowhere keeps its text inside
//!   `<span data-broken="no note named …">`, saying why;
//! - an image beside the notes (`![d](img/arch.png)`) gets
//!   `src="rehearse-asset://localhost/<absolute path, percent-encoded>"`, served
//!   by `Library::asset`, which refuses any file outside the notes folders;
//!   one outside them, or missing, is a `data-broken` span with its alt text;
//! - a remote image (`http(s)://`) is not loaded: it becomes
//!   `<span data-remote-image="<address>">` holding its alt text.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
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
        .add_tag_attributes("a", ["data-note", "data-anchor"])
        .add_tag_attributes("span", ["data-broken", "data-remote-image"])
        .attribute_filter(filter_attribute)
        .url_schemes(["http", "https", NOTE_SCHEME, ASSET_SCHEME].into())
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

const NOTE_SCHEME: &str = "rehearse";
const ASSET_SCHEME: &str = "rehearse-asset";

/// The library a note's links lead into: its notes and its folders.
pub struct LinkTargets<'a> {
    notes: &'a [Note],
    folders: Vec<PathBuf>,
    by_path: HashMap<PathBuf, usize>,
    /// Lowercase file names without extension, and ids without it, for
    /// wikilinks; the first note of a name wins, as in load order.
    by_name: HashMap<String, usize>,
}

impl<'a> LinkTargets<'a> {
    pub fn new(notes: &'a [Note], folders: &[PathBuf]) -> LinkTargets<'a> {
        let mut by_name = HashMap::new();
        for (i, note) in notes.iter().enumerate() {
            let stem = note
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            by_name.entry(stem).or_insert(i);
            let id = note.id.to_lowercase();
            let id = id
                .strip_suffix(".md")
                .or_else(|| id.strip_suffix(".markdown"))
                .unwrap_or(&id)
                .to_string();
            by_name.entry(id).or_insert(i);
        }
        LinkTargets {
            notes,
            folders: folders.iter().map(|f| normalize(f)).collect(),
            by_path: notes
                .iter()
                .enumerate()
                .map(|(i, n)| (normalize(&n.path), i))
                .collect(),
            by_name,
        }
    }

    /// The note and heading a relative link from `from` leads to, or why none.
    fn relative(&self, from: &Note, url: &str) -> Result<(String, Option<String>), String> {
        let (path, fragment) = split_fragment(url);
        let path = percent_decode(path);
        let target = if path.is_empty() {
            Some(from)
        } else {
            let base = from.path.parent().unwrap_or(Path::new(""));
            let wanted = normalize(&base.join(&path));
            self.by_path
                .get(&wanted)
                .or_else(|| self.by_path.get(&wanted.with_extension("md")))
                .map(|&i| &self.notes[i])
        };
        let target = target.ok_or_else(|| format!("no note at {path}"))?;
        let anchor = fragment
            .map(|f| heading_anchor(target, &percent_decode(f)))
            .transpose()?;
        Ok((target.id.to_string(), anchor))
    }

    /// The note and heading of a wikilink's target (`other`, `other#Heading`).
    fn wiki(&self, from: &Note, target: &str) -> Result<(String, Option<String>), String> {
        let (name, heading) = split_fragment(target);
        let name = name.trim();
        let note = if name.is_empty() {
            Some(from)
        } else {
            let key = name.to_lowercase();
            let key = key
                .strip_suffix(".md")
                .or_else(|| key.strip_suffix(".markdown"))
                .unwrap_or(&key);
            self.by_name.get(key).map(|&i| &self.notes[i])
        };
        let note = note.ok_or_else(|| format!("no note named {name}"))?;
        let anchor = heading.map(|h| heading_anchor(note, h)).transpose()?;
        Ok((note.id.to_string(), anchor))
    }

    /// The address an image beside `from` is served at, or why it is not.
    fn image(&self, from: &Note, url: &str) -> Result<String, String> {
        let (path, _) = split_fragment(url);
        let path = percent_decode(path.split('?').next().unwrap_or(path));
        let base = from.path.parent().unwrap_or(Path::new(""));
        let wanted = base.join(&path);
        let real = wanted
            .canonicalize()
            .map_err(|_| format!("no image at {path}"))?;
        if !within(&real, &self.folders) {
            return Err(format!("{path} is outside the notes folders"));
        }
        Ok(format!(
            "{ASSET_SCHEME}://localhost{}",
            percent_encode(&real.to_string_lossy())
        ))
    }
}

/// Whether `real` (a canonical path) is inside one of `folders`, whose
/// symlinks are resolved too: a link out of a folder does not count as in it.
pub(crate) fn within(real: &Path, folders: &[PathBuf]) -> bool {
    folders
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .any(|folder| real.starts_with(folder))
}

/// The file a `rehearse-asset://` address names, for `Library::asset`.
pub fn asset_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix(ASSET_SCHEME)?.strip_prefix("://")?;
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    Some(PathBuf::from(percent_decode(
        path.split(['?', '#']).next()?,
    )))
}

/// The id of `note`'s heading that `fragment` names (its slug, as GitHub
/// writes anchors, or its title).
fn heading_anchor(note: &Note, fragment: &str) -> Result<String, String> {
    let wanted = parse::slug(fragment);
    note.outline
        .iter()
        .find(|e| e.id.rsplit(['#', '/']).next() == Some(wanted.as_str()))
        .map(|e| e.id.to_string())
        .ok_or_else(|| format!("no heading {fragment} in {}", note.id))
}

fn split_fragment(url: &str) -> (&str, Option<&str>) {
    match url.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (url, None),
    }
}

/// `a/../b/./c` → `b/c`, without touching the disk: note paths are compared
/// as the walk found them.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes all but unreserved characters and `/`.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A whole note, with an anchor on every heading; links to other notes and
/// images are left unresolved (see [`note_to_html_in`]).
pub fn note_to_html(note: &Note) -> String {
    note_to_html_in(note, &LinkTargets::new(std::slice::from_ref(note), &[]))
}

/// A whole note, with an anchor on every heading, its links to other notes of
/// `targets` and its images resolved.
pub fn note_to_html_in(note: &Note, targets: &LinkTargets<'_>) -> String {
    let arena = Arena::new();
    let parsed = parse::parse(&arena, &note.id, &note.source);
    let anchors = Anchors::from(&parsed);
    resolve_links(&arena, &parsed, note, targets);
    render(&parsed, Some(&anchors))
}

/// Turns links between notes into links the reader follows, marks the broken
/// ones, serves images beside the notes and keeps remote ones unloaded.
fn resolve_links<'a>(
    arena: &'a Arena<'a>,
    parsed: &Parsed<'a>,
    note: &Note,
    targets: &LinkTargets<'_>,
) {
    let html = |text: String| {
        arena.alloc(comrak::nodes::AstNode::new(std::cell::RefCell::new(
            comrak::nodes::Ast::new(
                NodeValue::HtmlInline(text),
                comrak::nodes::LineColumn { line: 0, column: 0 },
            ),
        )))
    };
    let nodes: Vec<_> = parsed.root.descendants().collect();
    for node in nodes {
        let value = node.data.borrow().value.clone();
        let (open, close) = match value {
            NodeValue::Link(link) if !is_followable(&link.url) && !has_scheme(&link.url) => {
                note_link(targets.relative(note, &link.url))
            }
            NodeValue::WikiLink(link) => note_link(targets.wiki(note, &link.url)),
            NodeValue::Image(image) if is_remote(&image.url) => (
                format!(
                    "<span data-remote-image=\"{}\">",
                    escape_attribute(&image.url)
                ),
                "</span>".to_string(),
            ),
            NodeValue::Image(mut image) if !has_scheme(&image.url) => {
                match targets.image(note, &image.url) {
                    Ok(src) => {
                        image.url = src;
                        node.data.borrow_mut().value = NodeValue::Image(image);
                    }
                    Err(reason) => {
                        wrap(node, html(broken(&reason)), html("</span>".into()));
                    }
                }
                continue;
            }
            _ => continue,
        };
        wrap(node, html(open), html(close));
    }
}

fn note_link(target: Result<(String, Option<String>), String>) -> (String, String) {
    match target {
        Ok((id, anchor)) => {
            let fragment = anchor
                .as_deref()
                .map(|a| format!("#{}", percent_encode(a)))
                .unwrap_or_default();
            let data_anchor = anchor
                .as_deref()
                .map(|a| format!(" data-anchor=\"{}\"", escape_attribute(a)))
                .unwrap_or_default();
            (
                format!(
                    "<a href=\"{NOTE_SCHEME}://note/{}{fragment}\" data-note=\"{}\"{data_anchor}>",
                    percent_encode(&id),
                    escape_attribute(&id)
                ),
                "</a>".to_string(),
            )
        }
        Err(reason) => (broken(&reason), "</span>".to_string()),
    }
}

fn broken(reason: &str) -> String {
    format!("<span data-broken=\"{}\">", escape_attribute(reason))
}

/// Puts `node`'s children between `open` and `close`, in its place.
fn wrap<'a>(
    node: &'a comrak::nodes::AstNode<'a>,
    open: &'a comrak::nodes::AstNode<'a>,
    close: &'a comrak::nodes::AstNode<'a>,
) {
    node.insert_before(open);
    while let Some(child) = node.first_child() {
        node.insert_before(child);
    }
    node.insert_before(close);
    node.detach();
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && !scheme.contains('/')
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

fn is_remote(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// A card's reference answer alone.
pub fn card_to_html(card: &Card) -> String {
    markdown_to_html(&card.answer)
}

/// Any markdown (a draft, an answer) to safe HTML.
pub fn markdown_to_html(markdown: &str) -> String {
    let arena = Arena::new();
    let parsed = parse::parse(&arena, "", &markdown.into());
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

//! The UI's code-highlighting stylesheet is generated from the core's syntect
//! themes (the core renders code with CSS classes, not inline colours, so the
//! CSP needs no inline styles and the dark theme can recolour code). This test
//! fails when `ui/src/highlight.css` is out of date; regenerate it with
//!
//! ```text
//! REHEARSE_BLESS=1 cargo test --release -p rehearse-app --test highlight_css
//! ```

use std::path::Path;

const LIGHT: &str = "InspiredGitHub";
const DARK: &str = "base16-ocean.dark";

/// Each rule of syntect's stylesheet, scoped to code blocks of one theme. The
/// block's own background comes from the UI's palette, so `.code` is dropped.
fn scoped(theme: &str, scope: &str) -> String {
    let css = rehearse::render::highlight_css(theme).expect("syntect ships this theme");
    let mut out = String::new();
    for rule in css.split('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        let selectors: Vec<String> = selectors
            .lines()
            .filter(|l| !l.trim_start().starts_with(['/', '*']))
            .collect::<String>()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != ".code")
            .map(|s| format!("{scope} {s}"))
            .collect();
        if selectors.is_empty() {
            continue;
        }
        let body: Vec<&str> = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("background-color"))
            .collect();
        if body.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "{} {{ {} }}\n",
            selectors.join(", "),
            body.join(" ")
        ));
    }
    out
}

fn stylesheet() -> String {
    format!(
        "/* Code highlighting for the reader, generated from the core's syntect themes\n   \
         ({LIGHT} in light, {DARK} in dark) by src-tauri/tests/highlight_css.rs.\n   \
         Do not edit: regenerate with REHEARSE_BLESS=1 (see that file). */\n\n{}\n{}",
        scoped(LIGHT, ":root:not([data-theme='dark']) .prose pre"),
        scoped(DARK, ":root[data-theme='dark'] .prose pre"),
    )
}

#[test]
fn ui_highlight_stylesheet_matches_the_core_themes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/highlight.css");
    let expected = stylesheet();
    if std::env::var_os("REHEARSE_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "ui/src/highlight.css is out of date with the core's themes; regenerate it with \
         REHEARSE_BLESS=1 cargo test --release -p rehearse-app --test highlight_css"
    );
}

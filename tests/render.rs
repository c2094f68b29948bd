//! Rendering notes to HTML: highlighting, anchors, GFM, and nothing that runs.

mod common;

fn render_note(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("n.md"), text).unwrap();
    let (_data, library) = common::open(&[dir.path().to_path_buf()]);
    library.render("n.md").unwrap()
}

#[test]
fn scripts_event_handlers_and_javascript_links_are_removed() {
    let html = render_note(
        "# Hostile\n\n<script>window.pwned = 1</script>\n\n<img src=x onerror=\"window.pwned=2\">\n\n\
         [click](javascript:alert(1)) <a href=\"javascript:alert(2)\">two</a> <iframe src=\"https://evil\"></iframe>\n\n\
         <div onclick=\"x()\" style=\"position:fixed\">text stays</div>\n",
    );
    let lower = html.to_lowercase();
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "onclick",
        "<iframe",
        "style=",
    ] {
        assert!(!lower.contains(bad), "{bad} survived: {html}");
    }
    assert!(html.contains("text stays"));
}

#[test]
fn code_blocks_are_highlighted_in_every_common_language() {
    for lang in [
        "go",
        "yaml",
        "dockerfile",
        "sh",
        "bash",
        "json",
        "rust",
        "python",
    ] {
        let html = render_note(&format!(
            "# T\n\n```{lang}\n# comment\nfoo = \"bar\" 42\n```\n"
        ));
        assert!(
            html.contains("<span class=\""),
            "{lang} is not highlighted: {html}"
        );
    }
}

#[test]
fn unknown_languages_are_shown_plain() {
    let html = render_note("# T\n\n```klingon\nqapla' <batlh>\n```\n");
    assert!(html.contains("qapla' &lt;batlh&gt;"), "{html}");
}

#[test]
fn every_card_of_the_bundled_notes_has_an_anchor_equal_to_its_id() {
    let library = common::bundled();
    for note in library.notes() {
        let html = library.render(&note.id).unwrap();
        for card in &note.cards {
            assert!(
                html.contains(&format!("id=\"{}\"", card.id)),
                "no anchor for {}",
                card.id
            );
        }
    }
}

#[test]
fn questions_are_marked_for_the_reader() {
    let html = common::bundled().render("concurrency-in-go.md").unwrap();
    assert!(
        html.contains("class=\"question\""),
        "bold questions render as marked headings"
    );
}

#[test]
fn gfm_tables_strikethrough_task_lists_and_autolinks_render() {
    let html = render_note(
        "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nSee https://go.dev now\n",
    );
    assert!(html.contains("<table>") && html.contains("<del>old</del>"));
    assert!(html.contains("type=\"checkbox\""));
    assert!(html.contains("href=\"https://go.dev\""));
}

#[test]
fn a_card_renders_alone() {
    let library = common::bundled();
    let html = library
        .render("golang-deltas.md#module-1-golang/goroutine-vs-thread")
        .unwrap();
    assert!(html.contains("<li>") || html.contains("<p>"));
    assert!(!html.contains("Introduce Yourself"));
}

#[test]
fn an_unknown_id_is_an_error_not_a_blank_page() {
    let error = common::bundled().render("nope.md#x").unwrap_err();
    assert_eq!(error.code(), "unknown_id");
}

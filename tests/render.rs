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

/// The values an attribute takes anywhere in the HTML, in order.
fn attribute_values<'h>(html: &'h str, attribute: &str) -> Vec<&'h str> {
    let opening = format!(" {attribute}=\"");
    html.match_indices(&opening)
        .map(|(at, _)| {
            let value = &html[at + opening.len()..];
            &value[..value.find('"').expect("attribute values are quoted")]
        })
        .collect()
}

#[test]
fn a_note_cannot_wear_the_readers_classes() {
    let html = render_note(
        "# Hostile\n\n<p class=\"question\">Fake card</p>\n\n\
         <div class=\"module visually-hidden\">Fake divider</div>\n\n\
         <span class=\"keyword q-bookmark\">word</span> <mark class=\"hit\">hit</mark>\n",
    );
    for class in ["question", "module", "visually-hidden", "q-bookmark", "hit"] {
        assert!(
            !attribute_values(&html, "class")
                .iter()
                .any(|v| v.split(' ').any(|c| c == class)),
            "a note wore `{class}`: {html}"
        );
    }
    assert!(html.contains("Fake card") && html.contains("Fake divider") && html.contains("word"));
}

#[test]
fn ids_from_a_notes_raw_html_are_dropped_and_heading_anchors_stay() {
    let html = render_note(
        "# T\n\n## Real\n\ntext\n\n<div id=\"sidebar\">s</div>\n\n\
         <h2 id=\"n.md#real\" class=\"question\">Forged card</h2>\n\n<h3 id=\"app\">x</h3>\n",
    );
    assert_eq!(attribute_values(&html, "id"), ["n.md#real"], "{html}");
    assert_eq!(attribute_values(&html, "class"), ["question"], "{html}");
    assert!(html.contains("Forged card"));
}

#[test]
fn an_input_in_a_note_is_only_ever_a_disabled_checkbox() {
    let html = render_note(
        "# T\n\n<input type=\"text\" name=\"q\" value=\"typed\">\n\n\
         <input type=\"checkbox\" checked>\n\n<input type=\"submit\" formaction=\"https://evil.example\">\n",
    );
    let inputs: Vec<&str> = html
        .match_indices("<input")
        .map(|(at, _)| &html[at..])
        .collect();
    assert_eq!(inputs.len(), 3, "{html}");
    for input in inputs {
        let tag = &input[..input.find('>').unwrap()];
        assert!(
            tag.contains("type=\"checkbox\"") && tag.contains("disabled"),
            "{tag}"
        );
        for bad in ["text", "submit", "name=", "value=", "formaction"] {
            assert!(!tag.contains(bad), "{bad} survived: {tag}");
        }
    }
}

#[test]
fn links_to_files_that_are_not_notes_keep_their_text_but_are_not_links() {
    let html = render_note(
        "# T\n\n## Real\n\n<a href=\"other.md\">see other</a> [up](../x.md) [root](/etc/passwd) \
         <a href=\"//evil.example/x\">protocol relative</a> [web](https://go.dev/) [here](#n.md#real)\n",
    );
    assert_eq!(
        attribute_values(&html, "href"),
        ["https://go.dev/", "#n.md#real"],
        "{html}"
    );
    for text in ["see other", "up", "root", "protocol relative"] {
        assert!(html.contains(text), "lost the text {text}: {html}");
    }
}

#[test]
fn a_missing_image_says_so_and_a_raw_html_image_gets_no_source() {
    // Images the core resolves are in tests/links.rs; raw HTML is only sanitized.
    let html =
        render_note("# T\n\n<img src=\"img/a.png\" alt=\"diagram\">\n\n![chart](img/b.png)\n");
    assert!(attribute_values(&html, "src").is_empty(), "{html}");
    assert!(html.contains("alt=\"diagram\""), "{html}");
    assert!(
        html.contains("<span data-broken=\"no image at img/b.png\">chart</span>"),
        "{html}"
    );
}

#[test]
fn mail_addresses_are_shown_as_plain_text() {
    let html = render_note(
        "# T\n\n[mail me](mailto:a@b.c) <a href=\"mailto:x@y.z\">raw mail</a> or write to c@d.dev\n",
    );
    assert!(!html.contains("mailto:"), "{html}");
    assert!(attribute_values(&html, "href").is_empty(), "{html}");
    for text in ["mail me", "raw mail", "c@d.dev"] {
        assert!(html.contains(text), "lost the text {text}: {html}");
    }
}

#[test]
fn highlighting_and_task_list_classes_survive_sanitizing() {
    let html = render_note(
        "# T\n\n```go\n// start\nfunc main() { go work(\"x\", 42) }\n```\n\n- [x] done\n- [ ] to do\n",
    );
    let classes: Vec<&str> = attribute_values(&html, "class")
        .into_iter()
        .flat_map(|v| v.split(' '))
        .collect();
    for class in [
        "comment",
        "string",
        "contains-task-list",
        "task-list-item",
        "task-list-item-checkbox",
    ] {
        assert!(classes.contains(&class), "no `{class}` in {html}");
    }
    assert_eq!(html.matches("type=\"checkbox\"").count(), 2);
    assert_eq!(html.matches("checked").count(), 1);
}

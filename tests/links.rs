//! Links and images in a rendered note: links between notes and wikilinks
//! lead to the note and heading, broken ones say why, images beside the notes
//! are served from inside the notes folders only, and remote ones not loaded.

use std::path::{Path, PathBuf};

use rehearse::{Library, LibraryConfig};
use tempfile::TempDir;

struct Fixture {
    _root: TempDir,
    _data: TempDir,
    notes: PathBuf,
    outside: PathBuf,
    library: Library,
}

fn write(path: &Path, text: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A notes folder with `go/basics.md` linking every way, `aws/s3.md`, an
/// image beside the notes, and a secret file outside them (also reachable
/// through a symlink inside).
fn fixture() -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let notes = root.path().join("notes");
    let outside = root.path().join("outside");
    write(&outside.join("secret.png"), b"not for the window");
    write(
        &notes.join("aws/s3.md"),
        b"# S3\n\n## Buckets\n\nWhere objects live.\n\n## Intro\n\nHello.\n",
    );
    write(&notes.join("go/img/arch.png"), b"\x89PNG picture");
    std::os::unix::fs::symlink(outside.join("secret.png"), notes.join("go/img/escape.png"))
        .unwrap();
    write(
        &notes.join("go/basics.md"),
        b"# Basics\n\n## Links\n\n\
          [buckets](../aws/s3.md#buckets) and [whole](../aws/s3.md) and [missing](nowhere.md)\n\n\
          [[s3]] and [[s3#Intro]] and [[s3|the S3 note]] and [[ghost]] and [[s3#Nope]]\n\n\
          ![diagram](img/arch.png) ![remote](https://example.com/x.png) \
          ![escape](img/escape.png) ![up](../../outside/secret.png)\n",
    );
    let data = tempfile::tempdir().unwrap();
    let library = Library::open(LibraryConfig::new(
        vec![notes.clone()],
        data.path().to_path_buf(),
    ))
    .unwrap();
    Fixture {
        _root: root,
        _data: data,
        notes,
        outside,
        library,
    }
}

fn html(fixture: &Fixture) -> String {
    fixture
        .library
        .render("go/basics.md")
        .expect("the note renders")
}

#[test]
fn a_relative_link_leads_to_the_other_note_and_its_heading() {
    let html = html(&fixture());
    assert!(
        html.contains(r#"<a href="rehearse://note/aws/s3.md#aws/s3.md%23buckets" data-note="aws/s3.md" data-anchor="aws/s3.md#buckets""#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="rehearse://note/aws/s3.md" data-note="aws/s3.md""#),
        "a link to the whole note has no anchor: {html}"
    );
}

#[test]
fn wikilinks_lead_to_the_note_by_name_with_heading_and_label() {
    let html = html(&fixture());
    assert!(
        html.contains(r#"data-note="aws/s3.md" data-anchor="aws/s3.md#intro""#),
        "{html}"
    );
    assert!(
        html.contains(r#"data-note="aws/s3.md" rel="noopener noreferrer">the S3 note</a>"#),
        "{html}"
    );
}

#[test]
fn a_broken_link_keeps_its_text_and_says_why() {
    let html = html(&fixture());
    assert!(
        html.contains(r#"<span data-broken="no note at nowhere.md">missing</span>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<span data-broken="no note named ghost">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<span data-broken="no heading Nope in aws/s3.md">"#),
        "{html}"
    );
}

#[test]
fn an_image_beside_the_notes_is_served_and_a_remote_one_is_not_loaded() {
    let fixture = fixture();
    let html = html(&fixture);
    let real = fixture
        .notes
        .join("go/img/arch.png")
        .canonicalize()
        .unwrap();
    let src = format!("rehearse-asset://localhost{}", real.display());
    assert!(html.contains(&format!(r#"src="{src}""#)), "{html}");
    let path = rehearse::render::asset_path(&src).unwrap();
    assert_eq!(fixture.library.asset(&path).unwrap(), b"\x89PNG picture");
    assert!(
        html.contains(r#"<span data-remote-image="https://example.com/x.png">remote</span>"#),
        "{html}"
    );
    assert!(!html.contains("<img src=\"https://"), "{html}");
}

#[test]
fn no_file_outside_the_notes_folders_is_served_through_dot_dots_or_symlinks() {
    let fixture = fixture();
    let html = html(&fixture);
    assert!(
        html.contains(
            r#"<span data-broken="img/escape.png is outside the notes folders">escape</span>"#
        ),
        "{html}"
    );
    assert!(
        html.contains(r#"data-broken="../../outside/secret.png is outside the notes folders""#),
        "{html}"
    );
    let library = &fixture.library;
    for path in [
        fixture.outside.join("secret.png"),
        fixture.notes.join("go/img/escape.png"),
        fixture.notes.join("../outside/secret.png"),
        PathBuf::from("/etc/passwd"),
    ] {
        let refused = library
            .asset(&path)
            .expect_err("a file outside the notes is refused");
        assert_eq!(
            refused.code(),
            "invalid_input",
            "{}: {refused}",
            path.display()
        );
    }
}

//! The `rehearse-asset://` protocol as the window asks it: an image beside a
//! note is served as an image; anything outside the notes folders, however
//! the address is spelled, is refused with a sentence and no bytes of it.

use std::path::Path;

use rehearse::{Library, LibraryConfig};
use rehearse_app::asset_response;

/// A 1×1 PNG.
const PIXEL: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn url(path: &Path) -> String {
    format!("rehearse-asset://localhost{}", path.display())
}

fn library_beside(secret: &Path) -> (tempfile::TempDir, tempfile::TempDir, Library) {
    let notes = tempfile::tempdir().unwrap();
    std::fs::create_dir(notes.path().join("img")).unwrap();
    std::fs::write(notes.path().join("img/arch.png"), PIXEL).unwrap();
    std::fs::write(
        notes.path().join("design.md"),
        "# Design\n\n![the architecture](img/arch.png)\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(secret, notes.path().join("img/link.png")).unwrap();
    let data = tempfile::tempdir().unwrap();
    let library = Library::open(LibraryConfig::new(
        vec![notes.path().to_path_buf()],
        data.path().to_path_buf(),
    ))
    .unwrap();
    (notes, data, library)
}

#[test]
fn an_image_beside_a_note_is_served_as_an_image_at_the_address_the_note_renders() {
    let outside = tempfile::tempdir().unwrap();
    let (notes, _data, library) = library_beside(&outside.path().join("secret"));
    let html = library.render("design.md").unwrap();
    let src = html
        .split("src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the image has a src");
    assert!(src.starts_with("rehearse-asset://localhost/"), "{src}");
    let response = asset_response(&library, src);
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/png");
    assert_eq!(response.body(), PIXEL);
    drop(notes);
}

#[test]
fn a_file_outside_the_notes_folders_is_refused_whether_named_directly_through_dots_or_a_symlink() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.png");
    std::fs::write(&secret, b"not for the window").unwrap();
    let (notes, _data, library) = library_beside(&secret);
    // From the notes' img/ folder up to the root, then down to the secret.
    let mut through_dots = notes.path().join("img");
    for _ in notes.path().components().skip(1) {
        through_dots.push("..");
    }
    through_dots.push("..");
    let through_dots = through_dots.join(secret.strip_prefix("/").unwrap());
    for address in [
        url(&secret),
        url(&through_dots),
        url(&notes.path().join("img/link.png")),
        "rehearse-asset://localhost/etc/passwd".to_string(),
    ] {
        let response = asset_response(&library, &address);
        assert_eq!(response.status(), 403, "{address}");
        let body = String::from_utf8_lossy(response.body());
        assert!(
            body.contains("outside your notes folders"),
            "{address}: {body}"
        );
        assert!(!body.contains("not for the window"));
    }
}

#[test]
fn a_missing_image_is_not_found_with_a_sentence() {
    let outside = tempfile::tempdir().unwrap();
    let (notes, _data, library) = library_beside(&outside.path().join("secret"));
    let response = asset_response(&library, &url(&notes.path().join("img/gone.png")));
    assert_eq!(response.status(), 404);
    assert!(String::from_utf8_lossy(response.body()).contains("gone.png"));
}

//! The `rehearse-asset://` protocol: the images a note shows from beside it,
//! answered by `Library::asset`, which serves only files inside the notes
//! folders. Everything else gets a status and a sentence, never a file.

use rehearse::{Error, Library};
use tauri::http::{Response, StatusCode, header};

/// The scheme the core writes into rendered notes (`src/render.rs`).
pub const SCHEME: &str = "rehearse-asset";

/// The answer to one request for `url` (`rehearse-asset://localhost/<path>`).
pub fn response(library: &Library, url: &str) -> Response<Vec<u8>> {
    let Some(path) = rehearse::render::asset_path(url) else {
        return refusal(StatusCode::BAD_REQUEST, format!("{url} names no file."));
    };
    match library.asset(&path) {
        Ok(bytes) => Response::builder()
            .header(header::CONTENT_TYPE, content_type(&path))
            // A file served as an image must not be sniffed into a page.
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(bytes)
            .unwrap_or_else(|e| refusal(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())),
        Err(error @ Error::InvalidInput(_)) => refusal(StatusCode::FORBIDDEN, error.to_string()),
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => refusal(
            StatusCode::NOT_FOUND,
            format!("{} is not there any more.", path.display()),
        ),
        Err(error) => refusal(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    }
}

/// While the library is not open yet, nothing can be shown.
pub fn not_open() -> Response<Vec<u8>> {
    refusal(
        StatusCode::SERVICE_UNAVAILABLE,
        "The library is still opening.".into(),
    )
}

fn refusal(status: StatusCode, message: String) -> Response<Vec<u8>> {
    let mut response = Response::new(message.into_bytes());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// By extension: notes link images by name, and a wrong type only means
/// the image does not show.
fn content_type(path: &std::path::Path) -> &'static str {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

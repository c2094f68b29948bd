//! The commands the web UI invokes. Each unpacks the state, makes one call into
//! the core and lets `?` map the core's error to `{code, message}`; anything
//! more belongs in the core, where its tests can reach it.

use rehearse::store::{Bookmark, ReadingPosition};
use rehearse::{IndexProgress, MeaningStatus, SearchRequest, SearchResults};
use tauri::State;
use tauri::ipc::Channel;

use crate::error::IpcError;
use crate::state::{LibraryOverview, LibrarySlot};

/// Opens (on the first start: indexes) the library, streaming progress.
#[tauri::command]
pub async fn open_library(
    slot: State<'_, LibrarySlot>,
    on_progress: Channel<IndexProgress>,
) -> Result<LibraryOverview, IpcError> {
    // A progress message lost because the page went away is harmless.
    slot.open(move |progress| drop(on_progress.send(progress)))
        .await
}

/// A note or a card as safe HTML.
#[tauri::command(async)]
pub fn render_note(slot: State<'_, LibrarySlot>, id: String) -> Result<String, IpcError> {
    slot.with(|library| library.render(&id))
}

#[tauri::command(async)]
pub fn search_cards(
    slot: State<'_, LibrarySlot>,
    request: SearchRequest,
) -> Result<SearchResults, IpcError> {
    slot.with(|library| library.search(&request))
}

/// Words and meaning together: asked when typing pauses, after
/// [`search_cards`] answered the keystroke.
#[tauri::command(async)]
pub fn search_hybrid(
    slot: State<'_, LibrarySlot>,
    request: SearchRequest,
) -> Result<SearchResults, IpcError> {
    slot.with(|library| library.search_hybrid(&request))
}

/// Loads the model for search by meaning and embeds the sections it has not
/// seen, streaming progress; searches by words go on meanwhile. Without the
/// model the answer says why, and it is not an error.
#[tauri::command]
pub async fn enable_meaning(
    slot: State<'_, LibrarySlot>,
    on_progress: Channel<IndexProgress>,
) -> Result<MeaningStatus, IpcError> {
    slot.enable_meaning(move |done, total| drop(on_progress.send(IndexProgress { done, total })))
        .await
}

#[tauri::command(async)]
pub fn list_bookmarks(slot: State<'_, LibrarySlot>) -> Result<Vec<Bookmark>, IpcError> {
    slot.with(|library| library.bookmarks())
}

#[tauri::command(async)]
pub fn add_bookmark(slot: State<'_, LibrarySlot>, id: String) -> Result<Bookmark, IpcError> {
    slot.with(|library| library.add_bookmark(&id, None))
}

#[tauri::command(async)]
pub fn remove_bookmark(slot: State<'_, LibrarySlot>, id: String) -> Result<bool, IpcError> {
    slot.with(|library| library.remove_bookmark(&id))
}

/// Remembers how far into a note the reader is: the card at the top of the
/// view and the scrolled fraction of the whole note.
#[tauri::command(async)]
pub fn save_reading_position(
    slot: State<'_, LibrarySlot>,
    note: String,
    card: Option<String>,
    fraction: f64,
) -> Result<(), IpcError> {
    slot.with(|library| library.save_reading_position(&note, card.as_deref(), fraction))
}

#[tauri::command(async)]
pub fn load_reading_position(
    slot: State<'_, LibrarySlot>,
    note: String,
) -> Result<Option<ReadingPosition>, IpcError> {
    slot.with(|library| library.reading_position(&note))
}

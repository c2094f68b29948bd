//! The commands the web UI invokes. Each unpacks the state, makes one call into
//! the core and lets `?` map the core's error to `{code, message}`; anything
//! more belongs in the core, where its tests can reach it.

use std::path::PathBuf;

use rehearse::practice::{
    DiffOp, ExportReport, Grade, NextIntervals, Progress, Reveal, Review, SessionRequest,
};
use rehearse::store::{
    Bookmark, CardSchedule, Draft, DraftSaved, DraftVersion, ReadingPosition, SaveKind,
};
use rehearse::{
    Card, CardRef, DraftHit, FilteredNotes, FolderChange, IndexProgress, LibraryFolders,
    MeaningStatus, NoteOutline, NotesPage, SearchRequest, SearchResults,
};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::error::IpcError;
use crate::state::{LibraryOverview, LibrarySlot};

/// Opens (on the first start: indexes) the library, streaming progress, and
/// watches its folders from then on.
#[tauri::command]
pub async fn open_library(
    app: AppHandle,
    slot: State<'_, LibrarySlot>,
    on_progress: Channel<IndexProgress>,
) -> Result<LibraryOverview, IpcError> {
    // A progress message lost because the page went away is harmless.
    slot.open(app, move |progress| drop(on_progress.send(progress)))
        .await
}

/// The notes folders, each with its number of notes, for the settings.
#[tauri::command(async)]
pub fn library_folders(slot: State<'_, LibrarySlot>) -> Result<LibraryFolders, IpcError> {
    slot.with(|library| library.folders())
}

/// Adds or removes a folder, or shows or hides the bundled notes: the new
/// folders are indexed, streaming progress, while the open library goes on
/// answering, and replace it once ready; the page then fetches its lists again.
#[tauri::command]
pub async fn change_folders(
    app: AppHandle,
    slot: State<'_, LibrarySlot>,
    change: FolderChange,
    on_progress: Channel<IndexProgress>,
) -> Result<(), IpcError> {
    slot.change_folders(app, change, move |progress| {
        drop(on_progress.send(progress))
    })
    .await
}

/// Stops the indexing under way: of the first start (the bundled notes open
/// instead) or of a folder change (it is not made).
#[tauri::command(async)]
pub fn stop_indexing(slot: State<'_, LibrarySlot>) {
    slot.stop_indexing();
}

/// A note or a card as safe HTML.
#[tauri::command(async)]
pub fn render_note(slot: State<'_, LibrarySlot>, id: String) -> Result<String, IpcError> {
    slot.with(|library| library.render(&id))
}

/// A page of the notes' summaries, after the first that opening sent.
#[tauri::command(async)]
pub fn note_summaries(
    slot: State<'_, LibrarySlot>,
    offset: usize,
    limit: usize,
) -> Result<NotesPage, IpcError> {
    slot.with(|library| Ok(library.note_summaries(offset, limit)))
}

/// A note's headings and questions, without their answers: asked when the
/// note is opened or expanded in the sidebar.
#[tauri::command(async)]
pub fn note_outline(slot: State<'_, LibrarySlot>, id: String) -> Result<NoteOutline, IpcError> {
    slot.with(|library| library.note_outline(&id))
}

/// One question with its reference answer, for practice.
#[tauri::command(async)]
pub fn load_card(slot: State<'_, LibrarySlot>, id: String) -> Result<Card, IpcError> {
    slot.with(|library| library.card_with_answer(&id))
}

/// The sidebar's filter, run over every note's headings in the core.
#[tauri::command(async)]
pub fn filter_notes(
    slot: State<'_, LibrarySlot>,
    filter: String,
    limit: usize,
) -> Result<FilteredNotes, IpcError> {
    slot.with(|library| Ok(library.filter_notes(&filter, limit)))
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

/// The latest saved answer to a question; `None` before the first save.
#[tauri::command(async)]
pub fn load_draft(slot: State<'_, LibrarySlot>, id: String) -> Result<Option<Draft>, IpcError> {
    slot.with(|library| library.latest_draft(&id))
}

/// The editor's save on a pause in typing.
#[tauri::command(async)]
pub fn autosave_draft(
    slot: State<'_, LibrarySlot>,
    id: String,
    text: String,
) -> Result<DraftSaved, IpcError> {
    slot.with(|library| library.save_draft(&id, &text, SaveKind::Autosave))
}

#[tauri::command(async)]
pub fn draft_history(
    slot: State<'_, LibrarySlot>,
    id: String,
) -> Result<Vec<DraftVersion>, IpcError> {
    slot.with(|library| library.draft_history(&id))
}

#[tauri::command(async)]
pub fn load_draft_version(
    slot: State<'_, LibrarySlot>,
    id: String,
    version: u32,
) -> Result<Draft, IpcError> {
    slot.with(|library| library.draft(&id, Some(version)))
}

/// What changed from one saved version of a draft to another.
#[tauri::command(async)]
pub fn diff_draft_versions(
    slot: State<'_, LibrarySlot>,
    id: String,
    from: u32,
    to: u32,
) -> Result<Vec<DiffOp>, IpcError> {
    slot.with(|library| library.draft_diff(&id, from, to))
}

/// Reveals the answer beside the card's reference, keeping it and its score
/// as an attempt.
#[tauri::command(async)]
pub fn reveal_answer(
    slot: State<'_, LibrarySlot>,
    id: String,
    answer: String,
) -> Result<Reveal, IpcError> {
    slot.with(|library| library.reveal_attempt(&id, &answer))
}

/// The answer beside the reference of another card that asks the same
/// question, which keeps nothing.
#[tauri::command(async)]
pub fn compare_with_reference(
    slot: State<'_, LibrarySlot>,
    reference: String,
    answer: String,
) -> Result<Reveal, IpcError> {
    slot.with(|library| library.reveal(&reference, Some(&answer)))
}

#[tauri::command(async)]
pub fn grade_card(
    slot: State<'_, LibrarySlot>,
    id: String,
    grade: Grade,
) -> Result<Review, IpcError> {
    slot.with(|library| library.grade(&id, grade))
}

#[tauri::command(async)]
pub fn next_intervals(slot: State<'_, LibrarySlot>, id: String) -> Result<NextIntervals, IpcError> {
    slot.with(|library| library.next_intervals(&id))
}

#[tauri::command(async)]
pub fn list_due(slot: State<'_, LibrarySlot>) -> Result<Vec<CardSchedule>, IpcError> {
    slot.with(|library| library.due())
}

#[tauri::command(async)]
pub fn start_session(
    slot: State<'_, LibrarySlot>,
    request: SessionRequest,
) -> Result<Vec<CardRef>, IpcError> {
    slot.with(|library| library.session(&request))
}

/// The other cards, in any note, that ask the same question.
#[tauri::command(async)]
pub fn same_question(slot: State<'_, LibrarySlot>, id: String) -> Result<Vec<CardRef>, IpcError> {
    slot.with(|library| library.same_question(&id))
}

/// The numbers of the progress charts, by the UI's calendar days.
#[tauri::command(async)]
pub fn load_progress(
    slot: State<'_, LibrarySlot>,
    offset_minutes: i32,
) -> Result<Progress, IpcError> {
    slot.with(|library| library.progress(offset_minutes))
}

#[tauri::command(async)]
pub fn search_drafts(
    slot: State<'_, LibrarySlot>,
    query: String,
    limit: usize,
) -> Result<Vec<DraftHit>, IpcError> {
    slot.with(|library| library.search_drafts(&query, limit))
}

/// Writes the latest answer to every question to `path`, which the user
/// chose in the save dialog.
#[tauri::command(async)]
pub fn export_drafts(
    slot: State<'_, LibrarySlot>,
    path: PathBuf,
) -> Result<ExportReport, IpcError> {
    slot.with(|library| library.export_drafts(&path))
}

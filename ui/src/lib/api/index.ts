// The UI's only door to the Rust side: every command, typed, the events it
// sends, the system browser for external links, the save and folder dialogs,
// and the app's version. Nothing else imports `@tauri-apps/*`.

import { getVersion } from '@tauri-apps/api/app';
import { Channel, invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { open, save } from '@tauri-apps/plugin-dialog';
import { openUrl } from '@tauri-apps/plugin-opener';
import { BackendError } from './errors';
import type {
  AppEvent,
  Bookmark,
  Card,
  CardRef,
  CardSchedule,
  Command,
  DiffOp,
  Draft,
  DraftHit,
  DraftSaved,
  DraftVersion,
  ExportReport,
  FilteredNotes,
  FolderChange,
  Grade,
  IndexProgress,
  LibraryFolders,
  LibraryOverview,
  MeaningStatus,
  NextIntervals,
  NoteOutline,
  NotesPage,
  Progress,
  ReadingPosition,
  Reveal,
  Review,
  SearchRequest,
  SearchResults,
  SessionRequest,
  UpdateReport,
} from './types';

export * from './types';
export { BackendError, adviceFor, type ErrorCode } from './errors';

async function call<T>(command: Command, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    throw BackendError.from(thrown);
  }
}

/** Opens the library; on the first start this builds the search index and
 * reports progress as it goes. */
export function openLibrary(onProgress: (progress: IndexProgress) => void): Promise<LibraryOverview> {
  const channel = new Channel<IndexProgress>();
  channel.onmessage = onProgress;
  return call('open_library', { onProgress: channel });
}

/** The notes folders with their note counts, for the settings. */
export function libraryFolders(): Promise<LibraryFolders> {
  return call('library_folders');
}

/** Makes a change to the folders: the new folders are indexed (reporting
 * progress) while the open library goes on answering, and replace it once
 * ready; fetch the lists again then. Rejects with `cancelled` when
 * `stopIndexing` stopped it, and the change is not made. */
export function changeFolders(change: FolderChange, onProgress: (progress: IndexProgress) => void): Promise<void> {
  const channel = new Channel<IndexProgress>();
  channel.onmessage = onProgress;
  return call('change_folders', { change, onProgress: channel });
}

/** Stops the indexing under way: the first start's (the bundled notes open
 * instead, for this run) or a folder change's (it is not made). */
export function stopIndexing(): Promise<void> {
  return call('stop_indexing');
}

/** Asks for a folder with the system's folder picker; null when cancelled. */
export async function pickFolder(): Promise<string | null> {
  try {
    const picked = await open({ directory: true, multiple: false, title: 'Add a folder of notes' });
    return typeof picked === 'string' ? picked : null;
  } catch (thrown) {
    throw BackendError.from(thrown);
  }
}

/** Calls `handler` after every change to the notes on disk that the
 * library took in; resolves to a function that stops listening. */
export async function onLibraryUpdated(handler: (report: UpdateReport) => void): Promise<() => void> {
  const event: AppEvent = 'library-updated';
  return listen<UpdateReport>(event, (e) => handler(e.payload));
}

/** A note (or one card) as sanitized HTML. */
export function renderNote(id: string): Promise<string> {
  return call('render_note', { id });
}

/** The notes' summaries from `offset`, after the first page that opening sent. */
export function noteSummaries(offset: number, limit: number): Promise<NotesPage> {
  return call('note_summaries', { offset, limit });
}

/** A note's headings and questions, without their answers. */
export function noteOutline(id: string): Promise<NoteOutline> {
  return call('note_outline', { id });
}

/** One question with its reference answer. */
export function loadCard(id: string): Promise<Card> {
  return call('load_card', { id });
}

/** The sidebar's filter, run in the core over every note's headings. */
export function filterNotes(filter: string, limit: number): Promise<FilteredNotes> {
  return call('filter_notes', { filter, limit });
}

export function searchCards(request: SearchRequest): Promise<SearchResults> {
  return call('search_cards', { request });
}

/** Words and meaning together; slower than `searchCards` by the time it
 * takes to embed the query, so asked when typing pauses. */
export function searchHybrid(request: SearchRequest): Promise<SearchResults> {
  return call('search_hybrid', { request });
}

/** Loads the model for search by meaning, reporting sections embedded; says
 * why when it cannot (the model is not installed), without failing. */
export function enableMeaning(onProgress: (progress: IndexProgress) => void): Promise<MeaningStatus> {
  const channel = new Channel<IndexProgress>();
  channel.onmessage = onProgress;
  return call('enable_meaning', { onProgress: channel });
}

export function listBookmarks(): Promise<Bookmark[]> {
  return call('list_bookmarks');
}

export function addBookmark(id: string): Promise<Bookmark> {
  return call('add_bookmark', { id });
}

export function removeBookmark(id: string): Promise<boolean> {
  return call('remove_bookmark', { id });
}

export function saveReadingPosition(note: string, card: string | null, fraction: number): Promise<void> {
  return call('save_reading_position', { note, card, fraction });
}

export function loadReadingPosition(note: string): Promise<ReadingPosition | null> {
  return call('load_reading_position', { note });
}

/** The latest saved answer to a question; null before the first save. */
export function loadDraft(id: string): Promise<Draft | null> {
  return call('load_draft', { id });
}

/** Saves the editor's text on a pause in typing; saves close together fold
 * into one version. */
export function autosaveDraft(id: string, text: string): Promise<DraftSaved> {
  return call('autosave_draft', { id, text });
}

export function draftHistory(id: string): Promise<DraftVersion[]> {
  return call('draft_history', { id });
}

export function loadDraftVersion(id: string, version: number): Promise<Draft> {
  return call('load_draft_version', { id, version });
}

/** From version `from` to version `to`, word by word. */
export function diffDraftVersions(id: string, from: number, to: number): Promise<DiffOp[]> {
  return call('diff_draft_versions', { id, from, to });
}

/** The answer beside the card's reference; the answer and its score are
 * kept as an attempt. */
export function revealAnswer(id: string, answer: string): Promise<Reveal> {
  return call('reveal_answer', { id, answer });
}

/** The answer beside another card's reference (the same question in another
 * note); keeps nothing. */
export function compareWithReference(reference: string, answer: string): Promise<Reveal> {
  return call('compare_with_reference', { reference, answer });
}

export function gradeCard(id: string, grade: Grade): Promise<Review> {
  return call('grade_card', { id, grade });
}

export function nextIntervals(id: string): Promise<NextIntervals> {
  return call('next_intervals', { id });
}

export function listDue(): Promise<CardSchedule[]> {
  return call('list_due');
}

export function startSession(request: SessionRequest): Promise<CardRef[]> {
  return call('start_session', { request });
}

/** Other cards, in any note, that ask the same question. */
export function sameQuestion(id: string): Promise<CardRef[]> {
  return call('same_question', { id });
}

/** The progress charts' numbers, by this computer's calendar days. */
export function loadProgress(): Promise<Progress> {
  return call('load_progress', { offsetMinutes: -new Date().getTimezoneOffset() });
}

export function searchDrafts(query: string, limit: number): Promise<DraftHit[]> {
  return call('search_drafts', { query, limit });
}

/** Asks where to save, then writes every latest answer there as markdown;
 * null when the user cancelled the dialog. */
export async function exportDrafts(): Promise<ExportReport | null> {
  let path: string | null;
  try {
    path = await save({
      title: 'Export your answers',
      defaultPath: 'my-answers.md',
      filters: [{ name: 'Markdown', extensions: ['md'] }],
    });
  } catch (thrown) {
    throw BackendError.from(thrown);
  }
  return path ? call('export_drafts', { path }) : null;
}

/** The version of Rehearse, as the workspace's Cargo.toml gives it. */
export function appVersion(): Promise<string> {
  return getVersion();
}

/** Opens an http(s) link in the system browser; anything else is refused here
 * and again by the capability's URL scope. */
export async function openExternal(url: string): Promise<void> {
  if (!isWebUrl(url)) return;
  try {
    await openUrl(url);
  } catch (thrown) {
    throw BackendError.from(thrown);
  }
}

export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

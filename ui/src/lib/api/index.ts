// The UI's only door to the Rust side: every command, typed, and the system
// browser for external links, and the app's version. Nothing else imports `@tauri-apps/*`.

import { getVersion } from '@tauri-apps/api/app';
import { Channel, invoke } from '@tauri-apps/api/core';
import { openUrl } from '@tauri-apps/plugin-opener';
import { BackendError } from './errors';
import type {
  Bookmark,
  Command,
  IndexProgress,
  LibraryOverview,
  MeaningStatus,
  ReadingPosition,
  SearchRequest,
  SearchResults,
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

/** A note (or one card) as sanitized HTML. */
export function renderNote(id: string): Promise<string> {
  return call('render_note', { id });
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

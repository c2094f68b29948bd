// The shapes that cross IPC, generated from the Rust types by
// src-tauri/tests/ipc_types.rs. Do not edit; regenerate with
// REHEARSE_WRITE_TYPES=1 cargo test --release -p rehearse-app --test ipc_types

/** Every command the UI may invoke (src-tauri/src/command_names.rs). */
export type Command =
  | "open_library"
  | "render_note"
  | "search_cards"
  | "search_hybrid"
  | "enable_meaning"
  | "list_bookmarks"
  | "add_bookmark"
  | "remove_bookmark"
  | "save_reading_position"
  | "load_reading_position";

/** Every `code` a command can fail with. */
export type IpcErrorCode =
  | "unknown_id"
  | "notes_folder_missing"
  | "io"
  | "index"
  | "database_corrupt"
  | "database"
  | "model"
  | "invalid_input"
  | "not_ready"
  | "crashed";

export type Bookmark = { 
/**
 * The card, heading or note id (the old id while orphaned).
 */
id: string, note: string, title: string, label: string | null, createdAt: Timestamp, orphaned: boolean, };

/**
 * A question with its reference answer.
 */
export type Card = { 
/**
 * `note-id#slug/slug`: the note and the heading slug trail; unique in the note.
 */
id: string, note: string, 
/**
 * The module headings above the question, outermost first.
 */
trail: Array<string>, title: string, 
/**
 * The reference answer, as markdown.
 */
answer: string, 
/**
 * No answer written yet; kept so it can still be practised.
 */
empty: boolean, };

/**
 * Reported while the index is built or updated, and while sections are
 * embedded for search by meaning.
 */
export type IndexProgress = { done: number, total: number, };

/**
 * What an index build or update did.
 */
export type IndexReport = { files: number, updatedFiles: number, removedFiles: number, sections: number, 
/**
 * The index was built from scratch (first start, or it was missing,
 * damaged or of an older schema).
 */
rebuilt: boolean, 
/**
 * Another process was writing the index: searches use it as it is.
 */
busy: boolean, millis: number, };

/**
 * What a failed command rejects with: `code` to branch on, `message` to show.
 */
export type IpcError = { 
/**
 * One of the core's `Error::code()`s or the shell's own (see
 * `tests/ipc_types.rs`, which lists them all for the UI).
 */
code: IpcErrorCode, message: string, };

/**
 * What the UI needs once the library is open: the notes with their outlines
 * and cards, what loading found wrong, and what indexing did.
 */
export type LibraryOverview = { notes: Array<Note>, warnings: Array<LoadWarning>, indexReport: IndexReport, };

/**
 * Something wrong with a file that loading survived.
 */
export type LoadWarning = { path: string, message: string, };

/**
 * Whether search by meaning is on, and if not, why: the UI shows the reason
 * once, and search goes on by words.
 */
export type MeaningStatus = { "state": "ready" } | { "state": "unavailable", reason: string, };

/**
 * One markdown file of the user's.
 */
export type Note = { 
/**
 * The path relative to its notes folder, with `/` separators.
 */
id: string, title: string, 
/**
 * Set when the text was repaired on load (mojibake or invalid UTF-8).
 */
repair: string | null, outline: Array<OutlineEntry>, cards: Array<Card>, };

/**
 * A heading of a note (a module, or a card's question).
 */
export type OutlineEntry = { id: string, title: string, 
/**
 * 1 for top-level modules; deeper entries count from there.
 */
depth: number, isCard: boolean, 
/**
 * The headings above this one.
 */
trail: Array<string>, };

export type ReadingPosition = { noteId: string, 
/**
 * The card or heading at the top of the view, when there was one.
 */
cardId: string | null, 
/**
 * How far down the note, from 0 (top) to 1 (end).
 */
fraction: number, updatedAt: Timestamp, };

export type SearchHit = { 
/**
 * A card id, a module heading id, or a note id.
 */
id: string, note: string, title: string, trail: Array<string>, 
/**
 * HTML: the text escaped, the matched terms in `<mark>`.
 */
snippet: string, score: number, 
/**
 * Found by what it means, not by its words: the snippet is the passage
 * that matched, with nothing marked.
 */
byMeaning: boolean, };

/**
 * A search as the user typed it, with optional filters.
 */
export type SearchRequest = { query: string, limit: number, 
/**
 * Only hits in this note (its id).
 */
note: string | null, 
/**
 * Only hits under this module (the first heading of a card's trail).
 */
module: string | null, };

export type SearchResults = { query: string, tookUs: number, total: number, hits: Array<SearchHit>, 
/**
 * The words that matched (typo and prefix expansions included), for the
 * reader to mark in the opened section.
 */
terms: Array<string>, 
/**
 * How many of the first hits have every word of the query (filler words
 * aside); the hits after them have only some.
 */
withEveryWord: number, };

/**
 * A moment, to the millisecond, in UTC. Stored as an integer so SQLite can
 * compare and order it; shown as RFC 3339 (`2025-06-01T10:20:30.123Z`) in JSON
 * and as `2025-06-01 10:20:30 UTC` to people.
 */
export type Timestamp = string;

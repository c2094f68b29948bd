// The shapes that cross IPC, mirroring the core's `Serialize` types (camelCase).
// Kept in one file so a change on the Rust side has one place to land here.

export interface OutlineEntry {
  id: string;
  title: string;
  /** 1 for top-level modules; deeper entries count from there. */
  depth: number;
  isCard: boolean;
  trail: string[];
}

export interface Card {
  /** `note-id#slug/slug` */
  id: string;
  note: string;
  /** Module headings above the question, outermost first. */
  trail: string[];
  title: string;
  /** The reference answer as markdown. */
  answer: string;
  empty: boolean;
}

export interface Note {
  id: string;
  title: string;
  /** Set when the text was repaired on load (mojibake, invalid UTF-8). */
  repair: string | null;
  outline: OutlineEntry[];
  cards: Card[];
}

export interface LoadWarning {
  path: string;
  message: string;
}

export interface IndexReport {
  files: number;
  updatedFiles: number;
  removedFiles: number;
  sections: number;
  rebuilt: boolean;
  millis: number;
}

export interface LibraryOverview {
  notes: Note[];
  warnings: LoadWarning[];
  indexReport: IndexReport;
}

export interface IndexProgress {
  done: number;
  total: number;
}

export interface SearchRequest {
  query: string;
  limit: number;
  note: string | null;
  module: string | null;
}

export interface SearchHit {
  id: string;
  note: string;
  title: string;
  trail: string[];
  /** HTML: escaped text with the matched terms in `<mark>`. */
  snippet: string;
  score: number;
}

export interface SearchResults {
  query: string;
  tookUs: number;
  total: number;
  hits: SearchHit[];
}

export interface Bookmark {
  /** The card, heading or note id (the old id while orphaned). */
  id: string;
  note: string;
  title: string;
  label: string | null;
  createdAt: string;
  /** The card is no longer in the notes; the bookmark is kept, not dropped. */
  orphaned: boolean;
}

export interface ReadingPosition {
  noteId: string;
  /** The card or heading at the top of the view, when there was one. */
  cardId: string | null;
  /** How far down the note, from 0 (top) to 1 (end). */
  fraction: number;
  updatedAt: string;
}

// The shapes that cross IPC, generated from the Rust types by
// src-tauri/tests/ipc_types.rs. Do not edit; regenerate with
// REHEARSE_WRITE_TYPES=1 cargo test --release -p rehearse-app --test ipc_types

/** Every command the UI may invoke (src-tauri/src/command_names.rs). */
export type Command =
  | "open_library"
  | "library_folders"
  | "change_folders"
  | "stop_indexing"
  | "render_note"
  | "note_summaries"
  | "note_outline"
  | "load_card"
  | "filter_notes"
  | "search_cards"
  | "search_hybrid"
  | "enable_meaning"
  | "list_bookmarks"
  | "add_bookmark"
  | "remove_bookmark"
  | "save_reading_position"
  | "load_reading_position"
  | "load_draft"
  | "autosave_draft"
  | "draft_history"
  | "load_draft_version"
  | "diff_draft_versions"
  | "reveal_answer"
  | "compare_with_reference"
  | "grade_card"
  | "next_intervals"
  | "list_due"
  | "start_session"
  | "same_question"
  | "load_progress"
  | "search_drafts"
  | "export_drafts";

/** Every event the Rust side emits to the page (src-tauri/src/live.rs). */
export type AppEvent =
  | "library-updated";

/** Every `code` a command can fail with. */
export type IpcErrorCode =
  | "unknown_id"
  | "notes_folder_missing"
  | "io"
  | "index"
  | "database_corrupt"
  | "database"
  | "model"
  | "watch"
  | "invalid_input"
  | "cancelled"
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
 * The reference answer, as markdown: a slice of its note's source.
 */
answer: string, 
/**
 * No answer written yet; kept so it can still be practised.
 */
empty: boolean, };

/**
 * What the store keeps beside the user's data about the card it belongs to, so
 * the data can be re-attached when the card moves.
 */
export type CardRef = { id: string, note: string, title: string, };

/**
 * Where a card stands: the memory state left by its latest review, and when
 * it is due again.
 */
export type CardSchedule = { cardId: string, note: string, title: string, dueAt: Timestamp, lastReviewedAt: Timestamp, lastGrade: Grade, 
/**
 * FSRS stability: days until recall probability falls to 90%.
 */
stability: number, 
/**
 * FSRS difficulty, 1 (easy) to 10 (hard).
 */
difficulty: number, reviews: number, };

export type CardScores = { cardId: string, note: string, title: string, attempts: Array<ScorePoint>, };

/**
 * A question without its answer.
 */
export type CardSummary = { id: string, note: string, 
/**
 * The module headings above the question, outermost first.
 */
trail: Array<string>, title: string, 
/**
 * No answer written yet.
 */
empty: boolean, };

export type Coverage = "covered" | "partly" | "missed";

export type DayCount = { 
/**
 * `2025-06-01`
 */
day: string, count: number, };

export type DiffOp = { tag: DiffTag, text: string, };

/**
 * Read from the answer to the reference.
 */
export type DiffTag = "equal" | "insert" | "delete";

export type Draft = { cardId: string, note: string, 
/**
 * The question the draft answers.
 */
title: string, version: number, 
/**
 * How many versions the history has.
 */
versions: number, text: string, bytes: number, savedAt: Timestamp, orphaned: boolean, };

/**
 * A draft whose latest version has every word of a query.
 */
export type DraftHit = { cardId: string, note: string, 
/**
 * The question the draft answers.
 */
title: string, 
/**
 * The draft's text around its first match, HTML-escaped, the matched
 * words in `<mark>`.
 */
snippet: string, savedAt: Timestamp, };

export type DraftSaved = { cardId: string, 
/**
 * The question the draft answers.
 */
title: string, 
/**
 * The version now holding the text.
 */
version: number, outcome: SaveOutcome, bytes: number, savedAt: Timestamp, };

export type DraftVersion = { version: number, savedAt: Timestamp, bytes: number, kind: SaveKind, 
/**
 * The score (0–100) it got when it was revealed beside its reference.
 */
score: number | null, };

export type ExportReport = { path: string, 
/**
 * Drafts written under their question in the notes.
 */
cards: number, 
/**
 * Drafts whose question is gone, written in a section of their own.
 */
orphans: number, };

/**
 * The notes a sidebar filter keeps, each with the questions that match (all
 * of them when the note's title or a module's title matches).
 */
export type FilteredNotes = { notes: Array<NoteOutline>, 
/**
 * Notes that matched beyond the limit.
 */
more: number, };

/**
 * One change to the saved folders, as the app's settings make it.
 */
export type FolderChange = { "kind": "add", path: string, } | { "kind": "remove", path: string, } | { "kind": "showBundled", show: boolean, };

/**
 * How well the user recalled a card: the four answers of FSRS (and Anki).
 */
export type Grade = "again" | "hard" | "good" | "easy";

export type Idea = { 
/**
 * As plain text.
 */
text: string, kind: IdeaKind, status: Coverage, 
/**
 * The cosine of the idea and `closest`; `None` when judged by key
 * terms alone or the answer is empty.
 */
similarity: number | null, 
/**
 * The share (0 to 1, by weight) of the idea's key terms in the answer.
 */
terms: number, 
/**
 * The part of the answer (a sentence, a clause of one, or two sentences
 * together) that comes closest to the idea in meaning.
 */
closest: string | null, };

export type IdeaKind = "sentence" | "item" | "code" | "row";

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
 * How many note files were read and parsed; the others came unchanged
 * from the catalog of the last start.
 */
filesRead: number, 
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
 * What the ideas were judged by.
 */
export type JudgedBy = "meaning" | "keyTermsOnly";

/**
 * A term that says much about the reference, weighed against the library.
 */
export type KeyTerm = { 
/**
 * As the index has it: a word's stem (`goroutin`) or a code token
 * lowercased (`sync.mutex`).
 */
term: string, 
/**
 * How the reference writes it (`Goroutines`, `goroutine`).
 */
forms: Array<string>, 
/**
 * How the answer writes it; empty when the answer does not have it.
 */
answerForms: Array<string>, 
/**
 * tf·idf in the reference, against the library's sections.
 */
weight: number, covered: boolean, };

/**
 * The folders as the settings show them.
 */
export type LibraryFolders = { 
/**
 * The bundled notes first when they are shown, then the user's folders
 * in the order they were added.
 */
folders: Array<NotesFolder>, showBundled: boolean, 
/**
 * `false` when the folders were named on the command line (`--notes`):
 * they are shown, and changed only by starting without `--notes`.
 */
editable: boolean, };

/**
 * What the UI needs once the library is open: the first page of the notes'
 * summaries (the rest, their outlines, questions and answers are asked for
 * after), what loading found wrong, and what indexing did.
 */
export type LibraryOverview = { notes: NotesPage, warnings: Array<LoadWarning>, indexReport: IndexReport, 
/**
 * The first start's indexing was stopped: the bundled notes are open
 * instead, for this run.
 */
indexingStopped: boolean, };

/**
 * Something wrong with a file that loading survived.
 */
export type LoadWarning = { path: string, message: string, };

/**
 * A key term's place in a text, in UTF-8 bytes.
 */
export type Mark = { start: number, end: number, term: string, };

/**
 * Whether search by meaning is on, and if not, why: the UI shows the reason
 * once, and search goes on by words.
 */
export type MeaningStatus = { "state": "ready" } | { "state": "unavailable", reason: string, };

export type ModuleCoverage = { note: string, noteTitle: string, 
/**
 * `None` for the cards of a note that sit under no module.
 */
module: string | null, 
/**
 * Cards with a non-empty draft.
 */
answered: number, total: number, };

/**
 * The interval, in days, each grade would give a card now.
 */
export type NextIntervals = { again: number, hard: number, good: number, easy: number, };

/**
 * A note's headings and questions, for the sidebar and the reader.
 */
export type NoteOutline = { note: NoteSummary, outline: Array<OutlineEntry>, cards: Array<CardSummary>, };

/**
 * A note as a list shows it: its title and counts, and a few headings to
 * recognise it by.
 */
export type NoteSummary = { id: string, title: string, 
/**
 * Set when the text was repaired on load (mojibake or invalid UTF-8).
 */
repair: string | null, cards: number, 
/**
 * Questions with no answer written yet.
 */
unanswered: number, 
/**
 * Top-level modules.
 */
modules: number, 
/**
 * The first few module titles, or when there are none the first few
 * questions.
 */
headings: Array<string>, };

export type NotesFolder = { path: string, 
/**
 * How many notes of the open library are in it.
 */
notes: number, bundled: boolean, 
/**
 * Saved but not there (a disk not mounted, a folder moved): its notes
 * are left out until it is back.
 */
missing: boolean, 
/**
 * Saved and there, but not read this run: the first start's indexing
 * was stopped, and it is read at the next start.
 */
leftOut: boolean, };

/**
 * A page of the notes' summaries, with what the whole library counts: the
 * window shows the first page at once and asks for the rest while it is
 * looked at.
 */
export type NotesPage = { 
/**
 * Where this page starts in the library's order.
 */
offset: number, notes: Array<NoteSummary>, 
/**
 * Notes in the library.
 */
total: number, 
/**
 * Questions in the library.
 */
cards: number, 
/**
 * Questions with no answer written yet, in the library.
 */
unanswered: number, };

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

export type Progress = { 
/**
 * Each module of each note (a note without modules is one), in the
 * notes' order.
 */
modules: Array<ModuleCoverage>, 
/**
 * One entry per day of the last [`HISTORY_DAYS`], oldest first.
 */
reviewsPerDay: Array<DayCount>, 
/**
 * One entry per day of the next [`FORECAST_DAYS`] from today; today's
 * holds the overdue cards too.
 */
dueForecast: Array<DayCount>, 
/**
 * The cards revealed at least once, with their scores oldest first.
 */
scores: Array<CardScores>, };

export type ReadingPosition = { noteId: string, 
/**
 * The card or heading at the top of the view, when there was one.
 */
cardId: string | null, 
/**
 * How far down the note, from 0 (top) to 1 (end).
 */
fraction: number, updatedAt: Timestamp, };

/**
 * A note that moved: its id before and after.
 */
export type Renamed = { from: string, to: string, };

/**
 * An answer compared with its reference.
 */
export type Reveal = { judgedBy: JudgedBy, 
/**
 * The reference says nothing to compare with (no text, or only
 * images): no ideas, no key terms, no score; the answer stands alone.
 */
referenceEmpty: boolean, 
/**
 * The reference's ideas in reading order.
 */
ideas: Array<Idea>, 
/**
 * The reference's key terms, heaviest first.
 */
keyTerms: Array<KeyTerm>, 
/**
 * Where the key terms are in the reference's markdown (UTF-8 bytes).
 */
referenceMarks: Array<Mark>, 
/**
 * Where the key terms it has are in the answer as given (UTF-8 bytes).
 */
answerMarks: Array<Mark>, 
/**
 * From the answer's plain text to the reference's, word by word.
 */
diff: Array<DiffOp>, 
/**
 * 0 to 100; `None` when the reference is empty.
 */
score: number | null, 
/**
 * One line saying how the score was reached, or why there is none.
 */
explanation: string, };

/**
 * A recorded review and what it scheduled.
 */
export type Review = { cardId: string, grade: Grade, reviewedAt: Timestamp, dueAt: Timestamp, intervalDays: number, stability: number, difficulty: number, 
/**
 * Whether parameters fitted to the user's own reviews were used.
 */
personalParameters: boolean, };

export type SaveKind = "autosave" | "explicit";

export type SaveOutcome = "newVersion" | "coalesced" | "unchanged";

/**
 * A note, or one module of it.
 */
export type Scope = { note: string, 
/**
 * The module heading (a card's outermost heading); `None` for the
 * whole note.
 */
module: string | null, };

export type ScorePoint = { at: Timestamp, 
/**
 * The draft version that was revealed.
 */
version: number, score: number, };

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
byMeaning: boolean, 
/**
 * Sections elsewhere with the same title and text (the same page in
 * another version of a manual), folded into this hit: a screen of
 * results shows distinct answers. Their ids, best first.
 */
copies: Array<string>, };

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

export type SessionPick = "due" | "bookmarked" | "neverAnswered" | "weakest" | "random";

/**
 * What to practise.
 */
export type SessionRequest = { pick: SessionPick, 
/**
 * The notes or modules to practise; empty for every note.
 */
scope: Array<Scope>, 
/**
 * At most this many cards; `None` for every card picked.
 */
limit: number | null, 
/**
 * Seeds the random pick: the same request asks the same cards.
 */
seed: number, };

/**
 * A moment, to the millisecond, in UTC. Stored as an integer so SQLite can
 * compare and order it; shown as RFC 3339 (`2025-06-01T10:20:30.123Z`) in JSON
 * and as `2025-06-01 10:20:30 UTC` to people.
 */
export type Timestamp = string;

/**
 * What an update changed, by note id, and how long it took.
 */
export type UpdateReport = { 
/**
 * Notes whose text changed.
 */
changed: Array<string>, added: Array<string>, removed: Array<string>, 
/**
 * Removed notes whose text came back under another name in the same
 * update (a file renamed or moved), so a view showing one can follow
 * it; both names are in `removed` and `added` too.
 */
renamed: Array<Renamed>, 
/**
 * Note files read and parsed.
 */
filesRead: number, 
/**
 * From the start of [`UpdateJob::run`] to the end of
 * [`Library::apply_update`]: reading, parsing, indexing and swapping in.
 */
millis: number, };

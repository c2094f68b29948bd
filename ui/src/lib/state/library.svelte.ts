// The open library as the UI holds it: opening it (with index progress), a
// summary of every note, the outlines of the notes opened or expanded (asked
// for when shown: at 50,000 notes no list may wait for them all), the
// sidebar's filter, bookmarks, and recently opened notes.

import {
  addBookmark,
  BackendError,
  enableMeaning,
  filterNotes,
  listBookmarks,
  noteOutline,
  noteSummaries,
  openLibrary,
  removeBookmark,
  stopIndexing,
  type Bookmark,
  type FilteredNotes,
  type IndexProgress,
  type LoadWarning,
  type MeaningStatus,
  type NoteOutline,
  type NotesPage,
  type NoteSummary,
} from '../api';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import { Latest } from './latest';
import { readSaved, writeSaved } from './saved';
import { buildTree, moduleKey, remember } from './tree';

/** The most notes the sidebar's filter lists at once. */
const FILTER_LIMIT = 200;
/** Summaries asked for at a time after the first page. */
const PAGE = 5_000;

/** What the whole library counts, as a page of summaries says. */
const totalsOf = (page: NotesPage) => ({ notes: page.total, cards: page.cards, unanswered: page.unanswered });

const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

class LibraryState {
  status = $state<'opening' | 'ready' | 'failed'>('opening');
  progress = $state<IndexProgress | null>(null);
  error = $state<BackendError | null>(null);
  /** The notes' summaries received so far, in the library's order. */
  notes = $state.raw<NoteSummary[]>([]);
  /** What the whole library counts, before every page has arrived. */
  totals = $state.raw({ notes: 0, cards: 0, unanswered: 0 });
  /** Outlines of the notes opened or expanded so far, by note id. */
  outlines = new SvelteMap<string, NoteOutline>();
  /** What the core's filter kept for `filter`; null while the box is empty. */
  filtered = $state.raw<FilteredNotes | null>(null);
  warnings = $state.raw<LoadWarning[]>([]);
  bookmarks = $state.raw<Bookmark[]>([]);
  recent = $state<string[]>(readSaved('recent', [], isIdList));
  /** The sidebar's filter box. */
  filter = $state('');
  /** Sidebar rows the user expanded (notes and modules start collapsed). A
   * set: a plain state object would make a signal for every one of 50,000
   * notes asked about. */
  expanded = new SvelteSet<string>();
  /** A sentence about the last thing that failed outside opening. */
  notice = $state<string | null>(null);
  /** Search by meaning: loading (with sections embedded so far), ready, or
   * unavailable with the reason, which the palette shows once. */
  meaning = $state<MeaningStatus | { state: 'loading'; progress: IndexProgress | null }>({
    state: 'loading',
    progress: null,
  });

  byId = $derived(new Map(this.notes.map((n) => [n.id, n] as const)));
  tree = $derived(buildTree(this.notes, this.outlines));
  visibleTree = $derived(
    this.filtered
      ? buildTree(
          this.filtered.notes.map((o) => o.note),
          new Map(this.filtered.notes.map((o) => [o.note.id, o] as const)),
        )
      : this.tree,
  );
  #filterTurn = new Latest();
  #asked = new Map<string, Promise<NoteOutline | undefined>>();
  /** Counts first pages taken, so that an older load of the rest stops. */
  #pages = 0;
  #rest: Promise<void> = Promise.resolve();

  /** Resolves once every note's summary has arrived. */
  whenComplete(): Promise<void> {
    return this.#rest;
  }
  bookmarked = $derived(new Set(this.bookmarks.map((b) => b.id)));

  async open(): Promise<void> {
    this.status = 'opening';
    this.error = null;
    try {
      // Marks for the window's measurements (tests/e2e/specs/measure.test.mjs).
      performance.mark('library-asked');
      const overview = await openLibrary((p) => (this.progress = p));
      performance.mark('library-received');
      this.#takeFirstPage(overview.notes);
      this.warnings = overview.warnings;
      if (overview.indexingStopped)
        this.notice =
          'Indexing was stopped, so this window shows the bundled notes. Your folders are read at the next start; remove the ones you do not want in Settings.';
      this.status = 'ready';
      this.#rest = this.#loadTheRest(overview.notes);
      void this.loadMeaning();
      await this.refreshBookmarks();
    } catch (thrown) {
      this.error = BackendError.from(thrown);
      this.status = 'failed';
    }
  }

  /** Stops the first start's indexing: the bundled notes open instead. */
  async stopIndexing(): Promise<void> {
    try {
      await stopIndexing();
    } catch (thrown) {
      this.notice = BackendError.from(thrown).message;
    }
  }

  #takeFirstPage(page: NotesPage): void {
    this.#pages += 1;
    this.notes = page.notes;
    this.totals = totalsOf(page);
  }

  /** The summaries after `first`, a page at a time; it ends early once a
   * newer first page than the `pages`-th was taken. */
  async *#pagesAfter(first: NotesPage, pages: number): AsyncGenerator<NoteSummary[]> {
    let have = first.notes.length;
    while (have < first.total) {
      const page = await noteSummaries(have, PAGE);
      if (pages !== this.#pages || page.notes.length === 0) return;
      have += page.notes.length;
      yield page.notes;
    }
  }

  /** Asks for the summaries after the first page while the library is
   * already on screen; a newer first page stops it. */
  async #loadTheRest(first: NotesPage): Promise<void> {
    const pages = this.#pages;
    try {
      for await (const notes of this.#pagesAfter(first, pages)) this.notes = [...this.notes, ...notes];
    } catch (thrown) {
      this.notice = BackendError.from(thrown).message;
      return;
    }
    // Only now is every note known: a recent note not among them is gone.
    if (pages === this.#pages) this.recent = this.recent.filter((id) => this.byId.has(id));
  }

  /** Fetches again what opening fetched, from the library already open,
   * after its notes changed on disk (`changed`: the notes whose text changed,
   * or null when any may have). The lists are swapped once every page is in,
   * so a large library's sidebar does not shrink and grow back. */
  async refresh(changed: readonly string[] | null = null): Promise<void> {
    try {
      const overview = await openLibrary(() => {});
      const pages = ++this.#pages;
      let notes = overview.notes.notes;
      for await (const more of this.#pagesAfter(overview.notes, pages)) notes = notes.concat(more);
      if (pages !== this.#pages) return;
      this.notes = notes;
      this.totals = totalsOf(overview.notes);
      this.warnings = overview.warnings;
      this.recent = this.recent.filter((id) => this.byId.has(id));
      if (changed) for (const id of changed) this.outlines.delete(id);
      else this.outlines.clear();
      // Expanded notes show their questions again at once.
      for (const key of this.expanded) if (this.byId.has(key)) void this.outline(key);
      if (this.filter.trim() !== '') void this.setFilter(this.filter);
      await this.refreshBookmarks();
    } catch (thrown) {
      this.notice = BackendError.from(thrown).message;
    }
  }

  /** Runs in the background after opening: search answers by words until
   * the model is ready. */
  async loadMeaning(): Promise<void> {
    try {
      this.meaning = await enableMeaning((progress) => (this.meaning = { state: 'loading', progress }));
    } catch (thrown) {
      this.meaning = { state: 'unavailable', reason: BackendError.from(thrown).message };
    }
  }

  note(id: string): NoteSummary | undefined {
    return this.byId.get(id);
  }

  /** A note's outline and questions, asked for once and kept. */
  outline(id: string): Promise<NoteOutline | undefined> {
    const known = this.outlines.get(id);
    if (known) return Promise.resolve(known);
    // The reader and the sidebar ask for the same note at the same moment.
    let asked = this.#asked.get(id);
    if (!asked) {
      asked = noteOutline(id).then(
        (outline) => {
          this.outlines.set(id, outline);
          return outline;
        },
        (thrown: unknown) => {
          this.notice = BackendError.from(thrown).message;
          return undefined;
        },
      );
      asked.finally(() => this.#asked.delete(id));
      this.#asked.set(id, asked);
    }
    return asked;
  }

  /** The sidebar's filter box changed: the core filters every note. */
  async setFilter(filter: string): Promise<void> {
    this.filter = filter;
    if (filter.trim() === '') {
      this.filtered = null;
      return;
    }
    const ticket = this.#filterTurn.next();
    try {
      const filtered = await filterNotes(filter, FILTER_LIMIT);
      if (this.#filterTurn.isCurrent(ticket)) this.filtered = filtered;
    } catch (thrown) {
      this.notice = BackendError.from(thrown).message;
    }
  }

  touchRecent(noteId: string): void {
    this.recent = remember(this.recent, noteId);
    writeSaved('recent', this.recent);
  }

  isExpanded(key: string): boolean {
    return this.filter.trim() !== '' || this.expanded.has(key);
  }

  /** Expands the sidebar down to a note and, given one, its card's module. */
  async reveal(noteId: string, cardId?: string): Promise<void> {
    this.expanded.add(noteId);
    const outline = await this.outline(noteId);
    const module = cardId ? outline?.cards.find((c) => c.id === cardId)?.trail[0] : undefined;
    if (module) this.expanded.add(moduleKey(noteId, module));
  }

  toggleExpanded(key: string): void {
    if (this.expanded.delete(key)) return;
    this.expanded.add(key);
    if (this.byId.has(key)) void this.outline(key);
  }

  async toggleBookmark(cardId: string): Promise<void> {
    try {
      if (this.bookmarked.has(cardId)) await removeBookmark(cardId);
      else await addBookmark(cardId);
      await this.refreshBookmarks();
    } catch (thrown) {
      this.notice = BackendError.from(thrown).message;
    }
  }

  async refreshBookmarks(): Promise<void> {
    try {
      this.bookmarks = await listBookmarks();
    } catch (thrown) {
      this.notice = BackendError.from(thrown).message;
    }
  }
}

export const library = new LibraryState();

// The open library as the UI holds it: opening it (with index progress), the
// notes and their sidebar tree, bookmarks, and recently opened notes.

import {
  addBookmark,
  BackendError,
  enableMeaning,
  listBookmarks,
  openLibrary,
  removeBookmark,
  type Bookmark,
  type Card,
  type IndexProgress,
  type LoadWarning,
  type MeaningStatus,
  type Note,
} from '../api';
import { readSaved, writeSaved } from './saved';
import { buildTree, filterTree, moduleKey, remember } from './tree';

const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

class LibraryState {
  status = $state<'opening' | 'ready' | 'failed'>('opening');
  progress = $state<IndexProgress | null>(null);
  error = $state<BackendError | null>(null);
  notes = $state.raw<Note[]>([]);
  warnings = $state.raw<LoadWarning[]>([]);
  bookmarks = $state.raw<Bookmark[]>([]);
  recent = $state<string[]>(readSaved('recent', [], isIdList));
  /** The sidebar's filter box. */
  filter = $state('');
  /** Sidebar rows the user expanded (notes and modules start collapsed). */
  expanded = $state<Record<string, boolean>>({});
  /** A sentence about the last thing that failed outside opening. */
  notice = $state<string | null>(null);
  /** Search by meaning: loading (with sections embedded so far), ready, or
   * unavailable with the reason, which the palette shows once. */
  meaning = $state<MeaningStatus | { state: 'loading'; progress: IndexProgress | null }>({
    state: 'loading',
    progress: null,
  });

  tree = $derived(buildTree(this.notes));
  visibleTree = $derived(filterTree(this.tree, this.filter));
  cards = $derived(new Map<string, Card>(this.notes.flatMap((n) => n.cards.map((c) => [c.id, c] as const))));
  bookmarked = $derived(new Set(this.bookmarks.map((b) => b.id)));

  async open(): Promise<void> {
    this.status = 'opening';
    this.error = null;
    try {
      const overview = await openLibrary((p) => (this.progress = p));
      this.notes = overview.notes;
      this.warnings = overview.warnings;
      this.recent = this.recent.filter((id) => this.note(id));
      this.status = 'ready';
      void this.loadMeaning();
      await this.refreshBookmarks();
    } catch (thrown) {
      this.error = BackendError.from(thrown);
      this.status = 'failed';
    }
  }

  /** Fetches again what opening fetched, from the library already open:
   * after its notes changed on disk. */
  async refresh(): Promise<void> {
    try {
      const overview = await openLibrary(() => {});
      this.notes = overview.notes;
      this.warnings = overview.warnings;
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

  note(id: string): Note | undefined {
    return this.notes.find((n) => n.id === id);
  }

  touchRecent(noteId: string): void {
    this.recent = remember(this.recent, noteId);
    writeSaved('recent', this.recent);
  }

  isExpanded(key: string): boolean {
    return this.filter.trim() !== '' || this.expanded[key] === true;
  }

  /** Expands the sidebar down to a note and, given one, its card's module. */
  reveal(noteId: string, cardId?: string): void {
    this.expanded[noteId] = true;
    const module = cardId ? this.cards.get(cardId)?.trail[0] : undefined;
    if (module) this.expanded[moduleKey(noteId, module)] = true;
  }

  toggleExpanded(key: string): void {
    this.expanded[key] = !this.expanded[key];
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

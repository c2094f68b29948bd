// The reader: which note is open, its rendered HTML, where to land once it is
// on screen (a search hit, a bookmark, or the saved reading position), and the
// question currently at the top of the view.

import {
  BackendError,
  loadReadingPosition,
  renderNote,
  saveReadingPosition,
  type NoteOutline,
  type ReadingPosition,
} from '../api';
import { library } from './library.svelte';

/** A heading or question of a note to open it at, with the words to mark
 * in its section (the matched terms of a search). */
export interface Target {
  id: string;
  terms?: readonly string[];
}

/** Where the reader should scroll after the note is rendered. */
export type Landing =
  | ({ kind: 'card' } & Target)
  | { kind: 'position'; position: ReadingPosition }
  | { kind: 'top' };

/** What the rendered note view offers for keyboard navigation. */
export interface ReaderNavigation {
  step(delta: 1 | -1): void;
  /** Scrolls to a heading or question of the open note. */
  reveal(id: string): void;
}

/** Where a followed link was clicked, to come back to. */
interface Visit {
  noteId: string;
  heading: string | null;
}

class ReaderState {
  noteId = $state<string | null>(null);
  html = $state('');
  /** `gone`: the open note's file was deleted or moved out of the folders. */
  status = $state<'idle' | 'loading' | 'ready' | 'failed' | 'gone'>('idle');
  error = $state<BackendError | null>(null);
  landing = $state.raw<Landing | null>(null);
  /** The question at the top of the view (bookmarks and `b` act on it). */
  currentCard = $state<string | null>(null);
  /** The heading at the top of the view (the outline highlights it). */
  currentHeading = $state<string | null>(null);
  /** How far through the note the view is, 0..1. */
  progress = $state(0);
  navigation: ReaderNavigation | null = null;
  /** The notes left by following links, newest last, for Back. */
  trail = $state.raw<Visit[]>([]);

  /** The open note's headings and questions. */
  note = $state.raw<NoteOutline | undefined>(undefined);

  /** Opens a note at `target`, a heading or question of it, when given;
   * otherwise where the user last left it. */
  async open(noteId: string, target?: Target): Promise<void> {
    library.touchRecent(noteId);
    void library.reveal(noteId, target?.id);
    if (noteId === this.noteId && this.status === 'ready') {
      this.landing = target ? { kind: 'card', ...target } : { kind: 'top' };
      return;
    }
    this.noteId = noteId;
    this.status = 'loading';
    this.error = null;
    this.currentCard = null;
    this.currentHeading = null;
    try {
      const [html, position, outline] = await Promise.all([
        renderNote(noteId),
        target ? Promise.resolve(null) : loadReadingPosition(noteId),
        library.outline(noteId),
      ]);
      if (this.noteId !== noteId) return;
      this.note = outline;
      this.html = html;
      this.landing = target
        ? { kind: 'card', ...target }
        : position
          ? { kind: 'position', position }
          : { kind: 'top' };
      this.status = 'ready';
    } catch (thrown) {
      if (this.noteId !== noteId) return;
      this.error = BackendError.from(thrown);
      this.status = 'failed';
    }
  }

  /** Follows a link to another note (or a heading of this one), so that
   * Back returns to where the link was. */
  async follow(noteId: string, heading: string | null): Promise<void> {
    if (this.noteId) this.trail = [...this.trail, { noteId: this.noteId, heading: this.currentHeading }];
    await this.open(noteId, heading ? { id: heading } : undefined);
  }

  async back(): Promise<void> {
    const visit = this.trail.at(-1);
    if (!visit) return;
    this.trail = this.trail.slice(0, -1);
    await this.open(visit.noteId, visit.heading ? { id: visit.heading } : undefined);
  }

  /** After the notes changed on disk (`changed` null: any may have): the
   * open note is rendered again where the view is, or said to be gone. */
  async refresh(changed: readonly string[] | null): Promise<void> {
    const noteId = this.noteId;
    if (!noteId || this.status === 'loading') return;
    if (!library.note(noteId)) {
      this.status = 'gone';
      this.html = '';
      this.currentCard = null;
      this.currentHeading = null;
      return;
    }
    if (changed && !changed.includes(noteId) && this.status !== 'gone') return;
    try {
      const [html, outline] = await Promise.all([renderNote(noteId), library.outline(noteId)]);
      if (this.noteId !== noteId) return;
      this.note = outline;
      this.html = html;
      this.status = 'ready';
    } catch (thrown) {
      if (this.noteId !== noteId) return;
      this.error = BackendError.from(thrown);
      this.status = 'failed';
    }
  }

  /** The open note's file was renamed or moved to `to`: the reader goes
   * with it, to the same heading, and Back leads to its new name. */
  async moved(from: string, to: string): Promise<void> {
    if (this.noteId !== from) return;
    const rename = (id: string | null) => (id?.startsWith(`${from}#`) ? to + id.slice(from.length) : null);
    const heading = rename(this.currentHeading);
    this.trail = this.trail.map((visit) =>
      visit.noteId === from ? { noteId: to, heading: rename(visit.heading) } : visit,
    );
    await this.open(to, heading ? { id: heading } : undefined);
  }

  close(): void {
    this.trail = [];
    this.noteId = null;
    this.note = undefined;
    this.status = 'idle';
    this.html = '';
    this.currentCard = null;
    this.currentHeading = null;
  }

  async savePosition(card: string | null, fraction: number): Promise<void> {
    if (!this.noteId) return;
    try {
      await saveReadingPosition(this.noteId, card, fraction);
    } catch (thrown) {
      library.notice = BackendError.from(thrown).message;
    }
  }
}

export const reader = new ReaderState();

// The sidebar's tree: notes → modules → questions. Every note has a row;
// its modules and questions are there once its outline has been asked for
// (when it is expanded or opened). Pure, so the tests cover it.

import type { CardSummary, NoteOutline, NoteSummary } from '../api';

export interface ModuleNode {
  /** Unique in the tree; also the key of its collapsed state. */
  key: string;
  /** The module heading's id in the note, to scroll to; null for cards
   * directly under the note. */
  anchor: string | null;
  title: string;
  cards: CardSummary[];
}

export interface NoteNode {
  note: NoteSummary;
  /** Null until the note's outline is known. */
  modules: ModuleNode[] | null;
  cardCount: number;
}

/** Groups each note's cards by their outermost heading (the module). Cards
 * with no heading above them form an unnamed module listed first. */
export function buildTree(notes: readonly NoteSummary[], outlines: ReadonlyMap<string, NoteOutline>): NoteNode[] {
  return notes.map((note) => {
    const outline = outlines.get(note.id);
    return outline
      ? { note, modules: modulesOf(outline), cardCount: outline.cards.length }
      : { note, modules: null, cardCount: note.cards };
  });
}

function modulesOf(outline: NoteOutline): ModuleNode[] {
  const noteId = outline.note.id;
  const byTitle = new Map<string, ModuleNode>();
  for (const card of outline.cards) {
    const title = card.trail[0] ?? '';
    let module = byTitle.get(title);
    if (!module) {
      const anchor = title
        ? (outline.outline.find((e) => e.depth === 1 && !e.isCard && e.title === title)?.id ?? null)
        : null;
      module = { key: moduleKey(noteId, title), anchor, title, cards: [] };
      byTitle.set(title, module);
    }
    module.cards.push(card);
  }
  return [...byTitle.values()].sort((a, b) => Number(a.title !== '') - Number(b.title !== ''));
}

/** The key of a module's row: its note and title. */
export function moduleKey(noteId: string, title: string): string {
  return `${noteId}\u0000${title}`;
}

/** Lowercase without accents, so “cafe” finds “Café”. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Whether a note's title or path has every word of `query` (case and
 * accents ignored); null when the query has no words. */
export function noteMatcher(query: string): ((note: NoteSummary) => boolean) | null {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  return (note) => {
    const text = fold(`${note.title} ${note.id}`);
    return words.every((w) => text.includes(w));
  };
}

/** The distinct modules of a note, for the search palette's filter chips. */
export function moduleTitles(outline: NoteOutline): string[] {
  return [...new Set(outline.cards.map((c) => c.trail[0]).filter((t): t is string => !!t))];
}

/** Most recent first, without duplicates, at most `max` long. */
export function remember(recent: readonly string[], id: string, max = 5): string[] {
  return [id, ...recent.filter((r) => r !== id)].slice(0, max);
}

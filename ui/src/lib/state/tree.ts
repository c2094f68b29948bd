// The sidebar's tree: notes → modules → cards, built from the notes the core
// loaded, and narrowed by the filter box. Pure, so the tests cover it.

import type { Card, Note } from '../api';

export interface ModuleNode {
  /** Unique in the tree; also the key of its collapsed state. */
  key: string;
  /** The module heading's id in the note, to scroll to; null for cards
   * directly under the note. */
  anchor: string | null;
  title: string;
  cards: Card[];
}

export interface NoteNode {
  note: Note;
  modules: ModuleNode[];
  cardCount: number;
}

/** Groups each note's cards by their outermost heading (the module). Cards
 * with no heading above them form an unnamed module listed first. */
export function buildTree(notes: readonly Note[]): NoteNode[] {
  return notes.map((note) => {
    const byTitle = new Map<string, ModuleNode>();
    for (const card of note.cards) {
      const title = card.trail[0] ?? '';
      let module = byTitle.get(title);
      if (!module) {
        const anchor = title
          ? (note.outline.find((e) => e.depth === 1 && !e.isCard && e.title === title)?.id ?? null)
          : null;
        module = { key: moduleKey(note.id, title), anchor, title, cards: [] };
        byTitle.set(title, module);
      }
      module.cards.push(card);
    }
    const modules = [...byTitle.values()].sort((a, b) => Number(a.title !== '') - Number(b.title !== ''));
    return { note, modules, cardCount: note.cards.length };
  });
}

/** The key of a module's row: its note and title. */
export function moduleKey(noteId: string, title: string): string {
  return `${noteId}\u0000${title}`;
}

/** Lowercase without accents, so “cafe” finds “Café”. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Keeps what matches every word of `query`: a whole note when its title
 * matches, a whole module when its title does, otherwise the matching cards. */
export function filterTree(tree: readonly NoteNode[], query: string): NoteNode[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...tree];
  const matches = (text: string) => {
    const folded = fold(text);
    return words.every((w) => folded.includes(w));
  };
  const kept: NoteNode[] = [];
  for (const node of tree) {
    if (matches(node.note.title)) {
      kept.push(node);
      continue;
    }
    const modules: ModuleNode[] = [];
    for (const module of node.modules) {
      if (module.title && matches(module.title)) {
        modules.push(module);
        continue;
      }
      const cards = module.cards.filter((c) => matches(`${c.title} ${module.title}`));
      if (cards.length) modules.push({ ...module, cards });
    }
    if (modules.length) {
      const cardCount = modules.reduce((n, m) => n + m.cards.length, 0);
      kept.push({ note: node.note, modules, cardCount });
    }
  }
  return kept;
}

/** The distinct modules of a note, for the search palette's filter chips. */
export function modulesOf(note: Note): string[] {
  return [...new Set(note.cards.map((c) => c.trail[0]).filter((t): t is string => !!t))];
}

/** Most recent first, without duplicates, at most `max` long. */
export function remember(recent: readonly string[], id: string, max = 5): string[] {
  return [id, ...recent.filter((r) => r !== id)].slice(0, max);
}

import { describe, expect, it } from 'vitest';
import type { CardSummary, NoteOutline, NoteSummary } from '../api';
import { buildTree, fold, moduleTitles, noteMatcher, remember } from './tree';

function card(note: string, trail: string[], title: string): CardSummary {
  return { id: `${note}#${title.toLowerCase()}`, note, trail, title, empty: false };
}

function summary(id: string, title: string, cards: number): NoteSummary {
  return { id, title, repair: null, cards, unanswered: 0, modules: 0, headings: [] };
}

const golang: NoteOutline = {
  note: summary('golang.md', 'Golang Deltas', 3),
  outline: [
    { id: 'golang.md#module-1', title: 'Module 1: Golang', depth: 1, isCard: false, trail: [] },
    { id: 'golang.md#module-2', title: 'Module 2: AWS', depth: 1, isCard: false, trail: [] },
  ],
  cards: [
    card('golang.md', ['Module 1: Golang'], 'Goroutine vs Thread'),
    card('golang.md', ['Module 1: Golang'], 'Channels'),
    card('golang.md', ['Module 2: AWS'], 'What is Lambda?'),
  ],
};
const concurrency: NoteOutline = {
  note: summary('concurrency.md', 'Concurrency in Go', 2),
  outline: [],
  cards: [card('concurrency.md', [], 'Advantages of Goroutines'), card('concurrency.md', [], 'Closures')],
};
const outlines = new Map([golang, concurrency].map((o) => [o.note.id, o] as const));

describe('buildTree', () => {
  it('groups cards under their module heading and links the heading to scroll to', () => {
    const [node] = buildTree([golang.note], outlines);
    expect(node!.modules!.map((m) => [m.title, m.anchor, m.cards.length])).toEqual([
      ['Module 1: Golang', 'golang.md#module-1', 2],
      ['Module 2: AWS', 'golang.md#module-2', 1],
    ]);
    expect(node!.cardCount).toBe(3);
  });

  it('puts cards with no heading above them in one unnamed module', () => {
    const [node] = buildTree([concurrency.note], outlines);
    expect(node!.modules).toHaveLength(1);
    expect(node!.modules![0]!.title).toBe('');
    expect(node!.modules![0]!.anchor).toBeNull();
  });

  it('shows a note whose outline was not asked for yet with its count and no modules', () => {
    const [node] = buildTree([summary('big.md', 'Big', 40)], outlines);
    expect(node!.modules).toBeNull();
    expect(node!.cardCount).toBe(40);
  });
});

describe('fold', () => {
  it('ignores accents and case', () => {
    expect(fold('Café Déjà')).toBe('cafe deja');
  });
});

describe('noteMatcher', () => {
  it('finds a note by every word of its title or path, ignoring case and accents', () => {
    const matches = noteMatcher('GOLANG delt')!;
    expect(matches(golang.note)).toBe(true);
    expect(matches(concurrency.note)).toBe(false);
    expect(noteMatcher('concurrency.md')!(concurrency.note)).toBe(true);
    expect(noteMatcher('  ')).toBeNull();
  });
});

describe('moduleTitles', () => {
  it('lists each module once in note order', () => {
    expect(moduleTitles(golang)).toEqual(['Module 1: Golang', 'Module 2: AWS']);
    expect(moduleTitles(concurrency)).toEqual([]);
  });
});

describe('remember', () => {
  it('moves a reopened note to the front without duplicating it', () => {
    expect(remember(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
  });

  it('forgets the oldest beyond the limit', () => {
    expect(remember(['a', 'b', 'c'], 'd', 3)).toEqual(['d', 'a', 'b']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Card, Note } from '../api';
import { buildTree, filterTree, fold, modulesOf, remember } from './tree';

function card(note: string, trail: string[], title: string): Card {
  return { id: `${note}#${title.toLowerCase()}`, note, trail, title, answer: '', empty: false };
}

const golang: Note = {
  id: 'golang.md',
  title: 'Golang Deltas',
  repair: null,
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
const concurrency: Note = {
  id: 'concurrency.md',
  title: 'Concurrency in Go',
  repair: null,
  outline: [],
  cards: [card('concurrency.md', [], 'Advantages of Goroutines'), card('concurrency.md', [], 'Closures')],
};

describe('buildTree', () => {
  it('groups cards under their module heading and links the heading to scroll to', () => {
    const [node] = buildTree([golang]);
    expect(node!.modules.map((m) => [m.title, m.anchor, m.cards.length])).toEqual([
      ['Module 1: Golang', 'golang.md#module-1', 2],
      ['Module 2: AWS', 'golang.md#module-2', 1],
    ]);
    expect(node!.cardCount).toBe(3);
  });

  it('puts cards with no heading above them in one unnamed module', () => {
    const [node] = buildTree([concurrency]);
    expect(node!.modules).toHaveLength(1);
    expect(node!.modules[0]!.title).toBe('');
    expect(node!.modules[0]!.anchor).toBeNull();
  });
});

describe('filterTree', () => {
  const tree = buildTree([golang, concurrency]);

  it('keeps only matching cards, across notes, ignoring case', () => {
    const kept = filterTree(tree, 'GOROUTINE');
    expect(kept.flatMap((n) => n.modules.flatMap((m) => m.cards.map((c) => c.title)))).toEqual([
      'Goroutine vs Thread',
      'Advantages of Goroutines',
    ]);
    expect(kept[0]!.cardCount).toBe(1);
  });

  it('keeps a whole module when its title matches', () => {
    const [node] = filterTree(tree, 'aws');
    expect(node!.modules.map((m) => m.title)).toEqual(['Module 2: AWS']);
    expect(node!.modules[0]!.cards).toHaveLength(1);
  });

  it('requires every word, in any order', () => {
    expect(filterTree(tree, 'thread goroutine')).toHaveLength(1);
    expect(filterTree(tree, 'thread lambda')).toHaveLength(0);
  });

  it('returns the whole tree for an empty filter', () => {
    expect(filterTree(tree, '  ')).toHaveLength(2);
  });
});

describe('fold', () => {
  it('ignores accents and case', () => {
    expect(fold('Café Déjà')).toBe('cafe deja');
  });
});

describe('modulesOf', () => {
  it('lists each module once in note order', () => {
    expect(modulesOf(golang)).toEqual(['Module 1: Golang', 'Module 2: AWS']);
    expect(modulesOf(concurrency)).toEqual([]);
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

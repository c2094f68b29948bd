import { describe, expect, it } from 'vitest';
import { markedTerms, queryWords, termPattern } from './terms';

describe('markedTerms', () => {
  it('takes the words the core marked, which resolve typos the user made', () => {
    const snippet = 'A <mark>Goroutine</mark> is lighter than a thread; <mark>goroutines</mark> are cheap';
    expect(markedTerms(snippet)).toEqual(['goroutines', 'goroutine']);
  });

  it('decodes entities so the marked text matches the page text', () => {
    expect(markedTerms('use <mark>a &amp; b</mark>')).toEqual(['a & b']);
  });

  it('returns nothing when nothing is marked', () => {
    expect(markedTerms('plain text')).toEqual([]);
  });
});

describe('queryWords', () => {
  it('drops excluded words, quotes and one-letter words', () => {
    expect(queryWords('"wait group" -docker a sync.WaitGroup')).toEqual(['wait', 'group', 'sync.waitgroup']);
  });
});

describe('termPattern', () => {
  it('matches terms literally, including dots, in any case', () => {
    const pattern = termPattern(['sync.waitgroup'])!;
    expect('use sync.WaitGroup here'.match(pattern)).toEqual(['sync.WaitGroup']);
    expect('syncXWaitGroup'.match(pattern)).toBeNull();
  });

  it('is null when there is nothing to mark', () => {
    expect(termPattern([])).toBeNull();
  });
});

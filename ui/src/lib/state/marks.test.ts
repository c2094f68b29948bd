import { describe, expect, it } from 'vitest';
import { segments } from './marks';

describe('segments', () => {
  it('marks the key terms at the byte offsets the core gives', () => {
    const text = 'Goroutines are cheap';
    expect(segments(text, [{ start: 0, end: 10, term: 'goroutin' }])).toEqual([
      { text: 'Goroutines', term: 'goroutin' },
      { text: ' are cheap', term: null },
    ]);
  });

  it('counts bytes, not characters, after accents and emoji', () => {
    // "é" is two bytes and "🧩" four: the mark on "mutex" starts at byte 9.
    const text = 'é 🧩 a mutex';
    const start = new TextEncoder().encode('é 🧩 a ').length;
    const parts = segments(text, [{ start, end: start + 5, term: 'mutex' }]);
    expect(parts.find((p) => p.term)?.text).toBe('mutex');
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });

  it('leaves out marks that overlap an earlier one or split a character', () => {
    const text = 'sync.Mutex locks';
    const parts = segments(text, [
      { start: 0, end: 10, term: 'sync.mutex' },
      { start: 5, end: 10, term: 'mutex' },
    ]);
    expect(parts.filter((p) => p.term).map((p) => p.term)).toEqual(['sync.mutex']);
    expect(segments('é', [{ start: 1, end: 2, term: 'x' }])).toEqual([{ text: 'é', term: null }]);
  });
});

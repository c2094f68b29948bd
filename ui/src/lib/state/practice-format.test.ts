import { describe, expect, it } from 'vitest';
import { formatInterval, minutesSeconds, scoreBand, wordCount } from './practice-format';

describe('formatInterval', () => {
  it('says minutes for a card that comes back today and days for the next ones', () => {
    expect(formatInterval(1 / 144)).toBe('10 min');
    expect(formatInterval(0.25)).toBe('6 h');
    expect(formatInterval(1)).toBe('1 day');
    expect(formatInterval(2)).toBe('2 days');
    expect(formatInterval(90)).toBe('3 mo');
    expect(formatInterval(547.5)).toBe('1.5 y');
  });
});

describe('wordCount', () => {
  it('counts words and code tokens, not punctuation or markdown', () => {
    expect(wordCount('')).toBe(0);
    expect(wordCount('Goroutines are cheap — use sync.WaitGroup!')).toBe(5);
    expect(wordCount('- one\n- two\n```go\nwg.Add(1)\n```')).toBe(5);
  });
});

describe('minutesSeconds', () => {
  it('reads like a countdown and stops at zero', () => {
    expect(minutesSeconds(125)).toBe('2:05');
    expect(minutesSeconds(-3)).toBe('0:00');
  });
});

describe('scoreBand', () => {
  it('puts scores into three bands', () => {
    expect([scoreBand(85), scoreBand(50), scoreBand(10)]).toEqual(['strong', 'partial', 'weak']);
  });
});

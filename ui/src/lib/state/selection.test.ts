import { describe, expect, it } from 'vitest';
import { keepSelection } from './selection';

const hits = (...ids: string[]) => ids.map((id) => ({ id }));

describe('keepSelection', () => {
  it('keeps the same result selected when hits found by meaning are fused in above it', () => {
    expect(keepSelection(hits('a', 'b', 'c'), 1, hits('m', 'a', 'b', 'c'))).toBe(2);
  });

  it('keeps the position when the selected result is no longer in the list', () => {
    expect(keepSelection(hits('a', 'b', 'c'), 2, hits('x', 'y', 'z', 'w'))).toBe(2);
  });

  it('selects the last row when the list became shorter than the old position', () => {
    expect(keepSelection(hits('a', 'b', 'c'), 2, hits('x'))).toBe(0);
  });

  it('selects nothing when there are no results', () => {
    expect(keepSelection(hits('a'), 0, [])).toBe(-1);
  });

  it('selects the first row when nothing was selected before', () => {
    expect(keepSelection([], -1, hits('a', 'b'))).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { Latest } from './latest';

describe('Latest', () => {
  it('drops the answer to an older keystroke that arrives after a newer one', () => {
    const latest = new Latest();
    const first = latest.next();
    const second = latest.next();
    expect(latest.isCurrent(second)).toBe(true);
    expect(latest.isCurrent(first)).toBe(false);
  });
});

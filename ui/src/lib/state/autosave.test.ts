import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver, type SaveState } from './autosave';

describe('Autosaver', () => {
  let written: string[];
  let states: SaveState[];
  let saver: Autosaver;

  beforeEach(() => {
    vi.useFakeTimers();
    written = [];
    states = [];
    saver = new Autosaver(
      async (text) => void written.push(text),
      (state) => states.push(state),
      400,
    );
  });
  afterEach(() => vi.useRealTimers());

  it('saves once when typing pauses, with the last text typed', async () => {
    saver.change('G');
    saver.change('Go');
    await vi.advanceTimersByTimeAsync(300);
    saver.change('Gor');
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(400);
    expect(written).toEqual(['Gor']);
    expect(states).toEqual(['saving', 'saved']);
  });

  it('flush saves the last keystrokes at once', async () => {
    saver.change('typed just now');
    await saver.flush();
    expect(written).toEqual(['typed just now']);
    expect(saver.dirty).toBe(false);
  });

  it('keeps the text after a failed save and writes it on the next try', async () => {
    let fail = true;
    const tries: string[] = [];
    const failing = new Autosaver(
      async (text) => {
        tries.push(text);
        if (fail) throw new Error('disk full');
      },
      (state) => states.push(state),
    );
    failing.change('my answer');
    await failing.flush();
    expect(states.at(-1)).toBe('failed');
    expect(failing.dirty).toBe(true);
    fail = false;
    await failing.flush();
    expect(tries).toEqual(['my answer', 'my answer']);
    expect(states.at(-1)).toBe('saved');
  });
});

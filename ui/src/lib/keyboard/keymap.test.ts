import { describe, expect, it } from 'vitest';
import { actionFor, moveSelection, SHORTCUTS, type KeyPress } from './keymap';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});
const reading = { typing: false, overlay: false };
const typing = { typing: true, overlay: false };
const inOverlay = { typing: false, overlay: true };

describe('actionFor', () => {
  it('opens search with Ctrl+K even while typing in a field', () => {
    expect(actionFor(press('k', { ctrlKey: true }), typing)).toBe('open-search');
    expect(actionFor(press('K', { metaKey: true }), reading)).toBe('open-search');
  });

  it('opens search with slash only outside text fields, where slash is a character', () => {
    expect(actionFor(press('/'), reading)).toBe('open-search');
    expect(actionFor(press('/'), typing)).toBeNull();
  });

  it('treats letters typed into a field as text, not as j/k/b shortcuts', () => {
    for (const key of ['j', 'k', 'b', 't', '?']) {
      expect(actionFor(press(key), typing)).toBeNull();
    }
  });

  it('moves between questions with j and k while reading', () => {
    expect(actionFor(press('j'), reading)).toBe('next-card');
    expect(actionFor(press('k'), reading)).toBe('previous-card');
  });

  it('closes an overlay with Escape and ignores Escape when nothing is open', () => {
    expect(actionFor(press('Escape'), inOverlay)).toBe('close');
    expect(actionFor(press('Escape'), reading)).toBeNull();
  });

  it('does not move the reader behind an open overlay', () => {
    expect(actionFor(press('j'), inOverlay)).toBeNull();
    expect(actionFor(press('?'), inOverlay)).toBe('toggle-help');
  });

  it('leaves browser and system chords such as Ctrl+J alone', () => {
    expect(actionFor(press('j', { ctrlKey: true }), reading)).toBeNull();
    expect(actionFor(press('b', { altKey: true }), reading)).toBeNull();
  });

  it('has every action of the help table reachable from some key', () => {
    const reachable = new Set(
      ['/', 'Escape', 'j', 'k', 'b', 'g', 't', '+', '-', '0', '?'].map(
        (key) => actionFor(press(key), key === 'Escape' ? inOverlay : reading),
      ),
    );
    for (const shortcut of SHORTCUTS) expect(reachable).toContain(shortcut.action);
  });
});

describe('moveSelection', () => {
  it('wraps from the last result to the first and back', () => {
    expect(moveSelection(2, 1, 3)).toBe(0);
    expect(moveSelection(0, -1, 3)).toBe(2);
  });

  it('enters the list from nothing selected at the end the arrow points to', () => {
    expect(moveSelection(-1, 1, 4)).toBe(0);
    expect(moveSelection(-1, -1, 4)).toBe(3);
  });

  it('selects nothing in an empty list', () => {
    expect(moveSelection(0, 1, 0)).toBe(-1);
  });
});

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
const practising = { typing: false, overlay: false, practising: true, revealed: false };
const revealed = { ...practising, revealed: true };

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
      ['/', 'Escape', 'j', 'k', 'b', 'g', 't', '+', '-', '0', '?', 'p'].map(
        (key) => actionFor(press(key), key === 'Escape' ? inOverlay : reading),
      ),
    );
    reachable.add(actionFor(press('Enter', { ctrlKey: true }), practising));
    reachable.add(actionFor(press('1'), revealed));
    for (const shortcut of SHORTCUTS) expect(reachable).toContain(shortcut.action);
  });

  it('reveals with Ctrl+Enter while writing the answer, and only while practising', () => {
    expect(actionFor(press('Enter', { ctrlKey: true }), { ...practising, typing: true })).toBe('reveal');
    expect(actionFor(press('Enter', { ctrlKey: true }), reading)).toBeNull();
  });

  it('grades with 1 to 4 only after the reveal and never while typing', () => {
    expect(['1', '2', '3', '4'].map((key) => actionFor(press(key), revealed))).toEqual([
      'grade-again',
      'grade-hard',
      'grade-good',
      'grade-easy',
    ]);
    expect(actionFor(press('3'), practising)).toBeNull();
    expect(actionFor(press('3'), { ...revealed, typing: true })).toBeNull();
    expect(actionFor(press('0'), revealed)).toBe('font-reset');
  });

  it('leaves practice with Escape, also from inside the editor, unless a dialog is open', () => {
    expect(actionFor(press('Escape'), { ...practising, typing: true })).toBe('leave-practice');
    expect(actionFor(press('Escape'), { ...practising, overlay: true })).toBe('close');
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

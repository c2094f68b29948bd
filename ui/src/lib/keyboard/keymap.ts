// Every keyboard shortcut of the app in one table: `actionFor` turns a key
// press into an action given what is open, and the help overlay lists the same
// table, so the two cannot drift apart.

export type Action =
  | 'open-search'
  | 'close'
  | 'next-card'
  | 'previous-card'
  | 'toggle-bookmark'
  | 'toggle-help'
  | 'toggle-theme'
  | 'font-bigger'
  | 'font-smaller'
  | 'font-reset'
  | 'go-library'
  | 'practise'
  | 'reveal'
  | 'grade-again'
  | 'grade-hard'
  | 'grade-good'
  | 'grade-easy'
  | 'leave-practice';

/** The parts of a KeyboardEvent that decide the action. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export interface KeyContext {
  /** Focus is in a text field: plain letters are typing, not shortcuts. */
  typing: boolean;
  /** The search palette, the help or a dialog is open. */
  overlay: boolean;
  /** A card is being practised. */
  practising?: boolean;
  /** Its answer is revealed beside the reference, ready to grade. */
  revealed?: boolean;
}

export interface Shortcut {
  keys: string[];
  action: Action;
  description: string;
  /** Works while typing in a field (otherwise only outside fields). */
  global?: boolean;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Ctrl+K', '/'], action: 'open-search', description: 'Search all notes', global: true },
  { keys: ['Esc'], action: 'close', description: 'Close search or this help; leave practice', global: true },
  { keys: ['j'], action: 'next-card', description: 'Next question' },
  { keys: ['k'], action: 'previous-card', description: 'Previous question' },
  { keys: ['b'], action: 'toggle-bookmark', description: 'Bookmark the current question' },
  { keys: ['g'], action: 'go-library', description: 'Back to the library' },
  { keys: ['p'], action: 'practise', description: 'Practise the current question' },
  { keys: ['Ctrl+Enter'], action: 'reveal', description: 'Reveal the reference beside your answer', global: true },
  { keys: ['1–4'], action: 'grade-again', description: 'After the reveal: Again, Hard, Good, Easy' },
  { keys: ['t'], action: 'toggle-theme', description: 'Switch light / dark theme' },
  { keys: ['+'], action: 'font-bigger', description: 'Larger text' },
  { keys: ['-'], action: 'font-smaller', description: 'Smaller text' },
  { keys: ['0'], action: 'font-reset', description: 'Default text size' },
  { keys: ['?'], action: 'toggle-help', description: 'Show or hide this help' },
];

/** Keys of the search palette, handled by the palette itself. */
export const PALETTE_KEYS: readonly { keys: string[]; description: string }[] = [
  { keys: ['↑', '↓'], description: 'Move through the results' },
  { keys: ['Enter'], description: 'Open the result in the reader' },
  { keys: ['Tab'], description: 'Move to the note and module filters' },
];

const PLAIN: Record<string, Action> = {
  '/': 'open-search',
  j: 'next-card',
  k: 'previous-card',
  b: 'toggle-bookmark',
  g: 'go-library',
  t: 'toggle-theme',
  '+': 'font-bigger',
  '=': 'font-bigger',
  '-': 'font-smaller',
  '0': 'font-reset',
  '?': 'toggle-help',
  p: 'practise',
};

const GRADES: Record<string, Action> = {
  '1': 'grade-again',
  '2': 'grade-hard',
  '3': 'grade-good',
  '4': 'grade-easy',
};

export function actionFor(press: KeyPress, context: KeyContext): Action | null {
  const command = press.ctrlKey || press.metaKey;
  if (command && !press.altKey && press.key.toLowerCase() === 'k') return 'open-search';
  if (press.key === 'Escape') return context.overlay ? 'close' : context.practising ? 'leave-practice' : null;
  if (command && !press.altKey && press.key === 'Enter') return context.practising && !context.overlay ? 'reveal' : null;
  if (command || press.altKey || context.typing) return null;
  // Digits grade only once the answer is revealed; before, they belong to
  // the answer (and 0 keeps resetting the text size).
  if (context.practising && context.revealed && !context.overlay && GRADES[press.key]) return GRADES[press.key]!;
  const action = PLAIN[press.key] ?? null;
  // Behind an overlay only its own toggle and a fresh search make sense.
  if (context.overlay && action !== 'toggle-help' && action !== 'open-search') return null;
  return action;
}

/** Wraps around the ends, so ↓ on the last result goes to the first. */
export function moveSelection(current: number, delta: number, length: number): number {
  if (length === 0) return -1;
  if (current < 0) return delta > 0 ? 0 : length - 1;
  return (((current + delta) % length) + length) % length;
}

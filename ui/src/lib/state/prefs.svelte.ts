// Theme (following the OS unless the user picked one) and reader text size.

import { readSaved, writeSaved } from './saved';

export type ThemeChoice = 'system' | 'light' | 'dark';

export const FONT_SIZES = { min: 14, max: 26, initial: 18 } as const;

const isTheme = (v: unknown): v is ThemeChoice => v === 'system' || v === 'light' || v === 'dark';
const isSize = (v: unknown): v is number =>
  typeof v === 'number' && v >= FONT_SIZES.min && v <= FONT_SIZES.max;

class Prefs {
  theme = $state<ThemeChoice>(readSaved('theme', 'system', isTheme));
  fontSize = $state<number>(readSaved('fontSize', FONT_SIZES.initial, isSize));
  #systemDark = $state(false);

  resolvedTheme = $derived<'light' | 'dark'>(
    this.theme === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.theme,
  );

  /** Follows the OS setting; call once at start. */
  watchSystem(): void {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    this.#systemDark = query.matches;
    query.addEventListener('change', (e) => (this.#systemDark = e.matches));
  }

  setTheme(theme: ThemeChoice): void {
    this.theme = theme;
    writeSaved('theme', theme);
  }

  toggleTheme(): void {
    this.setTheme(this.resolvedTheme === 'dark' ? 'light' : 'dark');
  }

  setFontSize(size: number): void {
    this.fontSize = Math.min(FONT_SIZES.max, Math.max(FONT_SIZES.min, size));
    writeSaved('fontSize', this.fontSize);
  }
}

export const prefs = new Prefs();

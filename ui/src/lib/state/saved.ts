// The UI's own preferences (theme, text size, recent notes) in web storage.
// The shell gives each data dir its own web storage, so these follow
// `--data-dir` like the rest of the user's data; reading positions and
// bookmarks are the user's data proper and live in the core's store.

export function readSaved<T>(key: string, fallback: T, valid: (value: unknown) => value is T): T {
  try {
    const raw = localStorage.getItem(`rehearse.${key}`);
    if (raw === null) return fallback;
    const value: unknown = JSON.parse(raw);
    return valid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

export function writeSaved(key: string, value: unknown): void {
  try {
    localStorage.setItem(`rehearse.${key}`, JSON.stringify(value));
  } catch {
    // Storage full or disabled: a preference not kept is not worth an error.
  }
}

// Saving the editor's text on a pause in typing: one save per pause, never
// two at once, the newest text always the last one written, and a flush for
// leaving or revealing, which must not lose the last keystrokes.

export type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

export class Autosaver {
  #pending: string | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | null = null;

  constructor(
    private readonly write: (text: string) => Promise<void>,
    private readonly onstate: (state: SaveState, error?: unknown) => void,
    /** Under half a second, so a pause is saved before it is over. */
    private readonly pauseMs = 400,
  ) {}

  /** The text changed: it is saved once typing pauses. */
  change(text: string): void {
    this.#pending = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.flush(), this.pauseMs);
  }

  /** Saves what is pending now and resolves once everything typed is saved. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#running) await this.#running;
    const text = this.#pending;
    if (text === null) return;
    this.#pending = null;
    this.onstate('saving');
    this.#running = this.write(text).then(
      () => this.onstate(this.#pending === null ? 'saved' : 'saving'),
      (error: unknown) => {
        // Kept for the next try, so a failed save loses nothing.
        this.#pending ??= text;
        this.onstate('failed', error);
      },
    );
    try {
      await this.#running;
    } finally {
      this.#running = null;
    }
  }

  /** Whether typing has not been saved yet. */
  get dirty(): boolean {
    return this.#pending !== null || this.#running !== null;
  }
}

// Keeps only the answer to the newest question: search runs on every
// keystroke, and an older, slower answer must not overwrite a newer one.

export class Latest {
  #issued = 0;

  /** A ticket for a request about to be sent. */
  next(): number {
    this.#issued += 1;
    return this.#issued;
  }

  /** Whether the answer to `ticket` is still wanted. */
  isCurrent(ticket: number): boolean {
    return ticket === this.#issued;
  }
}

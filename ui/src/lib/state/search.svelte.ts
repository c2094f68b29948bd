// The search palette's state: the query and its note/module filters, the
// latest results (an older answer never overwrites a newer one), the user's
// own answers that match, the selected row, and how long the last keystroke
// took to show its results. Every keystroke searches by words; when typing
// pauses, the results are asked again with meaning fused in.

import {
  BackendError,
  searchCards,
  searchDrafts,
  searchHybrid,
  type DraftHit,
  type SearchRequest,
  type SearchResults,
} from '../api';
import { moveSelection } from '../keyboard/keymap';
import { Latest } from './latest';
import { library } from './library.svelte';
import { keepSelection } from './selection';

/** Enough to scroll through; more would only cost time on every keystroke. */
const LIMIT = 20;
/** The user's own answers shown below the notes' results. */
const DRAFT_LIMIT = 5;
/** How long typing must pause before meaning is asked: embedding the query
 * takes ~15 ms, too much to add to every keystroke. */
const PAUSE_MS = 150;

class SearchState {
  open = $state(false);
  query = $state('');
  note = $state<string | null>(null);
  module = $state<string | null>(null);
  results = $state.raw<SearchResults | null>(null);
  /** The user's answers with every word of the query, below the results;
   * a row number past the results selects one of them. */
  drafts = $state.raw<DraftHit[]>([]);
  selected = $state(-1);
  error = $state<string | null>(null);
  /** From the input event to results in hand, in ms (the palette adds the
   * time to paint them). */
  latency = $state<number | null>(null);
  #latest = new Latest();
  #pause: ReturnType<typeof setTimeout> | undefined;

  show(): void {
    this.open = true;
  }

  hide(): void {
    this.open = false;
  }

  filterByNote(note: string | null): void {
    this.note = note;
    this.module = null;
    void this.run();
  }

  filterByModule(module: string | null): void {
    this.module = module;
    void this.run();
  }

  /** Runs the current query; resolves once its results (if still the newest)
   * are in place. */
  async run(startedAt = performance.now()): Promise<void> {
    const ticket = this.#latest.next();
    clearTimeout(this.#pause);
    if (this.query.trim() === '') {
      this.results = null;
      this.drafts = [];
      this.selected = -1;
      this.error = null;
      return;
    }
    const request = this.#request();
    try {
      // Answers are the user's own, in no note: a note filter leaves them out.
      const [results, drafts] = await Promise.all([
        searchCards(request),
        request.note ? Promise.resolve([]) : searchDrafts(request.query, DRAFT_LIMIT),
      ]);
      if (!this.#latest.isCurrent(ticket)) return;
      this.results = results;
      this.drafts = drafts;
      this.selected = results.hits.length + drafts.length ? 0 : -1;
      this.error = null;
      this.latency = performance.now() - startedAt;
    } catch (thrown) {
      if (!this.#latest.isCurrent(ticket)) return;
      this.error = BackendError.from(thrown).message;
      return;
    }
    if (library.meaning.state === 'ready') {
      this.#pause = setTimeout(() => void this.#fuseMeaning(ticket, request), PAUSE_MS);
    }
  }

  /** The same search with meaning fused in, unless the user typed on. */
  async #fuseMeaning(ticket: number, request: SearchRequest): Promise<void> {
    try {
      const results = await searchHybrid(request);
      if (!this.#latest.isCurrent(ticket)) return;
      const before = this.results?.hits ?? [];
      // A selected answer stays selected, at its new row.
      this.selected =
        this.selected >= before.length
          ? this.selected - before.length + results.hits.length
          : keepSelection(before, this.selected, results.hits);
      this.results = results;
    } catch {
      // The results by words stay; a failed fusion is not worth a message.
    }
  }

  #request(): SearchRequest {
    return { query: this.query, limit: LIMIT, note: this.note, module: this.module };
  }

  move(delta: number): void {
    this.selected = moveSelection(this.selected, delta, (this.results?.hits.length ?? 0) + this.drafts.length);
  }
}

export const search = new SearchState();

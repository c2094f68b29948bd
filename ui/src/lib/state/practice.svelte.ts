// Practising: the card being answered (alone, in a session or in a mock
// interview), its draft and autosave, the reveal beside each reference, the
// grade and what each grade would schedule, the due count in the sidebar,
// and the summary a mock interview ends with.

import {
  autosaveDraft,
  BackendError,
  compareWithReference,
  gradeCard,
  listDue,
  loadCard,
  loadDraft,
  nextIntervals,
  revealAnswer,
  sameQuestion,
  startSession,
  type Card,
  type CardRef,
  type CardSchedule,
  type Grade,
  type NextIntervals,
  type Reveal,
  type SessionRequest,
} from '../api';
import { Autosaver, type SaveState } from './autosave';
import { library } from './library.svelte';

export interface Session {
  /** What the session practises: "Due now", "Bookmarked", "Mock interview". */
  label: string;
  cards: string[];
  index: number;
  /** Set for a mock interview: the time for each card, and no reveal until the end. */
  mock: { secondsPerCard: number } | null;
}

/** One answer of a mock interview, revealed once the interview is over. */
export interface MockResult {
  id: string;
  title: string;
  answer: string;
  seconds: number;
  reveal: Reveal | null;
  error: string | null;
}

export type Phase = 'loading' | 'writing' | 'revealing' | 'revealed' | 'grading';

class PracticeState {
  cardId = $state<string | null>(null);
  session = $state<Session | null>(null);
  phase = $state<Phase>('loading');
  /** The editor's text, as typed. */
  text = $state('');
  /** Bumped when the editor must start over from `text` (another card, an
   * older version restored). */
  edition = $state(0);
  saveState = $state<SaveState>('idle');
  savedAt = $state<Date | null>(null);
  /** The reveal of each reference compared so far, by card id. */
  reveals = $state.raw<Record<string, Reveal>>({});
  /** Whose reference the reveal shows: this card's, or one that asks the same. */
  referenceId = $state<string | null>(null);
  intervals = $state.raw<NextIntervals | null>(null);
  alsoIn = $state.raw<CardRef[]>([]);
  due = $state.raw<CardSchedule[]>([]);
  mockResults = $state.raw<MockResult[] | null>(null);
  /** When the current card was opened (ms, performance clock). */
  startedAt = $state(0);
  /** Which dialog to start a session from is open. */
  dialog = $state<'session' | 'mock' | null>(null);
  historyOpen = $state(false);
  #mockAnswers: MockResult[] = [];

  /** The card being answered, with its reference answer. */
  card = $state.raw<Card | undefined>(undefined);
  /** The reference answers shown so far: this card's and those of cards that
   * ask the same question, by id. */
  references = $state.raw<Record<string, Card>>({});
  active = $derived(this.cardId !== null || this.mockResults !== null);
  mock = $derived(this.session?.mock ?? null);
  reveal = $derived(this.referenceId ? (this.reveals[this.referenceId] ?? null) : null);
  dueCount = $derived(this.due.length);

  #saver = new Autosaver(
    async (text) => {
      const id = this.cardId;
      if (!id) return;
      const saved = await autosaveDraft(id, text);
      this.savedAt = new Date(saved.savedAt);
    },
    (state, error) => {
      this.saveState = state;
      if (error) library.notice = `Your answer could not be saved: ${BackendError.from(error).message}`;
    },
  );

  /** Opens a card to answer, with its saved draft in the editor. */
  async open(cardId: string, session: Session | null = null): Promise<void> {
    await this.#saver.flush();
    this.cardId = cardId;
    this.card = undefined;
    this.references = {};
    this.session = session;
    this.mockResults = null;
    this.phase = 'loading';
    this.reveals = {};
    this.referenceId = null;
    this.intervals = null;
    this.alsoIn = [];
    this.historyOpen = false;
    this.saveState = 'idle';
    this.savedAt = null;
    try {
      const [card, draft, alsoIn] = await Promise.all([loadCard(cardId), loadDraft(cardId), sameQuestion(cardId)]);
      if (this.cardId !== cardId) return;
      this.card = card;
      this.references = { [cardId]: card };
      this.text = draft?.text ?? '';
      this.savedAt = draft ? new Date(draft.savedAt) : null;
      this.saveState = draft ? 'saved' : 'idle';
      this.alsoIn = alsoIn;
    } catch (thrown) {
      library.notice = BackendError.from(thrown).message;
      this.text = '';
    }
    this.edition += 1;
    this.phase = 'writing';
    this.startedAt = performance.now();
  }

  /** The editor's text changed. */
  change(text: string): void {
    this.text = text;
    if (this.phase === 'revealed') this.phase = 'writing';
    this.#saver.change(text);
  }

  /** Puts an older version's text back in the editor, saved as the newest. */
  restore(text: string): void {
    this.text = text;
    this.edition += 1;
    this.#saver.change(text);
    this.historyOpen = false;
  }

  /** Shows the answer beside this card's reference (in a mock interview:
   * moves on to the next question instead; the reveal waits for the end). */
  async revealNow(): Promise<void> {
    const id = this.cardId;
    if (!id || this.phase === 'loading' || this.phase === 'revealing') return;
    if (this.mock) return this.finishMockCard();
    await this.#saver.flush();
    this.phase = 'revealing';
    try {
      const [reveal, intervals] = await Promise.all([revealAnswer(id, this.text), nextIntervals(id)]);
      if (this.cardId !== id) return;
      this.reveals = { [id]: reveal };
      this.referenceId = id;
      this.intervals = intervals;
      this.phase = 'revealed';
    } catch (thrown) {
      library.notice = BackendError.from(thrown).message;
      this.phase = 'writing';
    }
  }

  /** Shows the answer beside the reference of another card that asks the same question. */
  async compareWith(referenceId: string): Promise<void> {
    if (this.phase !== 'revealed') return;
    if (!this.reveals[referenceId]) {
      try {
        const [reveal, reference] = await Promise.all([
          compareWithReference(referenceId, this.text),
          this.references[referenceId] ?? loadCard(referenceId),
        ]);
        this.reveals = { ...this.reveals, [referenceId]: reveal };
        this.references = { ...this.references, [referenceId]: reference };
      } catch (thrown) {
        library.notice = BackendError.from(thrown).message;
        return;
      }
    }
    this.referenceId = referenceId;
  }

  /** Grades the card (after the reveal only), then opens the next one. */
  async grade(grade: Grade): Promise<void> {
    const id = this.cardId;
    if (!id || this.phase !== 'revealed') return;
    this.phase = 'grading';
    try {
      await gradeCard(id, grade);
    } catch (thrown) {
      library.notice = BackendError.from(thrown).message;
      this.phase = 'revealed';
      return;
    }
    await this.refreshDue();
    await this.next();
  }

  /** The session's next card; outside a session (or at its end), the next
   * card due, or back to where the user was when nothing is. */
  async next(): Promise<void> {
    const session = this.session;
    if (session && session.index + 1 < session.cards.length) {
      await this.open(session.cards[session.index + 1]!, { ...session, index: session.index + 1 });
      return;
    }
    // A card due may have left the notes (its review stays, orphaned).
    for (const due of this.due) {
      if (due.cardId === this.cardId) continue;
      const exists = await loadCard(due.cardId).then(
        () => true,
        () => false,
      );
      if (exists) {
        await this.open(due.cardId, null);
        return;
      }
    }
    await this.leave();
    library.notice = session ? `${session.label}: done. Nothing else is due.` : 'Nothing else is due right now.';
  }

  /** Back to the reader or the library; the draft stays saved. */
  async leave(): Promise<void> {
    await this.#saver.flush();
    this.cardId = null;
    this.card = undefined;
    this.references = {};
    this.session = null;
    this.mockResults = null;
    this.reveals = {};
    this.referenceId = null;
    this.historyOpen = false;
    this.#mockAnswers = [];
  }

  async refreshDue(): Promise<void> {
    try {
      this.due = await listDue();
    } catch (thrown) {
      library.notice = BackendError.from(thrown).message;
    }
  }

  /** Starts a session of the cards `request` picks; false when none fit. */
  async start(label: string, request: SessionRequest, mock: Session['mock'] = null): Promise<boolean> {
    const cards = (await startSession(request)).map((c) => c.id);
    if (cards.length === 0) return false;
    this.dialog = null;
    this.#mockAnswers = [];
    await this.open(cards[0]!, { label, cards, index: 0, mock });
    return true;
  }

  /** Seconds spent on the current card so far. */
  elapsed(now: number): number {
    return (now - this.startedAt) / 1000;
  }

  /** Keeps this answer of the mock interview and moves on; after the last
   * one, reveals them all for the summary. */
  async finishMockCard(): Promise<void> {
    const session = this.session;
    const id = this.cardId;
    if (!session?.mock || !id || this.phase !== 'writing') return;
    this.phase = 'loading';
    await this.#saver.flush();
    const seconds = Math.min(this.elapsed(performance.now()), session.mock.secondsPerCard);
    this.#mockAnswers.push({
      id,
      title: this.card?.title ?? id,
      answer: this.text,
      seconds,
      reveal: null,
      error: null,
    });
    if (session.index + 1 < session.cards.length) {
      await this.open(session.cards[session.index + 1]!, { ...session, index: session.index + 1 });
      return;
    }
    const results: MockResult[] = [];
    for (const answer of this.#mockAnswers) {
      try {
        results.push({ ...answer, reveal: await revealAnswer(answer.id, answer.answer) });
      } catch (thrown) {
        results.push({ ...answer, error: BackendError.from(thrown).message });
      }
    }
    this.cardId = null;
    this.session = null;
    this.#mockAnswers = [];
    this.mockResults = results;
  }
}

export const practice = new PracticeState();

// What the reader does to the HTML the core rendered, once it is in the page:
// finds its headings and questions, adds a bookmark toggle and a practise
// button to each question,
// tags external links and says where each leads, finds a question's section
// and marks search terms in it.
// The HTML itself is already sanitized by the core; nothing here adds markup
// from the note's text.

import type { NoteOutline } from '../../api';
import { isWebUrl } from '../../api';

/** The renderer gives every heading of the outline its id, and marks questions
 * and modules with a class; the sanitizer lets a note forge neither. */
const OUTLINE_HEADINGS = ':is(h1, h2, h3, h4, h5, h6)[id]';
const BOOKMARK_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linejoin="round" aria-hidden="true"><path d="M6.5 3.5h11v17l-5.5-4-5.5 4z"/></svg>';

const PRACTISE_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16zm9.5-13.5 4 4"/></svg>';

export interface Decorated {
  /** Every outline heading in the page, in order, keyed by its id. */
  headings: { id: string; element: HTMLElement }[];
  /** The question headings, in order. */
  questions: { id: string; element: HTMLElement }[];
}

function bookmarkToggle(id: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'q-bookmark';
  button.dataset.bookmark = id;
  button.title = 'Bookmark this question (b)';
  button.setAttribute('aria-label', 'Bookmark this question');
  button.innerHTML = BOOKMARK_ICON;
  return button;
}

function practiseButton(id: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'q-practise';
  button.dataset.practise = id;
  button.title = 'Answer this question from memory (p)';
  button.innerHTML = `${PRACTISE_ICON}<span>Practise</span>`;
  return button;
}

export function decorate(root: ParentNode, note: NoteOutline): Decorated {
  const unanswered = new Set(note.cards.filter((c) => c.empty).map((c) => c.id));
  const headings: Decorated['headings'] = [];
  const questions: Decorated['questions'] = [];

  for (const heading of root.querySelectorAll<HTMLElement>(OUTLINE_HEADINGS)) {
    const { id } = heading;
    headings.push({ id, element: heading });
    if (!heading.classList.contains('question')) continue;
    heading.classList.toggle('is-empty', unanswered.has(id));
    heading.append(practiseButton(id), bookmarkToggle(id));
    questions.push({ id, element: heading });
  }

  // The core keeps a raw link's text but drops a target the reader cannot
  // follow (another file, mail); without it the anchor would still look like a link.
  for (const inert of root.querySelectorAll('a:not([href])')) inert.replaceWith(...inert.childNodes);
  // The written href, not `link.href`: resolved against the app's own origin
  // (http://tauri.localhost on Windows) an in-page anchor would look external.
  for (const link of root.querySelectorAll<HTMLAnchorElement>('a[href]')) {
    const href = link.getAttribute('href') ?? '';
    if (isWebUrl(href)) {
      link.dataset.external = '';
      link.title = href;
    }
  }
  return { headings, questions };
}

/** Where a link of the note leads: a heading of the page, a web page for the
 * system browser, or nowhere. */
export type LinkTarget = { kind: 'anchor'; id: string } | { kind: 'web'; url: string } | null;

export function linkTarget(href: string): LinkTarget {
  if (href.startsWith('#')) {
    const written = href.slice(1);
    try {
      return { kind: 'anchor', id: decodeURIComponent(written) };
    } catch {
      // A stray `%` is not an escape: the anchor is taken as written.
      return { kind: 'anchor', id: written };
    }
  }
  return isWebUrl(href) ? { kind: 'web', url: href } : null;
}

/** What the core made of a note's link or image (src/render.rs): another
 * note (at a heading), a link that leads nowhere with the reason, or a
 * remote image, which is not loaded but can be opened in the browser. */
export type NoteLink =
  | { kind: 'note'; note: string; anchor: string | null }
  | { kind: 'broken'; reason: string }
  | { kind: 'remote-image'; url: string }
  | null;

export function noteLink(clicked: Element): NoteLink {
  const link = clicked.closest<HTMLElement>('a[data-note]');
  if (link?.dataset.note) return { kind: 'note', note: link.dataset.note, anchor: link.dataset.anchor ?? null };
  const broken = clicked.closest<HTMLElement>('[data-broken]');
  if (broken) return { kind: 'broken', reason: broken.dataset.broken ?? '' };
  const remote = clicked.closest<HTMLElement>('[data-remote-image]');
  if (remote?.dataset.remoteImage) return { kind: 'remote-image', url: remote.dataset.remoteImage };
  return null;
}

export function showBookmarks(decorated: Decorated, bookmarked: ReadonlySet<string>): void {
  for (const { id, element } of decorated.questions) {
    const button = element.querySelector<HTMLButtonElement>('.q-bookmark');
    if (!button) continue;
    const on = bookmarked.has(id);
    button.classList.toggle('is-on', on);
    button.setAttribute('aria-pressed', String(on));
  }
}

/** The note's HTML as nodes not yet in the page (images start loading only
 * once they are). */
export function parseNote(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Blocks put into the page before it shows: a note this short shows whole
 * at once. WebKit styles and lays out every element that enters the page,
 * and a note of 150,000 elements (4.7 MB of markdown) took 3 s of that
 * before anything showed. */
export const FIRST_BLOCKS = 1500;
/** Blocks added per turn after that, so that scrolling and keys are answered
 * in between. */
export const LATER_BLOCKS = 500;

export interface Filling {
  /** Puts the rest in the page now: to reach a block that is not there yet. */
  finish(): void;
  /** Adds nothing more (another note replaces this one). */
  stop(): void;
}

/** Puts a note's top-level `blocks` into `root`: those up to index `through`
 * and the first [`FIRST_BLOCKS`] at once, the rest a batch at a time,
 * calling `added` after each (the page grew: how far it is read changed). */
export function fill(root: HTMLElement, blocks: Node[], through: number, added: () => void = () => {}): Filling {
  const batch = (from: number, to: number) => {
    const fragment = document.createDocumentFragment();
    for (const block of blocks.slice(from, to)) fragment.append(block);
    return fragment;
  };
  let next = Math.max(FIRST_BLOCKS, through + LATER_BLOCKS);
  root.replaceChildren(batch(0, next));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const more = () => {
    if (next >= blocks.length) return;
    timer = setTimeout(() => {
      root.append(batch(next, next + LATER_BLOCKS));
      next += LATER_BLOCKS;
      added();
      more();
    }, 0);
  };
  more();
  return {
    finish() {
      clearTimeout(timer);
      root.append(batch(next, blocks.length));
      next = blocks.length;
      added();
    },
    stop() {
      clearTimeout(timer);
      next = blocks.length;
    },
  };
}

/** The index in `blocks`, the top-level nodes of `page`, of the one that
 * holds `element`. */
export function blockIndex(page: ParentNode, blocks: Node[], element: Node): number {
  let top: Node = element;
  while (top.parentNode && top.parentNode !== page) top = top.parentNode;
  return blocks.indexOf(top);
}

/** The blocks of a question's section: its own block and the siblings after
 * it up to the next question, module or heading of the same or higher rank. */
export function sectionOf(block: HTMLElement, root: HTMLElement): HTMLElement[] {
  let start: HTMLElement = block;
  while (start.parentElement && start.parentElement !== root) start = start.parentElement;
  const rank = headingRank(block);
  const section = [start];
  for (let next = start.nextElementSibling; next; next = next.nextElementSibling) {
    if (!(next instanceof HTMLElement)) continue;
    if (next.classList.contains('question') || next.classList.contains('module')) break;
    const nextRank = headingRank(next);
    if (nextRank !== null && (rank === null || nextRank <= rank)) break;
    section.push(next);
  }
  return section;
}

function headingRank(element: Element): number | null {
  const match = /^H([1-6])$/.exec(element.tagName);
  return match ? Number(match[1]) : null;
}

/** Letters, combining marks and digits: what the core's words are made of. A
 * term is marked only where no such character touches it, so `go` is not
 * marked inside “good”. */
const WORD_CHAR = '[\\p{L}\\p{M}\\p{N}]';

/** One case-insensitive pattern matching any of the terms as whole words,
 * the longest first where two start at the same place. */
export function termPattern(terms: readonly string[]): RegExp | null {
  const escaped = [...new Set(terms)]
    .filter((t) => t.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (escaped.length === 0) return null;
  return new RegExp(`(?<!${WORD_CHAR})(${escaped.join('|')})(?!${WORD_CHAR})`, 'giu');
}

export function clearMarks(root: HTMLElement): void {
  for (const mark of root.querySelectorAll('mark.hit')) {
    mark.replaceWith(document.createTextNode(mark.textContent ?? ''));
  }
  root.normalize();
}

/** Wraps each occurrence of the terms in the blocks in `<mark class="hit">`;
 * returns the first mark, to scroll it into view. */
export function markTerms(blocks: HTMLElement[], terms: readonly string[]): HTMLElement | null {
  const pattern = termPattern(terms);
  if (!pattern) return null;
  let first: HTMLElement | null = null;
  for (const block of blocks) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement?.closest('button, mark') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const texts: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
    for (const text of texts) {
      const parts = (text.data ?? '').split(pattern);
      if (parts.length < 2) continue;
      const fragment = document.createDocumentFragment();
      parts.forEach((part, i) => {
        if (!part) return;
        if (i % 2 === 1) {
          const mark = document.createElement('mark');
          mark.className = 'hit';
          mark.textContent = part;
          first ??= mark;
          fragment.append(mark);
        } else {
          fragment.append(part);
        }
      });
      text.replaceWith(fragment);
    }
  }
  return first;
}

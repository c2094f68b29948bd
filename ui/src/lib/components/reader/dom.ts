// What the reader does to the HTML the core rendered, once it is in the page:
// marks questions and modules, adds a bookmark toggle to each question, tags
// external links and says where each leads, finds a question's section and
// marks search terms in it.
// The HTML itself is already sanitized by the core; nothing here adds markup
// from the note's text.

import type { Note } from '../../api';
import { isWebUrl } from '../../api';
import { termPattern } from '../../state/terms';

const BLOCKS = 'h1,h2,h3,h4,h5,h6,p,li,dt,div';
const BOOKMARK_ICON =
  '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linejoin="round" aria-hidden="true"><path d="M6.5 3.5h11v17l-5.5-4-5.5 4z"/></svg>';

export interface Decorated {
  /** Every outline heading in the page, in order, keyed by its id. */
  headings: { id: string; element: HTMLElement }[];
  /** The question blocks, in order. */
  questions: { id: string; element: HTMLElement }[];
}

/** The block an id belongs to: the heading itself, or the heading/paragraph
 * around an anchor carrying the id. */
function blockOf(element: HTMLElement, root: HTMLElement): HTMLElement {
  const block = element.closest<HTMLElement>(BLOCKS);
  return block && root.contains(block) && block !== root ? block : element;
}

export function decorate(root: HTMLElement, note: Note): Decorated {
  const cards = new Map(note.cards.map((c) => [c.id, c]));
  const modules = new Set(note.outline.filter((e) => !e.isCard && e.depth === 1).map((e) => e.id));
  const outline = new Set(note.outline.map((e) => e.id));
  const headings: Decorated['headings'] = [];
  const questions: Decorated['questions'] = [];

  for (const element of root.querySelectorAll<HTMLElement>('[id]')) {
    const id = element.id;
    if (!outline.has(id) && !cards.has(id)) continue;
    const block = blockOf(element, root);
    block.dataset.anchor = id;
    headings.push({ id, element: block });
    const card = cards.get(id);
    if (card) {
      block.classList.add('question');
      block.classList.toggle('is-empty', card.empty);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'q-bookmark';
      button.dataset.bookmark = id;
      button.title = 'Bookmark this question (b)';
      button.setAttribute('aria-label', 'Bookmark this question');
      button.innerHTML = BOOKMARK_ICON;
      block.append(button);
      questions.push({ id, element: block });
    } else if (modules.has(id)) {
      block.classList.add('module');
    }
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

export function showBookmarks(root: HTMLElement, bookmarked: ReadonlySet<string>): void {
  for (const button of root.querySelectorAll<HTMLButtonElement>('.q-bookmark')) {
    const on = bookmarked.has(button.dataset.bookmark ?? '');
    button.classList.toggle('is-on', on);
    button.setAttribute('aria-pressed', String(on));
  }
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

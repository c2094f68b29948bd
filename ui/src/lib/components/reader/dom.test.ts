// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NoteOutline } from '../../api';
import { FIRST_BLOCKS, LATER_BLOCKS, blockIndex, clearMarks, decorate, fill, linkTarget, markTerms, noteLink, parseNote, sectionOf, showBookmarks, termPattern } from './dom';

const note: NoteOutline = {
  note: { id: 'go.md', title: 'Go', repair: null, cards: 2, unanswered: 1, modules: 1, headings: ['Module 1'] },
  outline: [
    { id: 'go.md#m1', title: 'Module 1', depth: 1, isCard: false, trail: [] },
    { id: 'go.md#m1/threads', title: 'Goroutine vs Thread', depth: 2, isCard: true, trail: ['Module 1'] },
    { id: 'go.md#m1/todo', title: 'Channels', depth: 2, isCard: true, trail: ['Module 1'] },
  ],
  cards: [
    { id: 'go.md#m1/threads', note: 'go.md', trail: ['Module 1'], title: 'Goroutine vs Thread', empty: false },
    { id: 'go.md#m1/todo', note: 'go.md', trail: ['Module 1'], title: 'Channels', empty: true },
  ],
};

// As the core renders it: headings carry their outline id, and questions and
// modules their class.
const HTML = `
  <h2 id="go.md#m1" class="module">Module 1</h2>
  <h3 id="go.md#m1/threads" class="question">Goroutine vs Thread</h3>
  <p>A goroutine is cheaper than a thread. See <a href="https://go.dev/">go.dev</a> or <a href="#go.md#m1">the module</a>.</p>
  <pre><code>go work() // starts a Goroutine</code></pre>
  <h3 id="go.md#m1/todo" class="question">Channels</h3>
  <p>A goroutine sends on a channel.</p>`;

let root: HTMLElement;
beforeEach(() => {
  document.body.innerHTML = `<article>${HTML}</article>`;
  root = document.querySelector('article')!;
});

describe('decorate', () => {
  it('lists the headings in page order and the questions the core marked', () => {
    const { headings, questions } = decorate(root, note);
    expect(headings.map((h) => h.id)).toEqual(['go.md#m1', 'go.md#m1/threads', 'go.md#m1/todo']);
    expect(questions.map((q) => q.id)).toEqual(['go.md#m1/threads', 'go.md#m1/todo']);
  });

  it('takes a heading the core did not mark as a question for none, whatever the outline says', () => {
    root.querySelector('h3')!.classList.remove('question');
    const { questions } = decorate(root, note);
    expect(questions.map((q) => q.id)).toEqual(['go.md#m1/todo']);
    expect(root.querySelectorAll('.q-bookmark')).toHaveLength(1);
  });

  it('flags a question without an answer so it can say so', () => {
    decorate(root, note);
    expect(document.getElementById('go.md#m1/todo')!.classList.contains('is-empty')).toBe(true);
  });

  it('adds one bookmark toggle per question and shows which are bookmarked', () => {
    showBookmarks(decorate(root, note), new Set(['go.md#m1/todo']));
    const toggles = [...root.querySelectorAll<HTMLButtonElement>('.q-bookmark')];
    expect(toggles.map((t) => [t.dataset.bookmark, t.classList.contains('is-on')])).toEqual([
      ['go.md#m1/threads', false],
      ['go.md#m1/todo', true],
    ]);
  });

  it('adds a practise button to each question, naming the question it opens', () => {
    decorate(root, note);
    const buttons = [...root.querySelectorAll<HTMLButtonElement>('.q-practise')];
    expect(buttons.map((b) => b.dataset.practise)).toEqual(['go.md#m1/threads', 'go.md#m1/todo']);
    expect(buttons[0]!.textContent).toBe('Practise');
  });

  it('tags web links as external and leaves in-page anchors alone', () => {
    decorate(root, note);
    const [web, anchor] = [...root.querySelectorAll('a')];
    expect(web!.hasAttribute('data-external')).toBe(true);
    expect(anchor!.hasAttribute('data-external')).toBe(false);
  });

  it('turns a link the core left without a target into its text', () => {
    root.insertAdjacentHTML('beforeend', '<p id="inert">See <a rel="noopener noreferrer">the <b>other</b> note</a>.</p>');
    decorate(root, note);
    const paragraph = root.querySelector('#inert')!;
    expect(paragraph.querySelector('a')).toBeNull();
    expect(paragraph.innerHTML).toBe('See the <b>other</b> note.');
  });
});

describe('linkTarget', () => {
  it('reveals in-page anchors, decoded, and sends web links to the browser', () => {
    expect(linkTarget('#go.md%23m1/caf%C3%A9')).toEqual({ kind: 'anchor', id: 'go.md#m1/café' });
    expect(linkTarget('https://go.dev/')).toEqual({ kind: 'web', url: 'https://go.dev/' });
  });

  it('takes a malformed escape as written instead of throwing', () => {
    expect(linkTarget('#%zz')).toEqual({ kind: 'anchor', id: '%zz' });
    expect(linkTarget('#go.md#m1/100%')).toEqual({ kind: 'anchor', id: 'go.md#m1/100%' });
    expect(linkTarget('https://x.example/%E0%A4%A')).toEqual({ kind: 'web', url: 'https://x.example/%E0%A4%A' });
  });

  it('leads nowhere for anything else', () => {
    for (const href of ['', 'other.md', '../x.md', 'mailto:a@b.c', 'javascript:alert(1)', 'file:///etc/passwd', '//evil.example']) {
      expect(linkTarget(href), href).toBeNull();
    }
  });
});

describe('sectionOf', () => {
  it('spans a question from its heading to the next question', () => {
    decorate(root, note);
    const heading = document.getElementById('go.md#m1/threads')!;
    expect(sectionOf(heading, root).map((e) => e.tagName)).toEqual(['H3', 'P', 'PRE']);
  });
});

describe('markTerms', () => {
  it('marks every occurrence in the section, in text and code, whatever the case', () => {
    decorate(root, note);
    const heading = document.getElementById('go.md#m1/threads')!;
    const first = markTerms(sectionOf(heading, root), ['goroutine']);
    const marks = [...root.querySelectorAll('mark.hit')].map((m) => m.textContent);
    expect(marks).toEqual(['Goroutine', 'goroutine', 'Goroutine']);
    expect(first).toBe(root.querySelector('mark.hit'));
  });

  it('does not mark outside the section or inside the bookmark toggle', () => {
    decorate(root, note);
    const heading = document.getElementById('go.md#m1/threads')!;
    markTerms(sectionOf(heading, root), ['goroutine', 'bookmark']);
    expect(root.querySelector('[id="go.md#m1/todo"] ~ p mark')).toBeNull();
    expect(root.querySelector('.q-bookmark mark')).toBeNull();
  });

  it('marks whole words only: `go` is not marked inside “good” or “goroutine”', () => {
    root.insertAdjacentHTML('beforeend', '<p id="words">Go is good; go-to, “go” and Go. Not goroutine or ago.</p>');
    markTerms([root.querySelector<HTMLElement>('#words')!], ['go']);
    expect([...root.querySelectorAll('#words mark.hit')].map((m) => m.textContent)).toEqual(['Go', 'go', 'go', 'Go']);
  });

  it('leaves the text exactly as it was once the marks are cleared', () => {
    decorate(root, note);
    const before = root.textContent;
    markTerms([root], ['goroutine', 'thread']);
    clearMarks(root);
    expect(root.querySelectorAll('mark')).toHaveLength(0);
    expect(root.textContent).toBe(before);
  });
});

describe('termPattern', () => {
  it('matches terms literally, including dots, in any case', () => {
    const pattern = termPattern(['sync.waitgroup'])!;
    expect('use sync.WaitGroup here'.match(pattern)).toEqual(['sync.WaitGroup']);
    expect('syncXWaitGroup'.match(pattern)).toBeNull();
  });

  it('prefers the longer of two terms that start at the same place', () => {
    expect('sync.WaitGroup'.match(termPattern(['sync', 'sync.waitgroup'])!)).toEqual(['sync.WaitGroup']);
  });

  it('treats letters beyond ASCII as parts of words', () => {
    expect('café cafés'.match(termPattern(['café'])!)).toEqual(['café']);
  });

  it('is null when there is nothing to mark', () => {
    expect(termPattern([])).toBeNull();
  });
});

describe('noteLink', () => {
  function clicked(html: string, selector: string): Element {
    const root = document.createElement('div');
    root.innerHTML = html;
    return root.querySelector(selector)!;
  }

  it('follows a link to another note to the heading it names', () => {
    const html = '<a href="rehearse://note/aws/s3.md#aws/s3.md%23buckets" data-note="aws/s3.md" data-anchor="aws/s3.md#buckets"><em>buckets</em></a>';
    expect(noteLink(clicked(html, 'em'))).toEqual({ kind: 'note', note: 'aws/s3.md', anchor: 'aws/s3.md#buckets' });
    expect(noteLink(clicked('<a href="rehearse://note/go.md" data-note="go.md">Go</a>', 'a'))).toEqual({ kind: 'note', note: 'go.md', anchor: null });
  });

  it('gives the reason of a broken link and the address of a remote image', () => {
    expect(noteLink(clicked('<span data-broken="no note named other.md">see</span>', 'span'))).toEqual({ kind: 'broken', reason: 'no note named other.md' });
    expect(noteLink(clicked('<span data-remote-image="https://x.example/a.png">diagram</span>', 'span'))).toEqual({ kind: 'remote-image', url: 'https://x.example/a.png' });
  });

  it('leaves ordinary links and text to the rest of the reader', () => {
    expect(noteLink(clicked('<a href="https://go.dev/">go</a>', 'a'))).toBeNull();
    expect(noteLink(clicked('<p>text</p>', 'p'))).toBeNull();
  });
});

describe('fill', () => {
  /** A long note: `count` questions, each a heading and an answer. */
  function longNote(count: number): DocumentFragment {
    const parts = [];
    for (let i = 0; i < count; i += 1) parts.push(`<h3 id="n.md#q${i}" class="question">Q${i}</h3><p>Answer <code>${i}</code></p>`);
    return parseNote(parts.join(''));
  }
  const texts = (element: HTMLElement) => [...element.children].map((c) => c.textContent);

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('puts a note short enough in the page whole, at once', () => {
    const page = parseNote(HTML);
    const blocks = [...page.childNodes];
    fill(root, blocks, 0);
    expect(root.querySelectorAll('h3.question')).toHaveLength(2);
    expect(root.textContent).toContain('A goroutine sends on a channel.');
  });

  it('shows the start of a long note at once and the rest afterwards, in order', () => {
    const page = longNote(FIRST_BLOCKS);
    const blocks = [...page.childNodes];
    fill(root, blocks, 0);
    expect(root.children).toHaveLength(FIRST_BLOCKS);
    expect(root.lastElementChild?.textContent).not.toContain(String(FIRST_BLOCKS - 1));
    vi.runAllTimers();
    expect(root.children).toHaveLength(2 * FIRST_BLOCKS);
    expect(texts(root)).toEqual(blocks.map((b) => b.textContent));
  });

  it('has the block a landing needs in the page at once, however deep in the note', () => {
    const page = longNote(3 * FIRST_BLOCKS);
    const blocks = [...page.childNodes];
    const deep = page.querySelector<HTMLElement>(`[id="n.md#q${2 * FIRST_BLOCKS}"]`)!;
    fill(root, blocks, blockIndex(page, blocks, deep));
    expect(deep.isConnected).toBe(true);
    // And what follows it, for the search terms marked in its answer.
    expect(deep.nextElementSibling?.textContent).toBe(`Answer ${2 * FIRST_BLOCKS}`);
    expect(root.children.length).toBeLessThan(blocks.length);
  });

  it('puts the rest in at once when asked, and adds nothing once stopped', () => {
    const blocks = [...longNote(2 * FIRST_BLOCKS).childNodes];
    const filling = fill(root, blocks, 0);
    filling.finish();
    expect(root.children).toHaveLength(blocks.length);

    const other = document.createElement('article');
    const stopped = fill(other, [...longNote(2 * FIRST_BLOCKS).childNodes], 0);
    stopped.stop();
    vi.runAllTimers();
    expect(other.children).toHaveLength(FIRST_BLOCKS);
  });

  it('adds the rest a batch per turn, so keys and scrolling are answered between, and says so each time', () => {
    const blocks = [...longNote(2 * FIRST_BLOCKS).childNodes];
    let told = 0;
    fill(root, blocks, 0, () => (told += 1));
    vi.advanceTimersToNextTimer();
    expect(root.children).toHaveLength(FIRST_BLOCKS + LATER_BLOCKS);
    expect(told).toBe(1);
  });
});

describe('blockIndex', () => {
  it('finds the top-level block that holds an element nested in it', () => {
    const page = parseNote(HTML);
    const blocks = [...page.childNodes];
    const code = page.querySelector('code')!;
    expect((blocks[blockIndex(page, blocks, code)] as HTMLElement).tagName).toBe('PRE');
  });
});

// A library of thousands of notes: the window puts only the rows in view in
// the page, opens a note's questions when it is expanded, filters in the
// core, and picks one note to search in by typing its name.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freshDataDir, launch, openHit, press, quit, screenshot, searchFor, temporaryFolder, type } from '../support/app.mjs';

const NOTES = 3_000;

/** `NOTES` small notes in ten folders, each with a module and two questions. */
function bigLibrary() {
  const root = temporaryFolder('rehearse-scale-');
  for (let i = 0; i < NOTES; i += 1) {
    const folder = join(root, `topic-${i % 10}`);
    mkdirSync(folder, { recursive: true });
    const n = String(i).padStart(4, '0');
    writeFileSync(
      join(folder, `note-${n}.md`),
      `# Note ${n}\n\n## Module ${n}\n\n### Question ${n} about sharding\n\nSplit the rows of table ${n} across machines.\n\n### Question ${n} about replicas\n\nKeep copies of table ${n}.\n`,
    );
  }
  writeFileSync(join(root, 'a-long-note.md'), longNote());
  return root;
}

const LONG = 3_000;

/** One note of `LONG` questions, each with an answer and a code block: tens
 * of thousands of elements in the reader. One question, in the middle,
 * talks of quokkas. */
function longNote() {
  const parts = ['# A long note\n\n## Everything\n'];
  for (let i = 0; i < LONG; i += 1) {
    const about = i === LONG / 2 ? 'why quokkas smile' : `table ${i}`;
    parts.push(`### Question ${i}: ${about}\n\nAnswer ${i}: keep ${about} in memory.\n\n\`\`\`go\nfunc keep${i}() { cache.Put(${i}) }\n\`\`\`\n`);
  }
  return parts.join('\n');
}

let app;
before(async () => (app = await launch({ dataDir: freshDataDir(), notes: [bigLibrary()] })));
after(async () => app && (await quit(app)));

const count = (selector) => app.execute((s) => document.querySelectorAll(s).length, selector);

test('thousands of notes: the summary counts them all while the page holds only the rows in view', async () => {
  const summary = app.$('[data-testid="library"] .summary');
  await summary.waitForDisplayed({ timeout: 60_000 });
  assert.match(await summary.getText(), /^3[,.\u202f ]?001 notes/, 'the summary counts every note');
  const rows = await count('[data-testid="note-row"]');
  const tiles = await count('[data-testid="library-note"]');
  assert.ok(rows > 5 && rows < 150, `the sidebar keeps ${rows} of ${NOTES} note rows in the page`);
  assert.ok(tiles > 3 && tiles < 150, `the home page keeps ${tiles} of ${NOTES} tiles in the page`);
  await screenshot(app, 'scale-home');
});

test('scrolling the sidebar to its end shows the last note', async () => {
  await app.waitUntil(
    () =>
      app.execute(() => {
        const column = document.querySelector('[data-testid="sidebar"] .sections');
        column.scrollTop = column.scrollHeight;
        return [...document.querySelectorAll('[data-testid="note-row"]')].some((r) => r.dataset.note.endsWith('note-2999.md'));
      }),
    { timeout: 5_000, timeoutMsg: 'the last note never appeared at the end of the sidebar' },
  );
});

test('expanding a note lists its module, and the module its questions, asked for only then', async () => {
  const row = app.$('[data-testid="note-row"]');
  const note = await row.getAttribute('data-note');
  await row.$('.twisty').click();
  const module = app.$('[data-testid="module-row"]');
  await module.waitForExist({ timeout: 5_000 });
  assert.match(await app.execute(() => document.querySelector('[data-testid="module-row"]').textContent), /Module \d{4}\s*2/);
  await module.$('.twisty').click();
  await app.waitUntil(
    () => app.execute((id) => [...document.querySelectorAll('[data-testid="card-row"]')].some((c) => c.dataset.id.startsWith(`${id}#`)), note),
    { timeout: 5_000, timeoutMsg: `the questions of ${note} never appeared` },
  );
});

test('the sidebar filter finds one question among thousands of notes', async () => {
  const filter = app.$('[data-testid="filter"]');
  await filter.click();
  await type(app, 'question 1234 replicas');
  await app.waitUntil(
    async () => {
      const titles = await app.execute(() => [...document.querySelectorAll('[data-testid="card-row"]')].map((c) => c.textContent.trim()));
      return titles.length === 1 && titles[0] === 'Question 1234 about replicas';
    },
    { timeout: 5_000, timeoutMsg: 'the filter did not narrow the tree to the one question' },
  );
  await press(app, 'Escape');
});

test('a note of thousands of questions opens at a hit in its middle, and the rest of it follows', async () => {
  await searchFor(app, 'quokkas');
  const hit = app.$('[data-testid="search-hit"]');
  await hit.waitForExist({ timeout: 5_000 });
  const hitId = await hit.getAttribute('data-id');
  assert.match(hitId, /^a-long-note\.md#/);
  const landed = await openHit(app, hitId, 30_000);
  assert.ok(landed.top >= 0 && landed.top < landed.height / 2, `the question sits near the top of the view (top=${landed.top})`);
  assert.ok(landed.marks.some((m) => /quokkas/i.test(m)), `“quokkas” is marked, marks: ${landed.marks.join(', ')}`);
  await app.waitUntil(() => count('[data-testid="note"] .question').then((n) => n === LONG), {
    timeout: 30_000,
    timeoutMsg: 'the questions after the hit never all arrived',
  });
  const last = await app.execute(() => document.querySelector('[data-testid="note"] .question:last-of-type')?.textContent);
  assert.match(last, new RegExp(`Question ${LONG - 1}: table ${LONG - 1}`));
  await screenshot(app, 'scale-long-note');
  // The palette keeps its last query: leave it empty for the next test.
  await press(app, 'Control', 'k');
  await app.$('[data-testid="search-input"]').waitForDisplayed({ timeout: 5_000 });
  await press(app, 'Control', 'a');
  await press(app, 'Backspace');
  await press(app, 'Escape');
});

test('the palette searches in one note picked by typing part of its name', async () => {
  await press(app, 'Control', 'k');
  await app.$('[data-testid="search-input"]').waitForDisplayed({ timeout: 5_000 });
  await app.$('[data-testid="note-picker"]').click();
  await app.$('[data-testid="note-picker-input"]').waitForDisplayed({ timeout: 5_000 });
  await type(app, 'note 0042');
  const option = app.$('[data-testid="note-picker-option"]');
  await option.waitForExist({ timeout: 5_000 });
  assert.match(await option.getAttribute('data-note'), /note-0042\.md$/);
  await press(app, 'Enter');
  await app.$('[data-testid="search-input"]').click();
  await type(app, 'sharding');
  await app.waitUntil(
    async () => {
      const notes = await app.execute(() => [...document.querySelectorAll('[data-testid="search-hit"]')].map((h) => h.dataset.id.split('#')[0]));
      return notes.length > 0 && notes.every((n) => n.endsWith('note-0042.md'));
    },
    { timeout: 5_000, timeoutMsg: 'the hits were not all in the picked note' },
  );
  assert.match(await app.execute(() => document.querySelector('[data-testid="note-picker"]').textContent), /Note 0042/);
  await screenshot(app, 'scale-picker');
});

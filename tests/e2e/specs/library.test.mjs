// A person starts Rehearse on the bundled notes and sees their library.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readdirSync } from 'node:fs';
import { freshDataDir, launch, noteTitles, quit, screenshot } from '../support/app.mjs';
import { BUNDLED_NOTES } from '../support/paths.mjs';

let app;
before(async () => (app = await launch({ dataDir: freshDataDir() })));
after(async () => app && (await quit(app)));

test('the library lists all five bundled notes, in the sidebar and on the home page', async () => {
  const files = readdirSync(BUNDLED_NOTES).filter((f) => f.endsWith('.md')).sort();
  assert.equal(files.length, 5, 'five notes ship with Rehearse');
  const rows = await app.$$('[data-testid="note-row"]').map((e) => e.getAttribute('data-note'));
  assert.deepEqual([...rows].sort(), files, 'the sidebar lists every bundled note');
  const titles = await noteTitles(app);
  assert.ok(titles.every((t) => t.trim().length > 0), `every note shows a title: ${titles.join(' | ')}`);
  const cards = await app.$$('[data-testid="library-note"]');
  assert.equal(cards.length, 5, 'the home page shows one card per note');
  await screenshot(app, 'library');
});

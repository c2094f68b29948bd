// A person starts Rehearse on the bundled notes and sees their library.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshDataDir, launch, noteTitles, quit, screenshot } from '../support/app.mjs';

let app;
before(async () => (app = await launch({ dataDir: freshDataDir() })));
after(async () => app && (await quit(app)));

test('the library lists all five bundled notes, in the sidebar and on the home page', async () => {
  const titles = await noteTitles(app);
  assert.equal(titles.length, 5, `five notes ship with Rehearse, the sidebar shows: ${titles.join(' | ')}`);
  const cards = await app.$$('[data-testid="library-note"]');
  assert.equal(cards.length, 5, 'the home page shows one card per note');
  for (const title of titles) assert.ok(title.trim().length > 0, 'every note has a visible title');
  await screenshot(app, 'library');
});

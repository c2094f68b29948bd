// The same note in two folders (two versions of a manual, a copied folder)
// gives one result per section in the palette, which says where else it is.

import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freshDataDir, launch, quit, screenshot, searchFor, temporaryFolder } from '../support/app.mjs';
import { BUNDLED_NOTES } from '../support/paths.mjs';

let app;
before(async () => {
  const folders = ['v1-', 'v2-'].map((prefix) => temporaryFolder(`rehearse-copies-${prefix}`));
  for (const folder of folders) copyFileSync(join(BUNDLED_NOTES, 'golang-deltas.md'), join(folder, 'golang-deltas.md'));
  app = await launch({ dataDir: freshDataDir(), notes: folders });
});
after(async () => app && (await quit(app)));

test('a section in two folders is one result that says it is also in the other', async () => {
  await searchFor(app, 'array vs slice');
  const first = app.$('[data-testid="search-hit"]');
  await first.waitForExist({ timeout: 5_000 });
  const rows = await app.execute(() =>
    [...document.querySelectorAll('[data-testid="search-hit"]')].map((row) => ({
      title: row.querySelector('.title')?.textContent.trim(),
      copies: row.querySelector('[data-testid="copies"]')?.textContent.trim() ?? null,
    })),
  );
  const titles = rows.map((row) => row.title);
  assert.equal(new Set(titles).size, titles.length, `no title twice: ${titles.join(' | ')}`);
  assert.match(rows[0].title, /array vs slice/i);
  assert.equal(rows[0].copies, 'also in 1 other place');
  await screenshot(app, 'search-copies');
});

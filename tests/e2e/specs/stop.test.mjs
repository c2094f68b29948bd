// Indexing a big folder takes a while: the window stays usable meanwhile and
// the indexing can be stopped. Stopped while a folder is being added, the
// folder is not added and the library open before stays; stopped on the first
// start, the bundled notes open instead.

import assert from 'node:assert/strict';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CORPORA } from '../support/paths.mjs';
import { freshDataDir, launch, press, quit, screenshot, temporaryFolder, type } from '../support/app.mjs';

/** The public collections, five times over (18,340 files, 187 MB): indexing
 * them lasts long enough to search and then stop, even on a fast machine. */
function bigFolder() {
  const root = temporaryFolder('rehearse-e2e-big-');
  for (const copy of ['one', 'two', 'three', 'four', 'five']) cpSync(CORPORA, join(root, copy), { recursive: true });
  return root;
}

const BIG = bigFolder();

/** The palette keeps its last query: `setValue` replaces it. */
async function searchFirstTitle(app, query) {
  await press(app, 'Control', 'k');
  const input = app.$('[data-testid="search-input"]');
  await input.waitForDisplayed({ timeout: 5_000 });
  await input.setValue(query);
  const first = app.$('[data-testid="search-hit"]');
  await first.waitForExist({ timeout: 10_000, timeoutMsg: `no result for “${query}”` });
  await app.waitUntil(async () => (await first.$('.title').getText()).length > 0);
  const title = await first.$('.title').getText();
  await press(app, 'Escape');
  return title;
}

test('a folder being added can be stopped while the library open before goes on answering', async () => {
  const app = await launch({ dataDir: freshDataDir(), notes: [] });
  try {
    await app.$('[data-testid="open-settings"]').click();
    await app.$('[data-testid="folder-row"]').waitForExist({ timeout: 10_000 });
    await app.$('[data-testid="folder-path"]').click();
    await type(app, BIG);
    await app.$('[data-testid="folder-add"]').click();
    const indexing = app.$('[data-testid="folders-indexing"]');
    await indexing.waitForExist({ timeout: 10_000, timeoutMsg: 'no progress shown for the folder being added' });
    await app.waitUntil(async () => /Indexing [\d,.\u202f ]+ of/.test(await indexing.getText()), {
      timeout: 60_000,
      timeoutMsg: 'the progress never counted notes',
    });
    await screenshot(app, 'folders-indexing');

    // The settings closed, the sidebar still shows the indexing, and the
    // window answers from the library open before.
    await press(app, 'Escape');
    await app.$('[data-testid="sidebar-indexing"]').waitForExist({ timeout: 5_000 });
    await screenshot(app, 'sidebar-indexing');
    assert.match(await searchFirstTitle(app, 'gorutine'), /goroutine/i);

    await app.$('[data-testid="open-settings"]').click();
    const stop = app.$('[data-testid="folders-stop"]');
    await stop.waitForExist({ timeout: 5_000, timeoutMsg: 'the indexing ended before it could be stopped' });
    await stop.click();
    await app.$('[data-testid="folders-stopped"]').waitForExist({
      timeout: 30_000,
      timeoutMsg: 'no “Stopped” after Stop: the indexing may have ended just before the click',
    });
    const rows = await app.$$('[data-testid="folder-row"]').map((row) => row.getAttribute('data-bundled'));
    assert.deepEqual(rows, ['true'], 'the stopped folder was not added');
    await press(app, 'Escape');
    assert.equal(
      await app.execute(() => document.querySelectorAll('[data-testid="note-row"]').length),
      5,
      'the sidebar still shows the bundled notes only',
    );
    assert.match(await searchFirstTitle(app, 'gorutine'), /goroutine/i, 'search still answers after the stop');
  } finally {
    await quit(app);
  }
});

test('the first start’s indexing can be stopped, and the bundled notes open instead', async () => {
  const app = await launch({ dataDir: freshDataDir(), notes: [BIG], waitFor: '[data-testid="loading"]' });
  try {
    const stop = app.$('[data-testid="stop-indexing"]');
    await stop.waitForExist({ timeout: 60_000, timeoutMsg: 'the first start showed no way to stop its indexing' });
    await screenshot(app, 'first-start-indexing');
    await stop.click();
    await app
      .$('[data-testid="note-row"][data-note="golang-deltas.md"]')
      .waitForExist({ timeout: 30_000, timeoutMsg: 'the bundled notes did not open after the stop' });
    const notice = await app.$('.notice').getText();
    assert.match(notice, /Indexing was stopped/);
    assert.equal(
      await app.execute(() => document.querySelectorAll('[data-testid="note-row"]').length),
      5,
      'only the bundled notes are open',
    );
  } finally {
    await quit(app);
  }
});

test('a saved folder whose first indexing was stopped is listed as read at the next start', async () => {
  const dataDir = freshDataDir();
  let app = await launch({ dataDir, notes: [] });
  try {
    await app.$('[data-testid="open-settings"]').click();
    await app.$('[data-testid="folder-path"]').click();
    await type(app, BIG);
    await app.$('[data-testid="folder-add"]').click();
    await app
      .$(`[data-testid="folder-row"][data-path="${BIG}"]`)
      .waitForExist({ timeout: 120_000, timeoutMsg: 'the folder was not added' });
  } finally {
    await quit(app);
  }
  // The index and the catalog gone (as after an upgrade that changes them):
  // the next start indexes the saved folder again, and is stopped.
  rmSync(join(dataDir, 'index'), { recursive: true, force: true });
  rmSync(join(dataDir, 'notes-catalog.bin'), { force: true });
  app = await launch({ dataDir, notes: [], waitFor: '[data-testid="loading"]' });
  try {
    const stop = app.$('[data-testid="stop-indexing"]');
    await stop.waitForExist({ timeout: 60_000, timeoutMsg: 'the start showed no way to stop its indexing' });
    await stop.click();
    await app.$('[data-testid="note-row"][data-note="golang-deltas.md"]').waitForExist({ timeout: 30_000 });
    await app.$('[data-testid="open-settings"]').click();
    const row = app.$(`[data-testid="folder-row"][data-path="${BIG}"]`);
    await row.waitForExist({ timeout: 10_000 });
    assert.equal(await row.$('[data-testid="folder-count"]').getText(), 'read at next start');
    await screenshot(app, 'folders-left-out');
  } finally {
    await quit(app);
  }
});

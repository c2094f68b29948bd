// Searching with a typo finds the right card, and opening it lands on the card
// with the matched word marked; the same session shows the dark theme.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { freshDataDir, launch, openHit, press, quit, screenshot, searchFor } from '../support/app.mjs';

/** The one version of Rehearse, from the workspace's Cargo.toml. */
const workspaceVersion = () =>
  readFileSync(new URL('../../../Cargo.toml', import.meta.url), 'utf8').match(/^version = "([^"]+)"/m)[1];

let app;
before(async () => (app = await launch({ dataDir: freshDataDir() })));
after(async () => app && (await quit(app)));

test('typing “gorutine” in the palette lists a Goroutine card first', async () => {
  await searchFor(app, 'gorutine');
  const first = app.$('[data-testid="search-hit"]');
  await first.waitForExist({ timeout: 5_000 });
  await app.waitUntil(async () => (await first.$('.title').getText()).length > 0);
  const title = await first.$('.title').getText();
  assert.match(title, /goroutine/i, `the first hit should be about goroutines, was “${title}”`);
  await screenshot(app, 'search');
});

test('Enter opens the card in the reader, scrolled into view, with the term marked', async () => {
  const hitId = await app.$('[data-testid="search-hit"]').getAttribute('data-id');
  const landed = await openHit(app, hitId);
  assert.ok(landed.top >= 0 && landed.top < landed.height / 2, `the card sits near the top of the view (top=${landed.top})`);
  assert.ok(landed.marks.some((m) => /goroutine/i.test(m)), `“Goroutine” is marked, marks: ${landed.marks.join(', ')}`);
  await screenshot(app, 'reader');
});

test('the dark theme can be switched on with one key, and the help names the version', async () => {
  await press(app, 't');
  const theme = await app.execute(() => document.documentElement.dataset.theme);
  assert.equal(theme, 'dark');
  await screenshot(app, 'reader-dark');
  await press(app, '?');
  await app.$('[data-testid="help"]').waitForDisplayed({ timeout: 5_000 });
  const about = app.$('[data-testid="about"]');
  await about.waitForExist({ timeout: 5_000 });
  assert.match(await about.getText(), new RegExp(`^Rehearse ${workspaceVersion().replaceAll('.', '\\.')} `));
  await screenshot(app, 'help-dark');
  await press(app, 'Escape');
});

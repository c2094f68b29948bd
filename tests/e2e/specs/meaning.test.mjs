// Search by meaning in the window: once the model has embedded the notes, a
// question asked in other words finds its card when typing pauses, hits found
// by meaning alone are labelled, and the row the user selected does not jump.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshDataDir, launch, press, quit, screenshot, type } from '../support/app.mjs';

let app;
before(async () => (app = await launch({ dataDir: freshDataDir() })));
after(async () => app && (await quit(app)));

const titles = () => app.execute(() => [...document.querySelectorAll('[data-testid="search-hit"] .title')].map((e) => e.textContent.trim()));

async function clearAndType(text) {
  const input = app.$('[data-testid="search-input"]');
  await input.clearValue();
  await type(app, text);
}

test('the palette says search by meaning is ready once the notes are embedded', async () => {
  await press(app, 'Control', 'k');
  await app.$('[data-testid="search-input"]').waitForDisplayed({ timeout: 5_000 });
  const state = app.$('[data-testid="meaning-state"]');
  await app.waitUntil(async () => (await state.getAttribute('data-state')) === 'ready', {
    timeout: 240_000,
    interval: 500,
    timeoutMsg: 'search by meaning never became ready',
  });
  assert.match(await state.getText(), /meaning/i);
});

test('a question asked in other words finds the sharding card when typing pauses', async () => {
  await clearAndType('split one big database across several machines');
  await app.waitUntil(async () => (await titles()).slice(0, 3).some((t) => /sharding/i.test(t)), {
    timeout: 10_000,
    timeoutMsg: 'the sharding card never reached the top 3',
  });
  await screenshot(app, 'search-by-meaning');
});

test('a hit found by meaning alone is labelled “by meaning”', async () => {
  await clearAndType('cap how many jobs execute together');
  const label = app.$('[data-testid="by-meaning"]');
  await label.waitForExist({ timeout: 10_000 });
  assert.equal(await label.getText(), 'by meaning');
});

test('the selected result stays selected when meaning is fused in', async () => {
  await clearAndType('goroutine');
  await app.$('[data-testid="search-hit"]').waitForExist({ timeout: 5_000 });
  await press(app, 'ArrowDown');
  const selectedId = () => app.execute(() => document.querySelector('[data-testid="search-hit"][aria-selected="true"]')?.dataset.id);
  const chosen = await selectedId();
  assert.ok(chosen, 'a row is selected');
  // Longer than the pause before meaning is asked, and its answer.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.equal(await selectedId(), chosen);
  await press(app, 'Escape');
});

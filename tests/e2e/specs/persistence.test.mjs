// What a person leaves behind survives closing the app: bookmarks and the
// place they stopped reading each note.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshDataDir, launch, openNote, press, quit, topQuestion } from '../support/app.mjs';

const NOTE = 'golang-deltas.md';

test('a bookmark survives an app restart', async () => {
  const dataDir = freshDataDir();
  let app = await launch({ dataDir });
  await openNote(app, NOTE);
  await press(app, 'j');
  await press(app, 'j');
  const { id } = await topQuestion(app);
  assert.ok(id, 'j moved to a question');
  await press(app, 'b');
  await app.$('[data-testid="bookmark"]').waitForExist({ timeout: 5_000 });
  const title = await app.$('[data-testid="bookmark"] .title').getText();
  await quit(app);

  app = await launch({ dataDir });
  try {
    const bookmarks = await app.$$('[data-testid="bookmark"] .title').map((e) => e.getText());
    assert.deepEqual(bookmarks, [title], 'the one bookmark is listed again after the restart');
  } finally {
    await quit(app);
  }
});

test('the reading position of a note survives an app restart', async () => {
  const dataDir = freshDataDir();
  let app = await launch({ dataDir });
  await openNote(app, NOTE);
  for (let i = 0; i < 7; i += 1) await press(app, 'j');
  const before = await topQuestion(app);
  assert.ok(before.scrollTop > 500, 'the reader scrolled well into the note');
  // The position is saved a moment after scrolling stops.
  await app.pause(900);
  await quit(app);

  app = await launch({ dataDir });
  try {
    await openNote(app, NOTE);
    await app.waitUntil(async () => (await topQuestion(app)).id === before.id, {
      timeout: 5_000,
      timeoutMsg: `the reader did not come back to ${before.id}`,
    });
    const after = await topQuestion(app);
    assert.ok(Math.abs(after.scrollTop - before.scrollTop) < 40, `same scroll offset (${before.scrollTop} → ${after.scrollTop})`);
  } finally {
    await quit(app);
  }
});

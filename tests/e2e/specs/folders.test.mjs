// A person's own folder of notes: added in the settings by typing its path,
// kept across a restart, its images shown and its links followed in the
// reader, its edits and renames on disk followed without a restart, and
// removed again.

import assert from 'node:assert/strict';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../support/paths.mjs';
import { freshDataDir, launch, openNote, press, quit, screenshot, temporaryFolder, type } from '../support/app.mjs';

const FIXTURE = join(REPO, 'tests/fixtures/linked');
const NOTE = 'design.md';
const LINKED = 'storage/buckets.md';
const RENAMED = 'system-design.md';

/** A copy of the fixture folder the test may edit. */
function ownFolder() {
  const parent = temporaryFolder('rehearse-e2e-own-');
  const folder = join(parent, 'interview-notes');
  cpSync(FIXTURE, folder, { recursive: true });
  return folder;
}

async function openSettings(app) {
  await app.$('[data-testid="open-settings"]').click();
  await app.$('[data-testid="folders-panel"] [data-testid="folder-row"]').waitForExist({ timeout: 10_000 });
}

/** Types `path` into the folders panel and adds it. */
async function addByPath(app, path) {
  const input = app.$('[data-testid="folder-path"]');
  await input.click();
  await type(app, path);
  await app.$('[data-testid="folder-add"]').click();
}

function rowOf(app, noteId) {
  return app.$(`[data-testid="note-row"][data-note="${noteId}"]`);
}

async function readerText(app) {
  return app.$('[data-testid="note"]').getText();
}

test('a folder added in the settings shows its notes, images and links, follows edits on disk, and goes when removed', async () => {
  const folder = ownFolder();
  const dataDir = freshDataDir();
  // No --notes: the folders are the ones chosen in the app.
  let app = await launch({ dataDir, notes: [] });
  try {
    await openSettings(app);
    const bundled = await app.$$('[data-testid="folder-row"]').map((row) => row.getAttribute('data-bundled'));
    assert.deepEqual(bundled, ['true'], 'a new library lists the bundled notes only');

    await addByPath(app, join(folder, 'no-such-folder'));
    const refusal = app.$('[data-testid="folders-error"]');
    await refusal.waitForExist({ timeout: 5_000 });
    assert.match(await refusal.getText(), /does not exist or is not a folder/);

    await app.$('[data-testid="folder-path"]').clearValue();
    await addByPath(app, folder);
    await rowOf(app, NOTE).waitForExist({ timeout: 30_000, timeoutMsg: 'the added folder’s note is not in the sidebar' });
    const added = app.$(`[data-testid="folder-row"][data-path="${folder}"]`);
    await added.waitForExist({ timeout: 10_000 });
    assert.equal(await added.$('[data-testid="folder-count"]').getText(), '2 notes');
    assert.ok(await rowOf(app, 'golang-deltas.md').isExisting(), 'the bundled notes are still there');
    await screenshot(app, 'folders');
    await press(app, 'Escape');
    await quit(app);

    // The folder is kept in the store: a restart reads it again.
    app = await launch({ dataDir, notes: [] });
    await rowOf(app, NOTE).waitForExist({ timeout: 30_000, timeoutMsg: 'the folder was not restored after a restart' });

    await openNote(app, NOTE);
    const loaded = () => {
      const img = document.querySelector('[data-testid="note"] img');
      return img !== null && img.complete && img.naturalWidth > 0;
    };
    await app.waitUntil(async () => app.execute(loaded), {
      timeout: 10_000,
      timeoutMsg: 'the image beside the note did not load',
    });
    const remote = app.$('[data-testid="note"] [data-remote-image]');
    assert.equal(await remote.getAttribute('data-remote-image'), 'https://example.com/architecture.png');
    assert.equal(await app.$$('[data-testid="note"] img').length, 1, 'the remote image is not loaded');
    await app.execute(() => document.querySelector('[data-testid="note"] a[data-note]').scrollIntoView({ block: 'center' }));
    await screenshot(app, 'note-links');

    await app.$('[data-testid="note"] a[data-note]').click();
    await app.$(`[data-testid="note"][data-note="${LINKED}"] .question`).waitForExist({ timeout: 10_000 });
    // The note is short: the heading cannot reach the top, so it is found
    // in view and marked as where the link arrived.
    const arrived = () => {
      const heading = [...document.querySelectorAll('.question')].find((q) => q.id.endsWith('/object-versioning'));
      const view = document.querySelector('[data-testid="reader-scroll"]').getBoundingClientRect();
      const at = heading?.getBoundingClientRect();
      return Boolean(heading?.classList.contains('is-arrived') && at.top >= view.top && at.bottom <= view.bottom);
    };
    await app.waitUntil(async () => app.execute(arrived), {
      timeout: 5_000,
      timeoutMsg: 'the link did not land on the “Object versioning” heading',
    });
    await app.$('[data-testid="reader-back"]').click();
    await app.$(`[data-testid="note"][data-note="${NOTE}"] .question`).waitForExist({ timeout: 10_000 });

    // While the model for search by meaning embeds the new folder for the
    // first time (a minute on a busy machine), updates wait for it: let it
    // finish, as the palette tells.
    await press(app, 'Control', 'k');
    const meaning = app.$('[data-testid="meaning-state"]');
    await app.waitUntil(async () => (await meaning.getAttribute('data-state')) === 'ready', {
      timeout: 240_000,
      interval: 500,
      timeoutMsg: 'search by meaning never became ready',
    });
    await press(app, 'Escape');

    // Edited in another editor while it is open.
    const path = join(folder, NOTE);
    writeFileSync(path, readFileSync(path, 'utf8').replace('When reads far outnumber writes', 'Edited on disk: when reads dominate'));
    await app.waitUntil(async () => (await readerText(app)).includes('Edited on disk: when reads dominate'), {
      timeout: 10_000,
      timeoutMsg: 'the reader did not show the edit made on disk',
    });

    // Renamed in the file manager while it is open: the reader goes with it.
    renameSync(path, join(folder, RENAMED));
    await app.$(`[data-testid="note"][data-note="${RENAMED}"] .question`).waitForExist({
      timeout: 10_000,
      timeoutMsg: 'the reader did not follow the note to its new name',
    });
    assert.ok((await readerText(app)).includes('Edited on disk: when reads dominate'), 'the renamed note shows its text');
    assert.equal(await app.$('[data-testid="note-gone"]').isExisting(), false, 'a renamed note is not said to be gone');
    await rowOf(app, RENAMED).waitForExist({ timeout: 10_000 });

    // Deleted while the sidebar lists it.
    rmSync(join(folder, LINKED));
    await rowOf(app, LINKED).waitForExist({ reverse: true, timeout: 30_000, timeoutMsg: 'a deleted note stayed in the sidebar' });

    await openSettings(app);
    await app.$(`[data-testid="folder-row"][data-path="${folder}"] [data-testid="folder-remove"]`).click();
    await rowOf(app, RENAMED).waitForExist({ reverse: true, timeout: 30_000, timeoutMsg: 'the removed folder’s notes stayed' });
    await app.$('[data-testid="folders-panel"]').waitForExist({ timeout: 10_000 });
    assert.deepEqual(
      await app.$$('[data-testid="folder-row"]').map((row) => row.getAttribute('data-bundled')),
      ['true'],
      'only the bundled notes are left',
    );
    assert.ok(await rowOf(app, 'golang-deltas.md').isExisting());
  } finally {
    await quit(app);
  }
});

test('folders given with --notes are shown in the settings but cannot be changed there', async () => {
  const folder = ownFolder();
  const app = await launch({ dataDir: freshDataDir(), notes: [folder] });
  try {
    await openSettings(app);
    await app.$('[data-testid="folders-from-cli"]').waitForExist({ timeout: 5_000 });
    assert.equal(await app.$('[data-testid="folder-path"]').isExisting(), false, 'no way to add a folder');
    assert.equal(await app.$('[data-testid="folder-remove"]').isExisting(), false, 'no way to remove one');
    assert.equal(await app.$('[data-testid="folder-count"]').getText(), '2 notes');
  } finally {
    await quit(app);
  }
});

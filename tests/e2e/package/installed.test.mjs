// The app installed from the .deb, started with no --notes from a folder
// outside the clone, lists the notes it ships with. tests/package/run.sh
// installs the package and runs this with REHEARSE_APP=/usr/bin/rehearse-app;
// it is not in specs/, so the ordinary end-to-end run leaves it out.

import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { freshDataDir, launch, processByName, quit } from '../support/app.mjs';
import { APP, BUNDLED_NOTES, REPO } from '../support/paths.mjs';

let app;
before(async () => (app = await launch({ dataDir: freshDataDir(), notes: [] })));
after(async () => app && (await quit(app)));

test('the installed app runs from the install, outside the clone', () => {
  assert.ok(!APP.startsWith(REPO), `the app under test is the installed one, not a build in the clone: ${APP}`);
  const running = processByName('rehearse-app');
  assert.ok(running, 'rehearse-app is running');
  assert.equal(readlinkSync(`/proc/${running.pid}/exe`), APP);
  const cwd = readlinkSync(`/proc/${running.pid}/cwd`);
  assert.ok(!`${cwd}/`.startsWith(REPO), `its working directory is outside the clone: ${cwd}`);
});

test('without --notes it lists the five notes the package ships', async () => {
  const shipped = readdirSync(BUNDLED_NOTES).filter((f) => f.endsWith('.md')).sort();
  assert.equal(shipped.length, 5, 'five notes ship with Rehearse');
  const rows = await app.$$('[data-testid="note-row"]').map((e) => e.getAttribute('data-note'));
  assert.deepEqual([...rows].sort(), shipped, 'the sidebar lists every bundled note');
  const cards = await app.$$('[data-testid="library-note"]');
  assert.equal(cards.length, 5, 'the home page shows one card per note');
});

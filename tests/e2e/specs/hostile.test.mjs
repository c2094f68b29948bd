// A note is data, never code: the hostile fixture's scripts, event handlers
// and javascript: links must not run, whatever the user clicks.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshDataDir, launch, openNote, quit } from '../support/app.mjs';
import { HOSTILE_NOTES } from '../support/paths.mjs';

let app;
before(async () => (app = await launch({ dataDir: freshDataDir(), notes: [HOSTILE_NOTES] })));
after(async () => app && (await quit(app)));

test('the hostile note renders without running any of its scripts', async () => {
  await openNote(app, 'hostile.md');
  const page = await app.execute(() => {
    const note = document.querySelector('[data-testid="note"]');
    return {
      pwned: typeof window.__pwned,
      scripts: note.querySelectorAll('script, iframe, object, embed, form').length,
      handlers: [...note.querySelectorAll('*')].flatMap((e) => e.getAttributeNames().filter((a) => a.startsWith('on'))),
      jsLinks: [...note.querySelectorAll('a[href]')].filter((a) => /^\s*(javascript|data|vbscript):/i.test(a.getAttribute('href'))).length,
    };
  });
  assert.equal(page.pwned, 'undefined', 'no script of the note set its global');
  assert.equal(page.scripts, 0, 'no script, frame, object or form element survived sanitizing');
  assert.deepEqual(page.handlers, [], 'no inline event handler attribute survived');
  assert.equal(page.jsLinks, 0, 'no javascript:/data: link survived');
});

test('clicking every link in the note runs nothing and keeps the app on its page', async () => {
  const location = await app.execute(() => window.location.href);
  for (const link of await app.$$('[data-testid="note"] a')) {
    const href = await link.getAttribute('href');
    if (/^https?:/.test(href ?? '')) continue; // would open the system browser
    await link.click();
  }
  await app.pause(300);
  assert.equal(await app.execute(() => typeof window.__pwned), 'undefined');
  assert.equal(await app.execute(() => window.location.href), location, 'the page did not navigate away');
});

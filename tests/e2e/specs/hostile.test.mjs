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

test('the content security policy refuses inline and eval’d script even if one got in', async () => {
  const result = await app.execute(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__pwned = "inline script"';
    document.body.append(script);
    let evaluated = false;
    try {
      evaluated = window.eval('true');
    } catch {
      // EvalError: refused by the CSP
    }
    return { pwned: typeof window.__pwned, evaluated };
  });
  assert.equal(result.pwned, 'undefined', 'an inline script added to the page did not run');
  assert.equal(result.evaluated, false, 'eval is refused');
});

test('the page may call only Rehearse’s own commands, and open only web links', async (t) => {
  const outcome = await app.executeAsync(async (done) => {
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const attempt = (cmd, args) => invoke(cmd, args).then(() => 'allowed', (e) => `refused: ${e}`);
    done({
      own: await attempt('list_bookmarks'),
      window: await attempt('plugin:window|close', { label: 'main' }),
      path: await attempt('plugin:path|resolve_directory', { directory: 11 }),
      file: await attempt('plugin:opener|open_url', { url: 'file:///etc/passwd' }),
      script: await attempt('plugin:opener|open_url', { url: 'javascript:alert(1)' }),
    });
  });
  assert.equal(outcome.own, 'allowed', 'Rehearse’s own commands work');
  for (const name of ['window', 'path', 'file', 'script']) {
    assert.match(outcome[name], /^refused/, `${name}: ${outcome[name]}`);
    t.diagnostic(`${name}: ${outcome[name]}`);
  }
});

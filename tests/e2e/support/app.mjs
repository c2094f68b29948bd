// Launching the real app through tauri-driver, each test on its own data dir,
// and the few page interactions every spec needs.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';
import { APP, BUNDLED_NOTES, DRIVER_PORT, SCREENSHOTS } from './paths.mjs';

const temporary = [];
// A spec runs in a process of its own: when it ends, so do its folders (the
// app it drove has quit by then).
process.on('exit', () => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});

/** A new, empty folder under the system's temporary one, removed when the
 * spec's process ends. */
export function temporaryFolder(prefix) {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(folder);
  return folder;
}

/** A new, empty data dir: no index, no bookmarks, no preferences. */
export function freshDataDir() {
  return temporaryFolder('rehearse-e2e-');
}

/** Starts the app on `notes` with `dataDir` and waits for the library (or
 * for what `waitFor` selects). */
export async function launch({ dataDir, notes = [BUNDLED_NOTES], waitFor = '[data-testid="sidebar"]' }) {
  const args = [...notes.flatMap((dir) => ['--notes', dir]), '--data', dataDir];
  const app = await remote({
    hostname: '127.0.0.1',
    port: DRIVER_PORT,
    logLevel: 'error',
    connectionRetryCount: 0,
    capabilities: { 'tauri:options': { application: APP, args } },
  });
  await app.$(waitFor).waitForDisplayed({ timeout: 60_000 });
  return app;
}

/** Closes the app the way a user closing the window would. */
export async function quit(app) {
  await app.deleteSession();
}

export async function noteTitles(app) {
  return app.execute(() => [...document.querySelectorAll('[data-testid="note-row"] .note-title')].map((e) => e.textContent));
}

export async function openNote(app, noteId) {
  await app.$(`[data-testid="note-row"][data-note="${noteId}"] .label-button`).click();
  await app.$(`[data-testid="note"][data-note="${noteId}"] .question`).waitForExist({ timeout: 10_000 });
}

export async function press(app, ...keys) {
  await app.keys(keys);
}

/** Types text one key at a time, as a person would. */
export async function type(app, text) {
  for (const key of text) await app.keys(key);
}

/** Opens the palette and types `query` into its search. */
export async function searchFor(app, query) {
  await press(app, 'Control', 'k');
  await app.$('[data-testid="search-input"]').waitForDisplayed({ timeout: 5_000 });
  await type(app, query);
}

/** Opens the selected hit of the palette with Enter and waits until the
 * reader, done loading, shows the section `id`: where it sits in the view,
 * and the words marked. */
export async function openHit(app, id, timeout = 5_000) {
  await press(app, 'Enter');
  await app.$('[data-testid="palette"]').waitForExist({ reverse: true, timeout: 5_000 });
  return app.waitUntil(
    () =>
      app.execute((id) => {
        const block = document.getElementById(id);
        if (!block || !document.querySelector('[data-testid="note"][aria-busy="false"]')) return null;
        const box = block.getBoundingClientRect();
        const marks = [...document.querySelectorAll('mark.hit')].map((m) => m.textContent);
        return { top: box.top, height: window.innerHeight, marks };
      }, id),
    { timeout, timeoutMsg: `the reader never showed ${id}` },
  );
}

export async function screenshot(app, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let transitions and fonts settle so the picture is what a person sees.
  await app.pause(400);
  // WebKit takes the snapshot at the next paint, and a page where nothing
  // moves (no caret, no timer; the mock interview's summary) never paints
  // again: the request hangs. A pixel that flickers, unseen, for a few
  // seconds gives it that paint.
  await app.execute(() => {
    const pixel = document.createElement('i');
    Object.assign(pixel.style, { position: 'fixed', left: '0', top: '0', width: '1px', height: '1px', opacity: '0.01', pointerEvents: 'none' });
    document.body.append(pixel);
    let flips = 0;
    const timer = setInterval(() => {
      pixel.style.background = flips % 2 ? 'black' : 'white';
      if (++flips > 30) {
        clearInterval(timer);
        pixel.remove();
      }
    }, 100);
  });
  await app.saveScreenshot(join(SCREENSHOTS, `${name}.png`));
}

/** The question heading nearest the top of the reader. */
export async function topQuestion(app) {
  return app.execute(() => {
    const scroller = document.querySelector('[data-testid="reader-scroll"]');
    const top = scroller.getBoundingClientRect().top;
    let best = null;
    for (const q of document.querySelectorAll('.question')) {
      const offset = q.getBoundingClientRect().top - top;
      if (offset > 120) break;
      best = q.id;
    }
    return { id: best, scrollTop: scroller.scrollTop };
  });
}

/** The newest running process with this command name; given `parent`, a
 * child of it; given `arg`, one started with that argument (another app may
 * be running beside the one measured). */
export function processByName(name, parent, arg) {
  let best = null;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const start = Number(fields[19]);
      if (comm !== name || (parent !== undefined && ppid !== parent)) continue;
      if (arg !== undefined && !readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(arg)) continue;
      if (!best || start > best.start) best = { pid: Number(entry), start };
    } catch {
      // the process ended while we looked
    }
  }
  return best;
}

/** Resident memory of a process in MiB. */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * Proportional set size: pages shared with other processes count in part.
 * The app and its WebKit process map the same libraries (libLLVM,
 * libwebkit2gtk, libjavascriptcore: about 80 MiB); summing their RSS counts
 * those twice, summing their PSS once.
 */
export function pssMiB(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? NaN);
  return kb / 1024;
}

/** When a process started, in ms since the epoch (10 ms resolution). */
export function processStartEpochMs(start) {
  const btime = Number(/btime (\d+)/.exec(readFileSync('/proc/stat', 'utf8'))[1]);
  const ticksPerSecond = 100; // USER_HZ on Linux
  return btime * 1000 + (start / ticksPerSecond) * 1000;
}

// Figures to report, not to assert: launch to library, keystroke to results,
// and the memory of the app and of its WebKit web process. On the bundled
// notes by default; REHEARSE_MEASURE_NOTES (folders separated by `:`) measures
// other libraries, one after the other (scripts/measure-window does the three
// of docs/benchmarks.md).

import { test } from 'node:test';
import { freshDataDir, launch, openNote, press, processByName, processStartEpochMs, pssMiB, quit, rssMiB } from '../support/app.mjs';

/** Exec of the app process to the library painted (the UI marks the moment
 * with the User Timing API), and where that time went. */
async function launchToLibrary(app, dataDir) {
  const process = processByName('rehearse-app', undefined, dataDir);
  const marks = await app.execute(() =>
    Object.fromEntries(
      ['library-asked', 'library-received', 'library-visible'].map((name) => {
        const mark = performance.getEntriesByName(name)[0];
        return [name, mark ? performance.timeOrigin + mark.startTime : null];
      }),
    ),
  );
  const visibleAt = marks['library-visible'];
  const total = visibleAt === null || !process ? NaN : visibleAt - processStartEpochMs(process.start);
  const split =
    marks['library-asked'] && marks['library-received'] && visibleAt
      ? `page up and asking ${(total - (visibleAt - marks['library-asked'])).toFixed(0)} ms, opening and sending the library ${(marks['library-received'] - marks['library-asked']).toFixed(0)} ms, drawing it ${(visibleAt - marks['library-received']).toFixed(0)} ms`
      : 'no split (an older build)';
  return { total, split };
}

const QUERIES = ['goroutine', 'sync.WaitGroup', 'kubernetis', 'docker compose', 'channel buffered', 'mutex'];

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms over ${values.length} keystrokes`;
}

const LIBRARIES = process.env.REHEARSE_MEASURE_NOTES?.split(':').filter(Boolean) ?? [null];

for (const library of LIBRARIES) {
  test(`measure: launch to library, keystroke to results, resident memory (${library ?? 'bundled notes'})`, async (t) => {
    await measure(t, library);
  });
}

async function measure(t, library) {
  const dataDir = freshDataDir();
  const notes = library ? { notes: [library] } : {};
  let app = await launch({ dataDir, ...notes });
  const { total: first } = await launchToLibrary(app, dataDir);
  await quit(app);

  app = await launch({ dataDir, ...notes });
  try {
    const { total: warm, split } = await launchToLibrary(app, dataDir);
    t.diagnostic(`launch to library visible: first start (builds the index) ${first.toFixed(0)} ms, next start ${warm.toFixed(0)} ms`);
    t.diagnostic(`  next start: ${split}`);

    await press(app, 'Control', 'k');
    await app.$('[data-testid="search-input"]').waitForDisplayed();
    const latencies = [];
    const coreMs = [];
    const slowest = [];
    const empty = [];
    for (const query of QUERIES) {
      await app.execute(() => {
        const input = document.querySelector('[data-testid="search-input"]');
        input.value = '';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      let typed = '';
      for (const key of query) {
        typed += key;
        await app.keys(key);
        const result = await app.waitUntil(
          () =>
            app.execute((query) => {
              const list = document.querySelector('[data-testid="search-results"]');
              return list?.dataset.latencyQuery === query
                ? { ms: Number(list.dataset.latency), tookUs: Number(list.dataset.tookUs) }
                : false;
            }, typed),
          { timeout: 5_000, interval: 20 },
        ).catch(() => null);
        if (result === null) {
          empty.push(typed); // nothing matched: no list to time
          continue;
        }
        latencies.push(result.ms);
        coreMs.push(result.tookUs / 1000);
        slowest.push([result.ms, typed]);
      }
    }
    t.diagnostic(`keystroke to results rendered: ${summary(latencies)}${empty.length ? ` (no results for: ${empty.join(', ')})` : ''}`);
    t.diagnostic(`  of which the core's search: ${summary(coreMs)}`);
    slowest.sort((a, b) => b[0] - a[0]);
    t.diagnostic(`  slowest: ${slowest.slice(0, 4).map(([ms, q]) => `“${q}” ${ms.toFixed(0)} ms`).join(', ')}`);

    // Memory with a note open: the largest bundled one, read from top to
    // bottom; in another library, the first in the list.
    await press(app, 'Escape');
    const note = library
      ? await app.execute(() => document.querySelector('[data-testid="note-row"]')?.dataset.note)
      : 'sde2-notes.md';
    if (note && library) {
      // Any note of another library: it may have no question to wait for.
      await app.$(`[data-testid="note-row"][data-note="${note}"] .label-button`).click();
      await app.$(`[data-testid="note"][data-note="${note}"][aria-busy="false"]`).waitForExist({ timeout: 10_000 });
    } else if (note) await openNote(app, note);
    for (let i = 0; i < 40; i += 1) await press(app, 'j');
    await app.pause(1_000);
    const appProcess = processByName('rehearse-app', undefined, dataDir);
    const web = appProcess && processByName('WebKitWebProces', appProcess.pid);
    const network = appProcess && processByName('WebKitNetworkPr', appProcess.pid);
    const both = (pid) => `${rssMiB(pid).toFixed(0)} MiB (PSS ${pssMiB(pid).toFixed(0)})`;
    const pss = [appProcess, web, network].filter(Boolean).reduce((sum, p) => sum + pssMiB(p.pid), 0);
    t.diagnostic(
      `resident memory with the largest note open, RSS (PSS): app ${both(appProcess.pid)}, WebKitWebProcess ${web ? both(web.pid) : '?'}` +
        (network ? `, WebKitNetworkProcess ${both(network.pid)}` : '') +
        `; all together, PSS ${pss.toFixed(0)} MiB`,
    );
  } finally {
    await quit(app);
  }
}

test('measure: autosave, from a pause in typing to the answer shown as saved', async (t) => {
  if (process.env.REHEARSE_MEASURE_NOTES) return; // the bundled notes' card
  const app = await launch({ dataDir: freshDataDir() });
  try {
    await openNote(app, 'golang-deltas.md');
    await app.$('[data-practise="golang-deltas.md#module-1-golang/goroutine-vs-thread"]').click();
    await app.$('[data-testid="answer-editor"]').waitForDisplayed({ timeout: 10_000 });
    const commits = [];
    for (const word of ['Goroutines ', 'are ', 'cheap ', 'green ', 'threads ', 'run ', 'by ', 'the ', 'Go ', 'runtime. ', 'They ']) {
      for (const key of word) await app.keys(key);
      // Timed in the page: from the save starting (the editor's pause is
      // over) to the store's commit shown.
      const commit = await app.executeAsync((done) => {
        const state = document.querySelector('[data-testid="save-state"]');
        let saving = state.dataset.state === 'saving' ? performance.now() : null;
        // A save over before this ran (a slow round trip) is not counted.
        const giveUp = setTimeout(() => {
          observer.disconnect();
          done(null);
        }, 3_000);
        const observer = new MutationObserver(() => {
          const now = performance.now();
          if (state.dataset.state === 'saving' && saving === null) saving = now;
          if (state.dataset.state === 'saved' && saving !== null) {
            observer.disconnect();
            clearTimeout(giveUp);
            done(now - saving);
          }
        });
        observer.observe(state, { attributes: true, attributeFilter: ['data-state'] });
      });
      if (commit !== null) commits.push(commit);
    }
    if (commits.length === 0) return t.diagnostic('autosave: no save was caught in the act');
    const pauses = (values) => summary(values).replace('keystrokes', 'pauses');
    // The time before the save starts is the editor's 400 ms pause plus
    // WebDriver's round trip after the last key, so only the save is timed.
    t.diagnostic(`autosave, after the editor's 400 ms pause: the save (IPC and the store's commit) until "Saved" shows: ${pauses(commits)}`);
  } finally {
    await quit(app);
  }
});

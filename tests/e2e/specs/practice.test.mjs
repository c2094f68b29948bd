// Practising as a person does it, by keys and clicks: answer a question from
// memory (the answer survives the app being killed), reveal it beside the
// reference, grade it, sit a mock interview, find an answer again through
// search, and look at the progress charts.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { APP, BUNDLED_NOTES } from '../support/paths.mjs';
import { freshDataDir, launch, openNote, press, processByName, quit, screenshot, type } from '../support/app.mjs';

const NOTE = 'golang-deltas.md';
const GOROUTINES = 'golang-deltas.md#module-1-golang/goroutine-vs-thread';
const CLI = join(APP, '..', 'rehearse');

const ANSWER =
  'Goroutines are managed by the Go runtime, not the OS kernel, and start with a small stack that grows as needed. ';

/** Opens the note and moves with `j` until the question `id` is at the top. */
async function goToQuestion(app, id) {
  await openNote(app, NOTE);
  for (let i = 0; i < 30; i += 1) {
    const top = await app.execute(() => {
      const scroller = document.querySelector('[data-testid="reader-scroll"]');
      const limit = scroller.getBoundingClientRect().top + 120;
      let best = null;
      for (const q of document.querySelectorAll('.question')) {
        if (q.getBoundingClientRect().top > limit) break;
        best = q.id;
      }
      return best;
    });
    if (top === id) return;
    await press(app, 'j');
  }
  throw new Error(`j never reached ${id}`);
}

async function practiceCard(app) {
  const view = app.$('[data-testid="practice"]');
  await view.waitForDisplayed({ timeout: 10_000 });
  return view.getAttribute('data-card');
}

async function editorText(app) {
  return app.execute(() => document.querySelector('[data-testid="answer-editor"]')?.innerText ?? null);
}

/** Types into the focused editor and waits until the app says it saved. */
async function typeAnswer(app, text) {
  await app.$('[data-testid="answer-editor"]').waitForDisplayed({ timeout: 10_000 });
  await type(app, text);
  await app.waitUntil(async () => (await app.$('[data-testid="save-state"]').getAttribute('data-state')) === 'saved', {
    timeout: 5_000,
    timeoutMsg: 'the answer was never shown as saved',
  });
}

async function dueCount(app) {
  return Number(await app.$('[data-testid="due-count"]').getText());
}

/** What a person would see after the reviews come due: reviews given now
 * through the CLI, then their due times moved into the past. */
function reviewsDueNow(dataDir, ids) {
  for (const id of ids) {
    execFileSync(CLI, ['--notes', BUNDLED_NOTES, '--data', dataDir, 'review', id, 'again'], { stdio: 'ignore' });
  }
  execFileSync('python3', [
    '-c',
    'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("UPDATE reviews SET due_at = reviewed_at - 60000"); c.commit()',
    join(dataDir, 'rehearse.sqlite3'),
  ]);
}

test('an answer typed in practice is still there after the app is killed', async () => {
  const dataDir = freshDataDir();
  let app = await launch({ dataDir });
  try {
    await goToQuestion(app, GOROUTINES);
    await press(app, 'p');
    assert.equal(await practiceCard(app), GOROUTINES, 'p opened the question at the top of the reader');
    assert.equal(
      await app.$('[data-testid="practice-question"]').getText(),
      'Goroutine vs Thread',
      'the question is shown',
    );
    assert.equal(await app.$('[data-testid="reveal"]').isExisting(), false, 'the reference stays hidden while writing');
    await typeAnswer(app, ANSWER);
    assert.match(await app.$('[data-testid="save-state"]').getText(), /^Saved \d{1,2}:\d{2}/);
    assert.equal(await app.$('[data-testid="word-count"]').getText(), '21 words');
    await screenshot(app, 'practice');

    const running = processByName('rehearse-app', undefined, dataDir);
    assert.ok(running, 'the app process is running');
    process.kill(running.pid, 'SIGKILL');
  } finally {
    await app.deleteSession().catch(() => {});
  }

  app = await launch({ dataDir });
  try {
    await goToQuestion(app, GOROUTINES);
    await press(app, 'p');
    await practiceCard(app);
    await app.waitUntil(async () => (await editorText(app))?.includes('small stack that grows'), {
      timeout: 5_000,
      timeoutMsg: 'the answer typed before the kill is not in the editor',
    });
    assert.equal((await editorText(app)).trim(), ANSWER.trim());
  } finally {
    await quit(app);
  }
});

test('Ctrl+Enter reveals the ideas covered and missed, and a grade lowers the due count', async () => {
  const dataDir = freshDataDir();
  const second = 'golang-deltas.md#module-1-golang/wait-for-goroutine-completion';
  reviewsDueNow(dataDir, [GOROUTINES, second]);
  const app = await launch({ dataDir });
  try {
    await app.waitUntil(async () => (await dueCount(app)) === 2, { timeout: 5_000, timeoutMsg: 'the sidebar never showed 2 due' });
    await app.$('[data-testid="practise-due"]').click();
    assert.equal(await practiceCard(app), GOROUTINES, 'the card due first opens');
    assert.match(await app.$('[data-testid="also-in"]').getText(), /Also in/, 'the same question in other notes is named');
    await typeAnswer(app, ANSWER);
    await press(app, 'Control', 'Enter');
    const reveal = app.$('[data-testid="reveal"]');
    await reveal.waitForDisplayed({ timeout: 15_000 });

    const statuses = await app.$$('[data-testid="idea"]').map((e) => e.getAttribute('data-status'));
    assert.ok(statuses.includes('covered') || statuses.includes('partly'), `some idea is covered: ${statuses}`);
    assert.ok(statuses.includes('missed'), `some idea is missed: ${statuses}`);
    const score = Number(await app.$('[data-testid="score"] .number').getText());
    assert.ok(score > 0 && score < 100, `a score between 0 and 100: ${score}`);
    assert.ok((await app.$('[data-testid="explanation"]').getText()).length > 20, 'the score is explained');
    assert.ok((await app.$$('[data-testid="reveal-reference"] mark').length) > 0, 'key terms are marked in the reference');
    assert.ok((await app.$$('[data-testid="reveal-answer"] mark').length) > 0, 'key terms are marked in the answer');
    const tabs = await app.$$('[data-testid="reference-tab"]').length;
    assert.ok(tabs >= 2, 'the reveal offers the reference of each note that asks the same question');
    const intervals = await app.$$('[data-testid="grades"] .next').map((e) => e.getText());
    assert.equal(intervals.length, 4);
    assert.ok(intervals.every((t) => /\d/.test(t)), `each grade shows its next interval: ${intervals}`);
    await screenshot(app, 'reveal');

    await press(app, '3');
    await app.waitUntil(async () => (await dueCount(app)) === 1, { timeout: 5_000, timeoutMsg: 'grading Good did not lower the due count to 1' });
    await app.waitUntil(async () => (await practiceCard(app)) === second, {
      timeout: 5_000,
      timeoutMsg: 'the next due card did not open',
    });
    await press(app, 'Escape');
    await app.$('[data-testid="practice"]').waitForExist({ reverse: true, timeout: 5_000 });

    await app.$('[data-testid="open-progress"]').click();
    for (const chart of ['chart-coverage', 'chart-heatmap', 'chart-forecast', 'chart-scores']) {
      await app.$(`[data-testid="${chart}"] canvas`).waitForExist({ timeout: 10_000 });
    }
    await screenshot(app, 'progress');
  } finally {
    await quit(app);
  }
});

test('a mock interview of three cards ends in a summary of scores, missed ideas and time', async () => {
  const app = await launch({ dataDir: freshDataDir() });
  try {
    await app.$('[data-testid="open-mock"]').click();
    const count = app.$('[data-testid="session-count"]');
    await count.waitForDisplayed();
    assert.equal(await count.getValue(), '3');
    await app.$('[data-testid="start-session"]').click();
    for (let i = 0; i < 3; i += 1) {
      await practiceCard(app);
      assert.equal(await app.$('[data-testid="session-progress"]').getText(), `${i + 1} of 3`);
      assert.ok(await app.$('[data-testid="countdown"]').isDisplayed(), 'each card has a countdown');
      assert.equal(await app.$('[data-testid="reveal"]').isExisting(), false, 'no reveal before the end');
      await typeAnswer(app, `Goroutines and channels, answer ${i + 1}.`);
      await press(app, 'Control', 'Enter');
      if (i < 2) await app.$(`[data-testid="session-progress"]=${i + 2} of 3`).waitForExist({ timeout: 5_000 });
    }
    const summary = app.$('[data-testid="mock-summary"]');
    await summary.waitForDisplayed({ timeout: 15_000 });
    assert.equal(await app.$$('[data-testid="mock-row"]').length, 3, 'one row per question');
    assert.equal(await app.$$('[data-testid="mock-score"]').length, 3, 'every answer has a score');
    await screenshot(app, 'mock-summary');
  } finally {
    await quit(app);
  }
});

test('an answer of your own is found by search and opens in practice', async () => {
  const app = await launch({ dataDir: freshDataDir() });
  try {
    await goToQuestion(app, GOROUTINES);
    await app.$('[data-testid="practise-current"]').click();
    await practiceCard(app);
    await typeAnswer(app, 'I would explain it with a zebracorn analogy.');
    await press(app, 'Escape');
    await app.$('[data-testid="practice"]').waitForExist({ reverse: true, timeout: 5_000 });

    await press(app, 'Control', 'k');
    await app.$('[data-testid="search-input"]').waitForDisplayed();
    await type(app, 'zebracorn');
    const hit = app.$('[data-testid="draft-hit"]');
    await hit.waitForDisplayed({ timeout: 5_000 });
    assert.match(await hit.getText(), /Your answer/);
    assert.equal(await hit.getAttribute('data-id'), GOROUTINES);
    assert.match(await hit.$('mark').getText(), /zebracorn/i);
    await press(app, 'Enter');
    assert.equal(await practiceCard(app), GOROUTINES, 'Enter opens the answer in practice');
  } finally {
    await quit(app);
  }
});

// Runs the end-to-end tests: starts tauri-driver (which starts WebKitWebDriver,
// which starts the app for each session), waits until it answers, runs every
// spec with node's test runner one at a time, and stops tauri-driver with
// SIGTERM — SIGKILL would orphan WebKitWebDriver and hang the caller.
//
//   REHEARSE_APP=/abs/path/to/rehearse-app node run.mjs
//
// Needs a display (run it under xvfb-run).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { APP, DRIVER_PORT, NATIVE_PORT, driverBinary } from './support/paths.mjs';

if (!existsSync(APP)) {
  console.error(`The app is not built at ${APP}: run \`cargo build --release -p rehearse-app\` first.`);
  process.exit(2);
}
if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error('There is no display: run the end-to-end tests under xvfb-run.');
  process.exit(2);
}

const driver = spawn(driverBinary(), ['--port', String(DRIVER_PORT), '--native-port', String(NATIVE_PORT)], { stdio: ['ignore', 'inherit', 'inherit'] });
let driverExited = false;
driver.on('exit', () => (driverExited = true));

async function waitForDriver() {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (driverExited) throw new Error('tauri-driver exited before it was ready.');
    try {
      // A TCP connect is not enough: the status endpoint answers only once
      // tauri-driver can reach WebKitWebDriver.
      const response = await fetch(`http://127.0.0.1:${DRIVER_PORT}/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`tauri-driver did not answer on port ${DRIVER_PORT} within 30 s.`);
}

let code = 1;
try {
  await waitForDriver();
  const specs = process.argv.slice(2);
  const child = spawn(
    process.execPath,
    ['--test', '--test-concurrency=1', '--test-reporter=spec', ...(specs.length ? specs : ['specs/'])],
    { stdio: 'inherit', cwd: fileURLToPath(new URL('.', import.meta.url)) },
  );
  code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  driver.kill('SIGTERM');
  await new Promise((resolve) => (driverExited ? resolve() : driver.on('exit', resolve)));
}
process.exit(code);

// Where things are: the app under test, the repository, the fixtures and the
// screenshots folder. Overridable through the environment for other layouts.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const APP = resolve(process.env.REHEARSE_APP ?? join(REPO, 'target/release/rehearse-app'));
export const BUNDLED_NOTES = join(REPO, 'notes');
export const HOSTILE_NOTES = join(REPO, 'tests/fixtures/hostile');
/** The public markdown collections beside the clone (`../shared/corpora`). */
export const CORPORA = resolve(REPO, '../shared/corpora');
export const SCREENSHOTS = resolve(process.env.REHEARSE_SCREENSHOTS ?? join(REPO, 'docs/screenshots'));
export const DRIVER_PORT = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
/** WebKitWebDriver's port, behind tauri-driver: the next one by default, so
 * two runs on one machine (other ports given) do not meet there. */
export const NATIVE_PORT = Number(process.env.TAURI_NATIVE_PORT ?? DRIVER_PORT + 1);

export function driverBinary() {
  const installed = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin/tauri-driver');
  return existsSync(installed) ? installed : 'tauri-driver';
}

// The typed error the UI sees for any failed command: the core's `{code,
// message}` rebuilt as an Error, so components can branch on `code` and show
// `message` as the sentence it is.

import type { IpcError, IpcErrorCode } from './types';

/** Every code a command can fail with, and `unexpected` for a failure that
 * did not come from Rehearse's side as `{code, message}`. */
export type ErrorCode = IpcErrorCode | 'unexpected';

export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }

  /** Anything a command threw: `{code, message}` from the shell, or a bare
   * string / Error from Tauri itself (e.g. a command denied by capabilities). */
  static from(thrown: unknown): BackendError {
    if (thrown instanceof BackendError) return thrown;
    if (isIpcError(thrown)) return new BackendError(thrown.code, thrown.message);
    const text = thrown instanceof Error ? thrown.message : String(thrown);
    return new BackendError(
      'unexpected',
      `Something went wrong inside Rehearse (${text}). Restart the app; if it happens again, please report it.`,
    );
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** What a person can do about an error that stopped the library from opening. */
export function adviceFor(error: BackendError): string {
  switch (error.code) {
    case 'notes_folder_missing':
      return 'Check the folder given with --notes, or start Rehearse without it to read the bundled notes.';
    case 'database_corrupt':
      return 'Your bookmarks and drafts file was left untouched. Move it aside (or restore a backup from the same folder) and start Rehearse again.';
    case 'index':
      return 'The search index is only a cache: quit Rehearse, delete the “index” folder in its data folder, and start again to rebuild it.';
    case 'io':
      return 'Check that the folder exists and that you may read and write it, then try again.';
    default:
      return 'Try again; if it keeps happening, quit and restart Rehearse.';
  }
}

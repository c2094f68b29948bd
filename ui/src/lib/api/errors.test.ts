import { describe, expect, it } from 'vitest';
import { BackendError } from './errors';

describe('BackendError.from', () => {
  it('keeps the code and sentence of an error that crossed IPC', () => {
    const error = BackendError.from({ code: 'unknown_id', message: 'No card or note has the id `x`.' });
    expect(error.code).toBe('unknown_id');
    expect(error.message).toBe('No card or note has the id `x`.');
  });

  it('turns a bare string from Tauri into a sentence rather than showing it raw', () => {
    const error = BackendError.from('command search_cards not allowed');
    expect(error.code).toBe('unexpected');
    expect(error.message).toMatch(/^Something went wrong inside Rehearse/);
    expect(error.message).toContain('not allowed');
  });
});

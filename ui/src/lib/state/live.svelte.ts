// The window in step with the notes on disk: after the core took in a change
// (an edit in another editor, a file added, deleted or renamed) or the library was
// opened again on other folders, the sidebar, the open note, the open search
// and the question being practised follow.

import { BackendError, loadCard, onLibraryUpdated, type UpdateReport } from '../api';
import { library } from './library.svelte';
import { practice } from './practice.svelte';
import { reader } from './reader.svelte';
import { search } from './search.svelte';

let listening = false;

/** Starts following the core's updates, once for the page's lifetime. */
export function followLibraryUpdates(): void {
  if (listening) return;
  listening = true;
  onLibraryUpdated((report) => void updated(report)).catch(() => {
    listening = false;
  });
}

async function updated(report: UpdateReport): Promise<void> {
  await library.refresh([...report.changed, ...report.added, ...report.removed]);
  const move = report.renamed.find((renamed) => renamed.from === reader.noteId);
  if (move) await reader.moved(move.from, move.to);
  await settle([...report.changed, ...report.added]);
}

/** Brings the views in line with `library.notes`, which just changed;
 * `changed` names the notes whose text changed, null when any may have. */
export async function settle(changed: readonly string[] | null): Promise<void> {
  await library.whenComplete();
  library.recent = library.recent.filter((id) => library.note(id));
  if (search.open && search.query.trim() !== '') void search.run();
  const cardId = practice.cardId;
  if (cardId && !practice.mockResults && !(await stillThere(cardId))) {
    // The answer was saved as it was typed; the core keeps it as an orphan
    // (or with the question, if it moved) under its usual rules.
    await practice.leave();
    library.notice = 'The question you were answering is no longer in your notes. Your answer is kept with your other answers.';
  }
  await reader.refresh(changed);
}

/** Whether a question is still in the notes (its answer can be loaded). */
async function stillThere(cardId: string): Promise<boolean> {
  try {
    await loadCard(cardId);
    return true;
  } catch (thrown) {
    return BackendError.from(thrown).code !== 'unknown_id';
  }
}

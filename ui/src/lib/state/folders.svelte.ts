// The notes folders as the settings show them, and changing them: the core
// indexes the new folders while the window goes on with the library open,
// swaps the new library in and saves the change; a stopped change is not made.

import {
  BackendError,
  changeFolders,
  libraryFolders,
  pickFolder,
  stopIndexing,
  type FolderChange,
  type IndexProgress,
  type LibraryFolders,
} from '../api';
import { library } from './library.svelte';
import { settle } from './live.svelte';

class FoldersState {
  list = $state.raw<LibraryFolders | null>(null);
  /** Why the last change was refused, as the core said it. */
  error = $state<string | null>(null);
  busy = $state(false);
  /** The indexing of the change under way, once it has notes to index. */
  progress = $state<IndexProgress | null>(null);
  /** Said after a change was stopped. */
  stopped = $state(false);

  async load(): Promise<void> {
    try {
      this.list = await libraryFolders();
    } catch (thrown) {
      this.error = BackendError.from(thrown).message;
    }
  }

  /** Asks for a folder with the system's picker and adds it. */
  async pickAndAdd(): Promise<void> {
    this.error = null;
    let path: string | null;
    try {
      path = await pickFolder();
    } catch (thrown) {
      this.error = BackendError.from(thrown).message;
      return;
    }
    if (path) await this.change({ kind: 'add', path });
  }

  /** True when the change was made and the library shows the new folders. */
  async change(change: FolderChange): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    this.stopped = false;
    this.progress = null;
    try {
      await changeFolders(change, (p) => (this.progress = p));
    } catch (thrown) {
      const error = BackendError.from(thrown);
      if (error.code === 'cancelled') this.stopped = true;
      else this.error = error.message;
      return false;
    } finally {
      this.busy = false;
      this.progress = null;
    }
    await library.refresh();
    void library.loadMeaning();
    await settle(null);
    await this.load();
    return true;
  }

  /** Stops the change under way; it is not made. */
  async stop(): Promise<void> {
    try {
      await stopIndexing();
    } catch (thrown) {
      this.error = BackendError.from(thrown).message;
    }
  }
}

export const folders = new FoldersState();

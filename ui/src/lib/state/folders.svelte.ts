// The notes folders as the settings show them, and changing them: each
// change is saved by the core, then the library opens again on the new
// folders (indexing what is new, with the usual progress).

import { BackendError, changeFolders, libraryFolders, pickFolder, type FolderChange, type LibraryFolders } from '../api';
import { library } from './library.svelte';
import { settle } from './live.svelte';

class FoldersState {
  list = $state.raw<LibraryFolders | null>(null);
  /** Why the last change was refused, as the core said it. */
  error = $state<string | null>(null);
  busy = $state(false);

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

  /** True when the change was made (and the library opened again). */
  async change(change: FolderChange): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    try {
      await changeFolders(change);
    } catch (thrown) {
      this.error = BackendError.from(thrown).message;
      this.busy = false;
      return false;
    }
    await library.open();
    this.busy = false;
    if (library.status !== 'ready') return false;
    await settle(null);
    await this.load();
    return true;
  }
}

export const folders = new FoldersState();

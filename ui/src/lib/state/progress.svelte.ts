// The progress screen: whether it is open, and the numbers its charts draw,
// asked afresh each time it opens.

import { BackendError, loadProgress, type Progress } from '../api';

class ProgressState {
  open = $state(false);
  data = $state.raw<Progress | null>(null);
  error = $state<string | null>(null);

  async show(): Promise<void> {
    this.open = true;
    this.error = null;
    try {
      this.data = await loadProgress();
    } catch (thrown) {
      this.error = BackendError.from(thrown).message;
    }
  }

  hide(): void {
    this.open = false;
  }
}

export const progress = new ProgressState();

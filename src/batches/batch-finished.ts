/** Told the id of a batch that has just finished. Its failures are its own: it should not throw. */
export type BatchFinishedListener = (batchId: string) => void | Promise<void>;

/**
 * The one "this batch has just finished" event of a process, raised by the batch store
 * when the broker answers that a write finished a batch (the result that gave its last
 * document one, or the seal of a batch whose documents all had one already: exactly one
 * write per finish sees that answer, and a repeat of that write after a lost reply sees it
 * again). What follows a finish (learning patterns) subscribes here once, where the
 * process is composed, instead of every writer calling it.
 */
export class BatchFinished {
  private readonly listeners = new Set<BatchFinishedListener>();

  /** Adds a listener; returns what removes it. */
  subscribe(listener: BatchFinishedListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Tells every listener and waits for them, so that a writer returns only once what a
   * finish sets off has been set off (a learn job queued before the job that finished the
   * batch completes, before an ingest exits). Never rejects: whatever follows a finish is
   * optional, and a listener's failure must not fail the write that finished the batch.
   */
  async emit(batchId: string): Promise<void> {
    if (this.listeners.size === 0) return;
    await Promise.allSettled([...this.listeners].map(async (listener) => listener(batchId)));
  }
}

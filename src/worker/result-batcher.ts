import type { BatchStore, RecordOutcome, ResultLine, ResultWrite, TokenUsage } from '../queue/index.js';

interface Pending extends ResultWrite {
  resolve: (outcome: RecordOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * A worker's result writes, sent together: while one script call is on its way to the
 * broker, the results of the jobs that finish meanwhile wait and go in the next call, one
 * per batch. With many jobs per process this turns one script call (and one set of counter
 * updates and finish check) per document into one per round trip, at no added latency: a
 * write that finds nothing in flight is sent on the next turn of the event loop.
 *
 * Each caller's promise settles only when the call carrying its result has: a job completes
 * only after its result is durably recorded. A failed call rejects every write in it; each
 * caller retries its own write with its own write id, which the broker recognises.
 */
export class ResultBatcher {
  private readonly waiting: Pending[] = [];
  private sending = false;

  constructor(
    private readonly store: Pick<BatchStore, 'recordResults'>,
    /** Most results in one script call: bounds the call's size and the broker's time in it. */
    private readonly maxPerCall = 100,
  ) {}

  record(result: ResultLine, usage: TokenUsage | undefined, writeId: string): Promise<RecordOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ result, usage, writeId, resolve, reject });
      if (!this.sending) {
        this.sending = true;
        setImmediate(() => void this.send());
      }
    });
  }

  private async send(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const taken = this.waiting.splice(0, this.maxPerCall);
        const byBatch = new Map<string, Pending[]>();
        for (const write of taken) {
          const group = byBatch.get(write.result.batchId);
          if (group) group.push(write);
          else byBatch.set(write.result.batchId, [write]);
        }
        await Promise.all(
          [...byBatch].map(async ([batchId, group]) => {
            try {
              const outcomes = await this.store.recordResults(batchId, group);
              for (const [i, write] of group.entries()) write.resolve(outcomes[i] as RecordOutcome);
            } catch (error) {
              for (const write of group) write.reject(error);
            }
          }),
        );
      }
    } finally {
      this.sending = false;
    }
  }
}

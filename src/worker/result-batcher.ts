import type { BatchStore, RecordOutcome, ResultLine, ResultWrite, TokenUsage } from '../batches/index.js';
import { Coalescer } from './coalescer.js';

/**
 * A worker's result writes, sent together: one script call per batch for the results of
 * all the jobs that finished while the previous call was on its way, so the per-call cost
 * (the script call, the counters, the finish check) is paid once per call, not once per
 * document. A job completes only after the call carrying its result returned; a failed
 * call is retried by each caller with its own write id, which the broker recognises.
 */
export class ResultBatcher {
  private readonly calls: Coalescer<ResultWrite, RecordOutcome>;

  constructor(store: Pick<BatchStore, 'recordResults'>, maxPerCall = 100) {
    this.calls = new Coalescer(
      (write) => write.result.batchId,
      (batchId, writes) => store.recordResults(batchId, writes),
      maxPerCall,
    );
  }

  record(result: ResultLine, usage: TokenUsage | undefined, writeId: string): Promise<RecordOutcome> {
    return this.calls.request({ result, usage, writeId });
  }
}

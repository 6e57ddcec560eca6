import { type BatchStore, isFinished, writeLinesAtomically } from '../../batches/index.js';
import { BatchlineError, ErrorCode } from '../../errors.js';

/**
 * Writes a batch's results (one line per document) to a file; returns the line count.
 * A batch that has not finished is refused unless `partial` is set: a file that looks
 * complete but is not would be taken for the whole batch.
 */
export async function exportBatch(store: BatchStore, batchId: string, file: string, options: { partial?: boolean } = {}): Promise<number> {
  const batch = await store.get(batchId);
  if (!batch) throw new BatchlineError(ErrorCode.USAGE, `no batch "${batchId}" in the broker`);
  if (!isFinished(batch) && !options.partial) {
    const done = batch.ok + batch.failed;
    const state = batch.sealed ? 'processing' : 'ingesting';
    throw new BatchlineError(
      ErrorCode.USAGE,
      `batch "${batchId}" has not finished (${state}, ${done}/${batch.total} done): wait for it, or add --partial to export the results so far`,
    );
  }
  return writeLinesAtomically(file, store.resultBytes(batchId));
}

import { BatchlineError, ErrorCode } from '../../errors.js';
import type { BatchStore } from '../../queue/batch-store.js';
import { writeLinesAtomically } from '../../sinks/jsonl-export.js';

/** Writes a batch's results (one line per document) to a file; returns the line count. */
export async function exportBatch(store: BatchStore, batchId: string, file: string): Promise<number> {
  const batch = await store.get(batchId);
  if (!batch) throw new BatchlineError(ErrorCode.BAD_INPUT, `no batch "${batchId}" in the broker`);
  return writeLinesAtomically(file, store.resultBytes(batchId));
}

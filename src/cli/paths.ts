import path from 'node:path';

/** Where a batch's results and rejected records are written. */
export function batchFiles(outDir: string, batchId: string) {
  return {
    results: path.join(outDir, `${batchId}.jsonl`),
    errors: path.join(outDir, `${batchId}.errors.jsonl`),
  };
}

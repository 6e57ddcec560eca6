import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';

/** Where a batch's results and rejected records are written. */
export function batchFiles(outDir: string, batchId: string) {
  return {
    results: path.join(outDir, `${batchId}.jsonl`),
    errors: path.join(outDir, `${batchId}.errors.jsonl`),
  };
}

/** Creates the results folder, or fails with E_SINK before any work starts. */
export function prepareOutDir(outDir: string): void {
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new BatchlineError(ErrorCode.SINK, `cannot use results folder ${outDir}: ${messageOf(error)}`, { cause: error });
  }
}

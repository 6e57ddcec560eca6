import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';

/** Where a batch's results and rejected records are written. */
export function batchFiles(outDir: string, batchId: string) {
  return {
    results: path.join(outDir, `${batchId}.jsonl`),
    errors: path.join(outDir, `${batchId}.errors.jsonl`),
  };
}

/**
 * Checks that the results folder still takes a file (a full or read-only disk, a folder
 * replaced or removed): `run` probes it while it waits, so it fails early and loudly
 * rather than after hours of work. The work itself is safe in the broker either way.
 */
export function assertOutDirWritable(outDir: string): void {
  const probe = path.join(outDir, `.batchline-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new BatchlineError(ErrorCode.SINK, `cannot write results to ${outDir}: ${messageOf(error)}`, { cause: error });
  }
}

/** Creates the results folder, or fails with E_SINK before any work starts. */
export function prepareOutDir(outDir: string): void {
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new BatchlineError(ErrorCode.SINK, `cannot use results folder ${outDir}: ${messageOf(error)}`, { cause: error });
  }
}

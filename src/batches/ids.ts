import { createHash, randomBytes } from 'node:crypto';
import { BatchlineError, ErrorCode } from '../errors.js';

const batchIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Throws E_BAD_INPUT unless the batch id is safe in Redis keys, job ids and file names. */
export function assertBatchId(batchId: string): string {
  if (!batchIdPattern.test(batchId)) {
    throw new BatchlineError(
      ErrorCode.BAD_INPUT,
      `batch id "${batchId.slice(0, 120)}" must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  return batchId;
}

/** A fresh batch id: sortable by time, unique enough for concurrent runs. */
export function newBatchId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `b-${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * The job id of a document: deterministic in (batch id, document id), so re-running an
 * ingest never adds a job twice while the first is still in the broker. Document ids may
 * hold any character (`:` is forbidden in BullMQ ids), so the id part is a hash.
 */
export function jobIdFor(batchId: string, docId: string): string {
  const digest = createHash('sha256').update(docId).digest('base64url').slice(0, 22);
  return `${batchId}.${digest}`;
}

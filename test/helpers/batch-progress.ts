import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { batchKeys } from '../../src/batches/batch-keys.js';

/*
 * Waits on a batch's progress by reading its counters straight from the broker. Tests used
 * to poll `batchline status --json` every 100 ms: each poll started a node process (about a
 * second of CPU on a loaded 2-core machine) that competed with the workers under test for
 * the whole wait. What a test asserts still goes through `status`.
 */

export interface BatchProgress {
  ok: number;
  failed: number;
  finished: boolean;
}

/** The batch's counters now; zeros while the batch does not exist yet. */
export async function readProgress(redis: Redis, prefix: string, batchId: string): Promise<BatchProgress> {
  const [ok, failed, finishedAt] = await redis.hmget(batchKeys(prefix, batchId).meta, 'ok', 'failed', 'finishedAt');
  return { ok: Number(ok ?? 0), failed: Number(failed ?? 0), finished: finishedAt !== null && finishedAt !== '' };
}

/**
 * Resolves once `until` holds for the batch's counters; throws after `timeoutMs`. A broker
 * that is briefly down (killed, restarting) only delays the answer.
 */
export async function waitForProgress(
  brokerUrl: string,
  prefix: string,
  batchId: string,
  until: (progress: BatchProgress) => boolean,
  timeoutMs = 60_000,
): Promise<BatchProgress> {
  const redis = new Redis(brokerUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => {});
  const deadline = Date.now() + timeoutMs;
  let last: BatchProgress | undefined;
  try {
    while (Date.now() < deadline) {
      last = await readProgress(redis, prefix, batchId).catch(() => last);
      if (last && until(last)) return last;
      await sleep(50);
    }
  } finally {
    redis.disconnect();
  }
  throw new Error(`batch ${batchId} never got there in ${timeoutMs} ms (last counters: ${JSON.stringify(last)})`);
}

/** Resolves once the batch has at least `done` finished (ok or failed) documents. */
export function waitForFinishedDocs(brokerUrl: string, prefix: string, batchId: string, done: number, timeoutMs?: number): Promise<BatchProgress> {
  return waitForProgress(brokerUrl, prefix, batchId, (p) => p.ok + p.failed >= done, timeoutMs);
}

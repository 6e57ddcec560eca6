import type { Worker, WorkerOptions } from 'bullmq';
import type { Config } from '../config/index.js';
import { workerConnection } from '../redis/index.js';
import { settleWithin } from '../time.js';

/** The options every batchline BullMQ worker shares: broker connection, key prefix, lock and stall settings. */
export function workerOptions(config: Config, brokerUrl: string, concurrency: number): WorkerOptions {
  return {
    connection: workerConnection(brokerUrl),
    prefix: config.queuePrefix,
    concurrency,
    lockDuration: config.workers.lockDurationMs,
    stalledInterval: config.workers.stalledIntervalMs,
    maxStalledCount: config.workers.maxStalledCount,
  };
}

/**
 * Stops taking jobs and lets active ones finish for up to `timeoutMs`; past that closes at
 * once (the jobs go back to the queue when their lock expires). False when it had to force.
 */
export async function closeWorker(worker: Worker, timeoutMs: number): Promise<boolean> {
  if (await settleWithin(worker.close(), timeoutMs)) return true;
  await worker.close(true);
  return false;
}

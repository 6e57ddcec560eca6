import { type Processor, Worker, type WorkerOptions } from 'bullmq';
import type { Config } from '../config/index.js';
import { type BrokerConnection, closeWith, workerConnection } from '../redis/index.js';
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

/** A BullMQ worker that also closes its connection when that is a Cluster it was given (see `closeWith`). */
export function openWorker<Data, Result>(name: string, processor: Processor<Data, Result>, options: WorkerOptions): Worker<Data, Result> {
  return closeWith(new Worker<Data, Result>(name, processor, options), options.connection as BrokerConnection);
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

import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { BatchStore } from '../batches/index.js';
import type { Config } from '../config/index.js';
import { messageOf } from '../errors.js';
import { defaultJobOptions, jobRetention } from '../queue/index.js';
import { closeWith, producerConnection } from '../redis/index.js';

/** The job a finished batch leaves on the `patterns` queue. */
export const LEARN_PATTERNS_JOB = 'learn-patterns';

/** What a `learn-patterns` job carries. */
export interface LearnJobData {
  batchId: string;
}

/** One learn job per batch: a batch that finishes again (a re-run) does not queue a second one while the first is kept. */
export function learnJobId(batchId: string): string {
  return `patterns.${batchId}`;
}

/** Whether finished batches are followed by a learn job: patterns on, and a cache to keep them in. */
export function learnsPatterns(config: Config): boolean {
  return config.patterns.enabled && config.cache.enabled;
}

/**
 * Learning after each batch: queues a `learn-patterns` job for every batch `store` says
 * has finished (its one "batch finished" event, raised by the write that finished it: a
 * worker's result, or an ingest's seal when every document already had one). Subscribe
 * once, where the process is composed; nothing is subscribed when patterns are off.
 */
export function learnWhenBatchesFinish(
  store: Pick<BatchStore, 'onBatchFinished'>,
  config: Config,
  brokerUrl: string,
  logger: Logger,
): { close(): Promise<void> } {
  if (!learnsPatterns(config)) return { close: async () => {} };
  const trigger = new LearnTrigger(config, brokerUrl, logger);
  const unsubscribe = store.onBatchFinished((batchId) => trigger.batchFinished(batchId));
  return {
    async close() {
      unsubscribe();
      await trigger.close();
    },
  };
}

/**
 * Queues `learn-patterns` jobs for finished batches, on a queue opened at the first one.
 * Never throws: patterns are optional, so a broker error here is logged and the batch's
 * learning is skipped, not retried by failing the write that finished it.
 */
class LearnTrigger {
  private queue: Queue | undefined;

  constructor(
    private readonly config: Config,
    private readonly brokerUrl: string,
    private readonly logger: Logger,
  ) {}

  async batchFinished(batchId: string): Promise<void> {
    try {
      if (!this.queue) {
        const connection = producerConnection(this.brokerUrl);
        this.queue = closeWith(
          new Queue('patterns', {
            connection,
            prefix: this.config.queuePrefix,
            // A learn job is kept as long as its batch: it is what makes learning once per batch
            // (its id) and what `run` waits on, so it must outlive the document jobs' retention.
            defaultJobOptions: {
              ...defaultJobOptions(this.config),
              ...jobRetention(this.config),
              removeOnComplete: { age: this.config.results.ttlSeconds },
            },
          }),
          connection,
        );
        this.queue.on('error', () => {});
      }
      const data: LearnJobData = { batchId };
      await this.queue.add(LEARN_PATTERNS_JOB, data, { jobId: learnJobId(batchId) });
      this.logger.debug({ batchId }, 'patterns: learning queued');
    } catch (error) {
      this.logger.warn({ batchId, err: messageOf(error) }, 'patterns: could not queue learning for this batch');
    }
  }

  async close(): Promise<void> {
    await this.queue?.close().catch(() => {});
    this.queue = undefined;
  }
}

/**
 * Waits until the batch's learn job has finished (completed or failed), at most
 * `timeoutMs`. A job not queued yet gets `graceMs` to appear (the result that finished
 * the batch is recorded just before it is queued). Never throws. `run` uses it so the
 * patterns of one run are there for the next.
 */
export async function waitForLearning(
  config: Config,
  brokerUrl: string,
  batchId: string,
  options: { timeoutMs: number; graceMs?: number },
): Promise<'finished' | 'absent' | 'timeout'> {
  const connection = producerConnection(brokerUrl);
  const queue = closeWith(new Queue('patterns', { connection, prefix: config.queuePrefix }), connection);
  queue.on('error', () => {});
  const started = Date.now();
  const graceMs = options.graceMs ?? 2_000;
  try {
    for (;;) {
      const state = await queue.getJobState(learnJobId(batchId)).catch(() => 'unknown' as const);
      if (state === 'completed' || state === 'failed') return 'finished';
      const waited = Date.now() - started;
      if (state === 'unknown' && waited >= graceMs) return 'absent';
      if (waited >= options.timeoutMs) return 'timeout';
      await sleep(100);
    }
  } finally {
    await queue.close().catch(() => {});
  }
}

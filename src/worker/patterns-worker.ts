import { UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Cache } from '../cache/index.js';
import { systemClock } from '../clock.js';
import type { Config } from '../config/index.js';
import { messageOf } from '../errors.js';
import { LEARN_PATTERNS_JOB, type LearnJobData, type LearnOutcome, learnPatterns } from '../patterns/index.js';
import type { BatchStore } from '../queue/batch-store.js';
import { workerConnection } from '../queue/connections.js';
import { assertBatchId } from '../queue/ids.js';

export interface PatternsWorkerDeps {
  store: BatchStore;
  /** The configured cache: patterns are kept in its Redis (PATTERN tier). */
  cache: Cache;
  logger: Logger;
}

/**
 * The `patterns` queue's worker: runs `learn-patterns` jobs, queued when a batch finishes,
 * learning templates from the batch's results into the cache. Other job names and bad
 * data fail at once with a clear reason instead of retrying.
 */
export function startPatternsWorker(config: Config, brokerUrl: string, deps: PatternsWorkerDeps, concurrency?: number) {
  const { logger } = deps;
  const { enabled: _enabled, ...settings } = config.patterns;
  const worker = new Worker<LearnJobData, LearnOutcome>(
    'patterns',
    async (job) => {
      if (job.name !== LEARN_PATTERNS_JOB) throw new UnrecoverableError(`patterns job "${job.name}": unknown job (expected ${LEARN_PATTERNS_JOB})`);
      let batchId: string;
      try {
        batchId = assertBatchId(String(job.data?.batchId));
      } catch (error) {
        throw new UnrecoverableError(`patterns job ${job.id}: ${messageOf(error)}`);
      }
      if (!config.patterns.enabled) return { status: 'skipped', reason: 'patterns.enabled is false', documents: 0, created: 0, updated: 0, unchanged: 0 };
      return learnPatterns(batchId, {
        results: deps.store,
        cache: deps.cache,
        namespace: config.cache.namespace,
        settings,
        clock: systemClock,
        logger,
      });
    },
    {
      connection: workerConnection(brokerUrl),
      prefix: config.queuePrefix,
      concurrency: concurrency ?? config.workers.concurrency.patterns,
      lockDuration: config.workers.lockDurationMs,
      stalledInterval: config.workers.stalledIntervalMs,
      maxStalledCount: config.workers.maxStalledCount,
    },
  );
  worker.on('error', () => {});
  logger.info('patterns worker started');
  return {
    worker,
    /** Lets an active learn job finish for up to `shutdownTimeoutMs`; past that it goes back to the queue. */
    async close() {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), config.workers.shutdownTimeoutMs);
      });
      const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') await worker.close(true);
    },
  };
}

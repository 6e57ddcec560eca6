import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { assertBatchId, type BatchStore } from '../batches/index.js';
import { type Cache, createCache } from '../cache/index.js';
import type { Config } from '../config/index.js';
import { messageOf } from '../errors.js';
import { LEARN_PATTERNS_JOB, type LearnJobData, type LearnOutcome, learnPatterns, learnsPatterns, waitForLearning } from '../patterns/index.js';
import { pipelineFinder } from '../pipeline/index.js';
import { systemClock } from '../time.js';
import { closeWorker, openWorker, workerOptions } from './bullmq-worker.js';

export interface PatternsWorkerDeps {
  store: BatchStore;
  /** The configured cache: patterns are kept in its Redis (PATTERN tier). */
  cache: Cache;
  logger: Logger;
}

/**
 * The `patterns` queue's worker: runs `learn-patterns` jobs, queued when a batch finishes,
 * learning templates from the batch's results into the cache through the pattern hook of
 * the pipeline that made them (the configured one or a built-in, found by the id each
 * result carries). Other job names and bad data fail at once with a clear reason instead
 * of retrying.
 */
export function startPatternsWorker(config: Config, brokerUrl: string, deps: PatternsWorkerDeps, concurrency?: number) {
  const { logger } = deps;
  const { enabled: _enabled, ...settings } = config.patterns;
  const pipelines = pipelineFinder(config.pipeline, { llm: config.llm, logger });
  const worker = openWorker<LearnJobData, LearnOutcome>(
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
        pipelines,
        cache: deps.cache,
        namespace: config.cache.namespace,
        settings,
        clock: systemClock,
        logger,
      });
    },
    workerOptions(config, brokerUrl, concurrency ?? config.workers.concurrency.patterns),
  );
  worker.on('error', () => {});
  logger.info('patterns worker started');
  return {
    worker,
    /** Lets an active learn job finish for up to `shutdownTimeoutMs`; past that it goes back to the queue. */
    async close() {
      await closeWorker(worker, config.workers.shutdownTimeoutMs);
    },
  };
}

/**
 * `run`'s learner: works the patterns queue in this process until the batch's learn job
 * has finished (at most `workers.shutdownTimeoutMs`), so the next run finds this batch's
 * patterns, then stops. In-process rather than one more worker process: it is only needed
 * once the batch is done. Nothing when patterns are off. Never throws: patterns are optional.
 */
export async function learnInThisProcess(
  config: Config,
  session: { brokerUrl: string; cacheUrl: string | undefined; store: BatchStore },
  batchId: string,
  logger: Logger,
): Promise<void> {
  if (!learnsPatterns(config)) return;
  const cache = createCache(config.cache, { url: session.cacheUrl, logger, clock: systemClock });
  let running: ReturnType<typeof startPatternsWorker> | undefined;
  try {
    // The gateway answers "no" until its first connection attempt: let that happen first.
    await cache.ready(config.cache.connectTimeoutMs);
    running = startPatternsWorker(config, session.brokerUrl, { store: session.store, cache, logger }, 1);
    const outcome = await waitForLearning(config, session.brokerUrl, batchId, { timeoutMs: config.workers.shutdownTimeoutMs });
    if (outcome !== 'finished') logger.warn({ batchId, outcome }, 'patterns: this batch was not learned before exit; a patterns worker will learn it later');
  } catch (error) {
    logger.warn({ batchId, err: messageOf(error) }, 'patterns: learning after the run failed');
  } finally {
    await running?.close();
    await cache.close();
  }
}

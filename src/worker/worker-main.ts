import type { Worker } from 'bullmq';
import { BatchStore } from '../batches/index.js';
import { checkCachePolicy, createCache } from '../cache/index.js';
import { type Config, type ConfigInput, loadConfig, type QueueName, redactUrl } from '../config/index.js';
import { BatchlineError, ErrorCode } from '../errors.js';
import { createLogger } from '../log.js';
import { learnWhenBatchesFinish, patternLookupForWorker } from '../patterns/index.js';
import { loadPipeline } from '../pipeline/index.js';
import { checkBrokerPolicy, connectBroker } from '../redis/index.js';
import { systemClock } from '../time.js';
import { buildDocumentCache } from './build-document-cache.js';
import { type DocumentCache, noDocumentCache } from './document-cache.js';
import { startDocumentWorker } from './document-worker.js';
import { Heartbeat } from './heartbeat.js';
import { startPatternsWorker } from './patterns-worker.js';
import { onShutdown } from './shutdown.js';

export interface WorkerMainOptions {
  overrides?: ConfigInput;
  configFile?: string;
  concurrency?: number;
}

/**
 * A worker process for one queue: loads config, connects to the broker, starts the BullMQ
 * worker and stops gracefully on SIGTERM/SIGINT or when its parent goes away.
 */
export async function runWorkerProcess(queue: QueueName, options: WorkerMainOptions = {}): Promise<void> {
  const config: Config = loadConfig({ overrides: options.overrides, configFile: options.configFile });
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, name: `batchline-worker-${queue}`, bindings: { queue } });
  const brokerUrl = config.brokerUrl;
  if (!brokerUrl) {
    throw new BatchlineError(ErrorCode.CONFIG, 'invalid config: brokerUrl (from BATCHLINE_BROKER_URL): a worker needs a broker URL');
  }
  // Stop signals are honoured from the first moment: a worker whose parent dies while it is
  // still starting (its broker gone with it) must not hang in start-up forever.
  let stopWorker: () => Promise<void> = async () => {};
  let redis: Awaited<ReturnType<typeof connectBroker>> | undefined;
  onShutdown(logger, async (reason) => {
    logger.info({ reason }, 'worker stopping');
    await stopWorker();
    redis?.disconnect();
    logger.info('worker stopped');
  }, config.workers.shutdownTimeoutMs + 10_000);
  redis = await connectBroker(brokerUrl, 'worker', 30_000);
  // Advice only, and never awaited: commands on a worker connection wait for a broker that may not come back.
  void checkBrokerPolicy(redis, logger);
  const store = new BatchStore(redis, config.queuePrefix, config.results.ttlSeconds);
  // Whatever in this process finishes a batch through the store (a document's result, a
  // scheduled batch's seal) queues the batch's learning: one subscription, here.
  const learning = learnWhenBatchesFinish(store, config, brokerUrl, logger);

  // The cache connects in the background: an absent cache Redis never delays start-up.
  const cache = createCache(config.cache, {
    url: config.cacheUrl,
    logger,
    clock: systemClock,
  });
  let running: { worker: Worker; close(): Promise<void> };
  let documents: DocumentCache = noDocumentCache;
  let pipelineId = 'patterns';
  if (queue === 'patterns') {
    running = startPatternsWorker(config, brokerUrl, { store, cache, logger }, options.concurrency);
  } else {
    const pipeline = await loadPipeline(config.pipeline, { llm: config.llm, logger });
    pipelineId = `${pipeline.name}@${pipeline.version}`;
    void checkCachePolicy(cache, logger);
    documents = buildDocumentCache(config, cache, pipeline, logger);
    const patterns = patternLookupForWorker(config, cache, pipeline);
    running = startDocumentWorker(config, brokerUrl, queue, { pipeline, cache: documents, store, logger, patterns }, options.concurrency);
  }
  const heartbeat = new Heartbeat({
    redis,
    prefix: config.queuePrefix,
    queue,
    pipeline: pipelineId,
    concurrency: running.worker.concurrency,
    cache,
    intervalMs: config.workers.heartbeatMs,
    logger,
  });
  running.worker.on('completed', (job) => {
    heartbeat.jobs.ok++;
    if (job.processedOn && job.finishedOn) heartbeat.recordDuration(job.finishedOn - job.processedOn);
  });
  running.worker.on('failed', () => heartbeat.jobs.failed++);
  heartbeat.start();
  logger.info(
    {
      broker: redactUrl(brokerUrl),
      cache: cache.mode === 'l1+l2' ? redactUrl(config.cacheUrl) : cache.mode,
      pipeline: pipelineId,
      concurrency: running.worker.concurrency,
      // What this process really runs with, so an operator (and a test) can check it against the flags given to `run`/`dev`.
      prefix: config.queuePrefix,
      semantic: config.semantic.enabled ? config.semantic.mode : 'off',
      workerId: heartbeat.id,
    },
    'worker started',
  );

  stopWorker = async () => {
    await running.close();
    await heartbeat.stop();
    logger.info({ cache: cache.stats(), health: cache.health() }, 'cache counters at shutdown');
    await documents.close(); // lets background index writes finish, boundedly
    await learning.close();
    await cache.close();
  };
}

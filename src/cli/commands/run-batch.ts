import { rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { assertBatchId, type BatchInfo, type BatchStore, describeStranded, isFinished, newBatchId, StrandedCheck, writeLinesAtomically } from '../../batches/index.js';
import { type Config, childEnvironment, type DocumentQueueName } from '../../config/index.js';
import { BatchlineError, ErrorCode } from '../../errors.js';
import { ErrorsFile, Ingester, withBrokerRetry } from '../../ingest/index.js';
import { learnWhenBatchesFinish } from '../../patterns/index.js';
import { loadPipeline } from '../../pipeline/index.js';
import { openIngestQueue } from '../../queue/index.js';
import { learnInThisProcess, WorkerPool } from '../../worker/index.js';
import { type RunSummary, summarize } from '../batch-summary.js';
import { type BrokerSession, openBrokerSession } from '../broker-session.js';
import { assertOutDirWritable, batchFiles, prepareOutDir } from '../paths.js';
import { cacheCounts, ProgressDisplay } from '../progress-display.js';

export interface RunRequest {
  inputs: readonly string[];
  queue: DocumentQueueName;
  batchId?: string;
  /** No progress output (with --json, stdout carries only the summary). */
  quiet: boolean;
}

export interface RunResult {
  summary: RunSummary;
  files: { results: string; errors?: string };
}

/**
 * One-shot batch: broker (configured or embedded), worker processes, ingest, wait until
 * every accepted document has a result, export the results, stop everything. Whatever
 * happens, servers and workers started here are stopped before it returns or throws.
 */
export async function runBatch(config: Config, request: RunRequest, logger: Logger): Promise<RunResult> {
  const started = Date.now();
  // What this run has started so far: a signal at any point stops exactly that.
  let session: BrokerSession | undefined;
  let queue: Queue | undefined;
  let pool: WorkerPool | undefined;
  let learning: { close(): Promise<void> } | undefined;
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    await pool?.stop();
    await learning?.close();
    await queue?.close().catch(() => {});
    await session?.close();
  };
  // A signal while the broker session is still opening waits for it, so that an embedded
  // broker started meanwhile is stopped too.
  let opening: Promise<unknown> = Promise.resolve();
  const onSignal = (signal: NodeJS.Signals) => {
    logger.warn({ signal }, 'interrupted; stopping workers and servers');
    opening
      .catch(() => {})
      .then(cleanUp)
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const pipeline = await loadPipeline(config.pipeline, { llm: config.llm }); // a bad pipeline fails before anything starts
    const batchId = assertBatchId(request.batchId ?? newBatchId());
    const files = batchFiles(config.outDir, batchId);
    prepareOutDir(config.outDir);
    const opened = openBrokerSession(config, logger, { withCache: config.cache.enabled });
    opening = opened;
    session = await opened;
    // This process finishes the batch only when its ingest's seal does (a re-run of a batch whose documents all have results).
    learning = learnWhenBatchesFinish(session.store, config, session.brokerUrl, logger);
    queue = openIngestQueue(config, request.queue, session.brokerUrl);
    pool = new WorkerPool(
      {
        queue: request.queue,
        processes: config.workers.processes,
        maxRestarts: config.workers.maxRestarts,
        env: childEnvironment(workerConfig(config, session)),
        stopTimeoutMs: config.workers.shutdownTimeoutMs + 5_000,
      },
      logger,
    );
    pool.start();
    rmSync(files.errors, { force: true }); // a re-run reports this run's rejections only
    const errors = new ErrorsFile(files.errors, batchId, 'truncate');
    const progress = new ProgressDisplay(process.stderr, request.quiet);
    const ingester = new Ingester(config, queue, session.store, logger);
    const report = await Promise.race([
      ingester
        .ingest({ batchId, queueName: request.queue, inputs: request.inputs, pipeline: `${pipeline.name}@${pipeline.version}`, errors }, (p) =>
          progress.update('ingest ', p.enqueued + p.skipped, p.read, p.paused ? '(paused: queue full)' : '', false),
        )
        .finally(() => errors.close()),
      pool.failure,
    ]);
    progress.done();
    const batch = await waitUntilFinished(config, session.store, batchId, pool, progress, logger, () =>
      assertOutDirWritable(config.outDir),
    );
    progress.done();
    await writeLinesAtomically(files.results, session.store.resultBytes(batchId));
    const summary = summarize(batch, Date.now() - started, report.enqueued);
    // This batch's patterns, for the next run: learned here (boundedly; patterns never fail a run).
    await learnInThisProcess(config, session, batchId, logger);
    return {
      summary,
      files: { results: files.results, ...(errors.count > 0 ? { errors: files.errors } : {}) },
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

async function waitUntilFinished(
  config: Config,
  store: BatchStore,
  batchId: string,
  pool: WorkerPool,
  progress: ProgressDisplay,
  logger: Logger,
  checkOutput: () => void,
): Promise<BatchInfo> {
  const readBroker = <T>(what: string, operation: () => Promise<T>) => withBrokerRetry(what, config.ingest.brokerRetryMs, logger, operation);
  // Never wait for documents that no job will finish: once progress stands still, look for them.
  const strandedCheck = new StrandedCheck(store, config.results.strandedQuietMs);
  for (let round = 0; ; round++) {
    if (round % 8 === 0) checkOutput(); // every 2 s
    const batch = await readBroker('reading batch progress', () => store.get(batchId));
    if (!batch) throw new Error(`batch ${batchId} disappeared from the broker`);
    progress.update('process', batch.ok + batch.failed, batch.total, `${batch.failed} failed · ${cacheCounts(batch.cache)}`);
    if (isFinished(batch)) return batch;
    const stranded = await readBroker('looking for documents no job will finish', () => strandedCheck.check(batch));
    if (stranded) throw new BatchlineError(ErrorCode.STRANDED, describeStranded(batchId, stranded));
    await Promise.race([sleep(250), pool.failure]);
  }
}

/** The config worker processes get: this run's broker and cache, pipeline path made absolute. */
function workerConfig(config: Config, session: { brokerUrl: string; cacheUrl: string | undefined }) {
  const pipeline = /[./\\]/.test(config.pipeline) ? path.resolve(config.pipeline) : config.pipeline;
  return { ...config, brokerUrl: session.brokerUrl, cacheUrl: session.cacheUrl, pipeline };
}

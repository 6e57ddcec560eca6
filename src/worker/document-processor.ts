import { type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { type BatchStore, type CacheKind, newWriteId } from '../batches/index.js';
import type { DocumentQueueName } from '../config/index.js';
import { ErrorCode, isBatchlineError, messageOf } from '../errors.js';
import type { PatternLookup, Pipeline } from '../pipeline/index.js';
import type { DocumentJobData } from '../queue/index.js';
import type { BrokerWrites } from './broker-writes.js';
import { Coalescer } from './coalescer.js';
import type { DocumentCache, ServedArtifact } from './document-cache.js';
import { ResultBatcher } from './result-batcher.js';
import { runPipeline } from './run-pipeline.js';
import { usageOf } from './token-usage.js';

export interface ProcessorDeps {
  queue: DocumentQueueName;
  pipeline: Pipeline;
  cache: DocumentCache;
  store: BatchStore;
  jobTimeoutMs: number;
  logger: Logger;
  /** Waits out a broker that refuses writes, so that its refusals never use up a document's attempts. */
  brokerWrites: BrokerWrites;
  /** Sends result writes to `store` together, one script call per round trip (default: one made here). */
  results?: ResultBatcher;
  /** Learned templates for the pipeline (`context.patterns`); optional hints. */
  patterns?: PatternLookup | undefined;
}

/** What a completed job keeps as its return value: small, the result itself is in the batch store. */
export interface JobOutcome {
  status: 'ok' | 'failed' | 'already-done';
  cache?: CacheKind;
}

const permanentCodes = new Set<string>([ErrorCode.BAD_INPUT, ErrorCode.JOB_TIMEOUT, ErrorCode.PIPELINE]);

/** Errors that a retry cannot fix: bad input, a timeout, or a pipeline that says so. */
export function isPermanent(error: unknown): boolean {
  if (isBatchlineError(error) && permanentCodes.has(error.code)) return true;
  if (error instanceof UnrecoverableError) return true;
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}

/**
 * Whether the document of `job` may already have a result: a retry, a job back from a
 * stalled worker (BullMQ counts every start), or a job its ingester marked as possibly added
 * again (an `addBulk` sent again after its reply was lost, when the first copy may have
 * completed and been removed). A first delivery of an unmarked job is its document's first
 * run: the one round trip per job that asking costs is saved.
 */
function mayHaveRun(job: Job<DocumentJobData>): boolean {
  return job.data.recheck === true || job.attemptsStarted > 1 || job.stalledCounter > 0;
}

/**
 * The job handler: skip documents that already have a result, then cache (exact, then
 * semantic), then the pipeline; record one result per document in the batch store.
 */
export function createDocumentProcessor(deps: ProcessorDeps) {
  const { pipeline, cache, store, queue, brokerWrites } = deps;
  const pipelineId = `${pipeline.name}@${pipeline.version}`;
  const results = deps.results ?? new ResultBatcher(store);
  // Asked together, like results are recorded, of every job that may follow an earlier
  // run of its document (see `mayHaveRun`).
  const succeeded = new Coalescer<{ batchId: string; docId: string }, boolean>(
    (doc) => doc.batchId,
    (batchId, docs) => store.succeededAmong(batchId, docs.map((doc) => doc.docId)),
  );

  return async function processDocument(job: Job<DocumentJobData>): Promise<JobOutcome> {
    const { batchId, doc } = job.data;
    const started = performance.now();
    // A document that already has its result is not run again.
    if (mayHaveRun(job) && (await brokerWrites.run('checking for a result', () => succeeded.request({ batchId, docId: doc.id })))) {
      return { status: 'already-done' };
    }

    const base = { id: doc.id, batchId, pipeline: pipelineId };
    let served: ServedArtifact;
    try {
      served = await cache.resolve(doc, queue, () => runPipeline(pipeline, doc, deps.jobTimeoutMs, deps.patterns));
    } catch (error) {
      const permanent = isPermanent(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (!permanent && !lastAttempt) throw error; // BullMQ retries with backoff
      const code = isBatchlineError(error) ? error.code : ErrorCode.PIPELINE;
      const failure = {
        ...base,
        status: 'failed' as const,
        cache: 'miss' as const,
        error: { code, message: messageOf(error) },
        durationMs: Math.round(performance.now() - started),
      };
      const writeId = newWriteId(); // one per result, however many tries: a repeat is recognised
      await brokerWrites.run('recording a failure', () => results.record(failure, undefined, writeId));
      if (permanent) throw new UnrecoverableError(`${code}: ${messageOf(error)}`);
      throw error;
    }
    const success = {
      ...base,
      status: 'ok' as const,
      cache: served.kind,
      artifact: served.artifact,
      ...(served.kind !== 'miss' && served.similarity !== undefined ? { similarity: served.similarity } : {}),
      ...(served.kind !== 'miss' && served.difference !== undefined ? { difference: served.difference } : {}),
      ...(served.kind !== 'miss' && served.sourceId !== undefined ? { sourceId: served.sourceId } : {}),
      durationMs: Math.round(performance.now() - started),
    };
    // A broker refusing writes is not the document's fault: the write waits (no attempt is
    // used); any other broker error propagates and the job is retried.
    const writeId = newWriteId();
    // The result that finishes the batch raises the store's "batch finished" event before this returns.
    await brokerWrites.run('recording a result', () => results.record(success, usageOf(served), writeId));
    return { status: 'ok', cache: served.kind };
  };
}

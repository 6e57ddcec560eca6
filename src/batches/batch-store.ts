import type { Redis } from 'ioredis';
import type { DocumentQueueName } from '../config/index.js';
import { BatchFinished, type BatchFinishedListener } from './batch-finished.js';
import { batchIndexKey, batchKeys } from './batch-keys.js';
import { ingestFailedScript, recordDocsScript, recordResultsScript, sealScript, strandedDocsScript } from './batch-scripts.js';
import { jobIdFor } from './ids.js';
import { type CacheKind, NO_USAGE, type ResultLine, type ResultWrite, type TokenUsage } from './result-line.js';
import { newWriteId } from './write-id.js';

const cacheCounter: Record<CacheKind, string> = { miss: 'cacheMiss', exact: 'cacheExact', semantic: 'cacheSemantic' };

export interface BatchInfo {
  batchId: string;
  source: string;
  queue: string;
  pipeline: string;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  sealed: boolean;
  total: number;
  ok: number;
  failed: number;
  rejected: number;
  cache: { exact: number; semantic: number; miss: number };
  /** LLM use of the batch: calls and tokens spent, and tokens not spent thanks to cache hits. */
  llm: { calls: number; tokensIn: number; tokensOut: number; tokensSaved: number };
  /** Results recorded again for a document that already had one (at-least-once redeliveries). */
  reprocessed: number;
  /** Why the batch's latest ingest stopped before sealing it; cleared when the batch is ingested again. */
  ingestError?: { message: string; at: number };
}

export interface TimelinePoint {
  /** Start of the minute, unix seconds. */
  minute: number;
  ok: number;
  failed: number;
  cacheExact: number;
  cacheSemantic: number;
  cacheMiss: number;
}

export interface NewBatch {
  batchId: string;
  source: string;
  queue: DocumentQueueName;
  pipeline: string;
}

/** What recording a result did. */
export interface RecordOutcome {
  /** False when an earlier success was kept over this failure. */
  readonly recorded: boolean;
  /** True when this result finished the batch (sealed, every document has a result); `onBatchFinished` listeners have been told. */
  readonly finished: boolean;
}

type ScriptClient = Redis & {
  batchlineRecordDocs(...args: (string | number)[]): Promise<number>;
  batchlineRecordResults(...args: (string | number)[]): Promise<number[]>;
  batchlineSeal(...args: (string | number)[]): Promise<number>;
  batchlineStrandedDocs(numberOfKeys: number, ...args: string[]): Promise<string[]>;
  batchlineIngestFailed(...args: (string | number)[]): Promise<number>;
};

/**
 * batchline's per-batch records in the broker: metadata, counters, the documents
 * accepted and one result per document. Counters are only changed by Lua scripts so they
 * match the results exactly, whatever ran twice. The store is also where a batch is known
 * to have finished: it raises the process's one "batch finished" event (`onBatchFinished`).
 */
export class BatchStore {
  private readonly redis: ScriptClient;
  private readonly finished = new BatchFinished();

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {
    redis.defineCommand('batchlineRecordDocs', { numberOfKeys: 2, lua: recordDocsScript });
    redis.defineCommand('batchlineRecordResults', { numberOfKeys: 5, lua: recordResultsScript });
    redis.defineCommand('batchlineSeal', { numberOfKeys: 4, lua: sealScript });
    redis.defineCommand('batchlineStrandedDocs', { lua: strandedDocsScript });
    redis.defineCommand('batchlineIngestFailed', { numberOfKeys: 1, lua: ingestFailedScript });
    this.redis = redis as ScriptClient;
  }

  /**
   * Calls `listener` with the id of each batch a write of this store finishes (a recorded
   * result or a seal), before that write returns. Returns what unsubscribes it.
   */
  onBatchFinished(listener: BatchFinishedListener): () => void {
    return this.finished.subscribe(listener);
  }

  /**
   * Creates the batch if new and marks it open for more documents, owned by ingest run
   * `runId` (a failure of an earlier ingest is cleared). Existing counters are kept.
   */
  async open(batch: NewBatch, now = Date.now(), runId = newWriteId()): Promise<void> {
    const keys = batchKeys(this.prefix, batch.batchId);
    await this.redis
      .multi()
      .hsetnx(keys.meta, 'createdAt', now)
      .hset(keys.meta, 'source', batch.source, 'queue', batch.queue, 'pipeline', batch.pipeline, 'sealed', '0', 'updatedAt', now, 'ingestRun', runId)
      .hdel(keys.meta, 'finishedAt', 'ingestFailed', 'ingestFailedAt')
      .expire(keys.meta, this.ttlSeconds)
      .zadd(batchIndexKey(this.prefix), 'NX', now, batch.batchId)
      .exec();
  }

  /**
   * For each id: 'new', or 'seen' when an earlier ingest run already enqueued it, or
   * 'duplicate' when this same run did (a duplicate id within the batch's input).
   */
  async classifyDocs(batchId: string, runId: string, ids: readonly string[]): Promise<('new' | 'seen' | 'duplicate')[]> {
    if (ids.length === 0) return [];
    const owners = await this.redis.hmget(batchKeys(this.prefix, batchId).docs, ...ids);
    return owners.map((owner) => (owner === null ? 'new' : owner === runId ? 'duplicate' : 'seen'));
  }

  /**
   * Records documents as accepted by this run and adds the newly recorded ones to the
   * batch's total, in one script: safe to repeat, and never an id recorded but not counted.
   * Call before their jobs are added: a document recorded but without a job (ingest killed
   * in between) is found and enqueued by the next ingest of the batch. Returns how many were new.
   */
  async markEnqueued(batchId: string, runId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const keys = batchKeys(this.prefix, batchId);
    return this.redis.batchlineRecordDocs(keys.meta, keys.docs, this.ttlSeconds, runId, Date.now(), ...ids);
  }

  /**
   * Records that ingest run `runId` stopped on an error before sealing the batch, with the
   * reason, so that `status` and the dashboard say so instead of "ingesting" forever. Does
   * nothing when a later ingest has opened the batch since. Safe to repeat.
   */
  async markIngestFailed(batchId: string, runId: string, reason: string, now = Date.now()): Promise<boolean> {
    const keys = batchKeys(this.prefix, batchId);
    return (await this.redis.batchlineIngestFailed(keys.meta, runId, reason.slice(0, 2_000), now, this.ttlSeconds)) === 1;
  }

  /** Sets how many records of one input source were rejected in its latest ingest. */
  async setRejected(batchId: string, source: string, count: number): Promise<void> {
    const keys = batchKeys(this.prefix, batchId);
    await this.redis.multi().hset(keys.rejected, source, count).expire(keys.rejected, this.ttlSeconds).exec();
  }

  /**
   * No more documents are coming: the batch finishes once every accepted one has a result.
   * True when this seal finished it (every document already had a result); the
   * `onBatchFinished` listeners have then been told.
   */
  async seal(batchId: string, now = Date.now(), writeId = newWriteId()): Promise<boolean> {
    const keys = batchKeys(this.prefix, batchId);
    const finished = (await this.redis.batchlineSeal(keys.meta, keys.results, keys.states, keys.docs, this.ttlSeconds, now, writeId)) === 2;
    if (finished) await this.finished.emit(batchId);
    return finished;
  }

  /**
   * Stores a document's result, replacing an earlier one (never a success by a failure).
   * `recorded` is false when an earlier success was kept; `finished` is true for the one
   * result that finished the batch. Callers that retry pass the same `writeId` each time, so
   * a write that took effect but lost its reply is not counted twice.
   */
  async recordResult(result: ResultLine, usage: TokenUsage = NO_USAGE, now = Date.now(), writeId = newWriteId()): Promise<RecordOutcome> {
    const [outcome] = await this.recordResults(result.batchId, [{ result, usage, writeId }], now);
    return outcome as RecordOutcome;
  }

  /**
   * `recordResult` for several documents of one batch in one script call (one round trip,
   * counters written once): what a worker uses for the results its jobs produced meanwhile.
   * Each document is recorded exactly as by `recordResult`, in order; one outcome each.
   */
  async recordResults(batchId: string, writes: readonly ResultWrite[], now = Date.now()): Promise<RecordOutcome[]> {
    if (writes.length === 0) return [];
    const keys = batchKeys(this.prefix, batchId);
    const args: (string | number)[] = [keys.meta, keys.results, keys.states, keys.docs, keys.timeline, this.ttlSeconds, now];
    for (const { result, usage = NO_USAGE, writeId } of writes) {
      if (result.batchId !== batchId) throw new Error(`result of batch ${result.batchId} recorded with batch ${batchId}`);
      args.push(
        result.id,
        JSON.stringify(result),
        result.status,
        cacheCounter[result.cache],
        usage.calls,
        usage.tokensIn,
        usage.tokensOut,
        usage.tokensSaved,
        writeId,
      );
    }
    const answers = await this.redis.batchlineRecordResults(...args);
    const outcomes = answers.map((answer) => ({ recorded: answer !== 0, finished: answer === 2 }));
    if (outcomes.some((outcome) => outcome.finished)) await this.finished.emit(batchId);
    return outcomes;
  }

  /** For each document, whether it already has a successful result (a job that comes back, or is added again, need not run). */
  async succeededAmong(batchId: string, docIds: readonly string[]): Promise<boolean[]> {
    if (docIds.length === 0) return [];
    const states = await this.redis.hmget(batchKeys(this.prefix, batchId).states, ...docIds);
    return states.map((state) => state?.startsWith('ok|') ?? false);
  }

  /**
   * Of these documents, the ones no job will ever finish: no result, and their job in
   * `queue` is gone or finished without recording one (a broker that lost it, a job that
   * ran out of attempts or stalls, an ingest killed between recording and enqueueing).
   */
  async stranded(batchId: string, queue: string, docIds: readonly string[]): Promise<string[]> {
    if (docIds.length === 0) return [];
    const keys = batchKeys(this.prefix, batchId);
    const queueKey = (type: string) => bullmqKey(this.prefix, queue, type);
    const jobIds = docIds.map((id) => jobIdFor(batchId, id));
    return this.redis.batchlineStrandedDocs(
      3 + docIds.length,
      keys.states,
      queueKey('completed'),
      queueKey('failed'),
      ...jobIds.map((jobId) => queueKey(jobId)),
      ...docIds.flatMap((docId, i) => [docId, jobIds[i] as string]),
    );
  }

  /** The accepted documents of a batch that have no result yet, a page at a time (memory stays bounded). */
  async *pendingDocs(batchId: string): AsyncGenerator<string[]> {
    const keys = batchKeys(this.prefix, batchId);
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(keys.docs, cursor, 'COUNT', 1_000);
      cursor = next;
      const ids = entries.filter((_, i) => i % 2 === 0);
      if (ids.length === 0) continue;
      const states = await this.redis.hmget(keys.states, ...ids);
      const pending = ids.filter((_, i) => states[i] === null);
      if (pending.length > 0) yield pending;
    } while (cursor !== '0');
  }

  async get(batchId: string): Promise<BatchInfo | undefined> {
    const keys = batchKeys(this.prefix, batchId);
    const [meta, rejected] = await Promise.all([this.redis.hgetall(keys.meta), this.redis.hvals(keys.rejected)]);
    if (!meta.createdAt) return undefined;
    const n = (field: string) => Number(meta[field] ?? 0);
    return {
      batchId,
      source: meta.source ?? '',
      queue: meta.queue ?? '',
      pipeline: meta.pipeline ?? '',
      createdAt: n('createdAt'),
      updatedAt: n('updatedAt'),
      ...(meta.finishedAt ? { finishedAt: n('finishedAt') } : {}),
      sealed: meta.sealed === '1',
      total: n('total'),
      ok: n('ok'),
      failed: n('failed'),
      rejected: rejected.reduce((sum, value) => sum + Number(value), 0),
      cache: { exact: n('cacheExact'), semantic: n('cacheSemantic'), miss: n('cacheMiss') },
      llm: { calls: n('llmCalls'), tokensIn: n('tokensIn'), tokensOut: n('tokensOut'), tokensSaved: n('tokensSaved') },
      reprocessed: n('reprocessed'),
      ...(meta.ingestFailed !== undefined ? { ingestError: { message: meta.ingestFailed, at: n('ingestFailedAt') } } : {}),
    };
  }

  /** Documents finished per minute, oldest first: `{ minute (unix s), ok, failed, cacheExact, cacheSemantic, cacheMiss }`. */
  async timeline(batchId: string): Promise<TimelinePoint[]> {
    const raw = await this.redis.hgetall(batchKeys(this.prefix, batchId).timeline);
    const points = new Map<number, TimelinePoint>();
    for (const [field, value] of Object.entries(raw)) {
      const [minuteText, counter] = field.split(':');
      const minute = Number(minuteText);
      const point = points.get(minute) ?? { minute, ok: 0, failed: 0, cacheExact: 0, cacheSemantic: 0, cacheMiss: 0 };
      if (counter && counter in point && counter !== 'minute') point[counter as Exclude<keyof TimelinePoint, 'minute'>] = Number(value);
      points.set(minute, point);
    }
    return [...points.values()].sort((a, b) => a.minute - b.minute);
  }

  /** Failed documents of a batch with their reasons (at most `limit`). */
  async failures(batchId: string, limit = 100): Promise<ResultLine[]> {
    const keys = batchKeys(this.prefix, batchId);
    const failed: string[] = [];
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(keys.states, cursor, 'COUNT', 1_000);
      cursor = next;
      for (let i = 0; i < entries.length; i += 2) if (entries[i + 1]?.startsWith('failed|')) failed.push(entries[i] as string);
    } while (cursor !== '0' && failed.length < limit);
    if (failed.length === 0) return [];
    const lines = await this.redis.hmget(keys.results, ...failed.slice(0, limit));
    return lines.flatMap((line) => (line === null ? [] : [JSON.parse(line) as ResultLine]));
  }

  /** Batch ids, newest first. */
  async list(limit = 100): Promise<string[]> {
    return this.redis.zrevrange(batchIndexKey(this.prefix), 0, limit - 1);
  }

  /**
   * Every result line of a batch as the broker stored it (bytes, for export: decoding 100,000
   * lines to strings only to encode them again cost a third of the read), in pages so memory
   * stays bounded.
   */
  async *resultBytes(batchId: string): AsyncGenerator<Buffer> {
    const key = batchKeys(this.prefix, batchId).results;
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscanBuffer(key, cursor, 'COUNT', 1_000);
      cursor = next.toString();
      for (let i = 1; i < entries.length; i += 2) yield entries[i] as Buffer;
    } while (cursor !== '0');
  }

  /** Every result line of a batch, streamed in chunks so memory stays bounded. */
  async *results(batchId: string): AsyncGenerator<string> {
    const key = batchKeys(this.prefix, batchId).results;
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(key, cursor, 'COUNT', 1_000);
      cursor = next;
      for (let i = 1; i < entries.length; i += 2) yield entries[i] as string;
    } while (cursor !== '0');
  }
}

/**
 * A BullMQ key (`QueueKeys.toKey`'s layout), spelled here so that the batch store does not
 * load BullMQ: `status` and `export` need only the store, and importing BullMQ cost them
 * ~0.4 s of start-up. test/unit/queue/bullmq-key.test.ts checks the two agree.
 */
export function bullmqKey(prefix: string, queue: string, type: string): string {
  return `${prefix}:${queue}:${type}`;
}

export function isFinished(batch: BatchInfo): boolean {
  return batch.finishedAt !== undefined;
}

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { type BatchStore, jobIdFor, newWriteId } from '../batches/index.js';
import type { Config, DocumentQueueName } from '../config/index.js';
import { messageOf } from '../errors.js';
import type { DocumentJobData } from '../queue/index.js';
import { type BrokerConnection, replyOrClose, resendsCommands } from '../redis/index.js';
import type { ErrorsFile } from './errors-file.js';
import { formatOrigin, type InputRecord } from './input-record.js';
import { inputRecords } from './input-sources.js';
import { withBrokerRetry } from './retry.js';

/** How long an ingest that failed keeps trying to record the failure in the broker. */
const MARK_FAILED_RETRY_MS = 3_000;

export interface IngestRequest {
  batchId: string;
  queueName: DocumentQueueName;
  inputs: readonly string[];
  /** Pipeline name recorded with the batch. */
  pipeline: string;
  errors: ErrorsFile;
}

export interface IngestProgress {
  read: number;
  enqueued: number;
  skipped: number;
  /**
   * Documents an earlier ingest of the batch accepted that had no result and no job that
   * would give them one (that ingest was killed, or their job was lost or failed without a
   * result): enqueued again. Also counted in `enqueued`.
   */
  requeued: number;
  rejected: number;
  /** True while ingest waits for workers to drain the queue below the high-water mark. */
  paused: boolean;
}

export interface IngestReport extends IngestProgress {
  batchId: string;
  durationMs: number;
}

type DocRecord = Extract<InputRecord, { kind: 'doc' }>;

/**
 * A chunk is also flushed once its records add up to this many bytes of input: 500
 * documents of 1 MB each would otherwise sit in memory at once, several times over
 * while BullMQ serializes them. Measured on 600 × 1 MB: 2.2 GB peak RSS without this
 * bound, 0.32 GB with it (0.28 GB at 4 MB, 0.39 GB at 16 MB).
 */
export const CHUNK_MAX_BYTES = 8 * 1_048_576;

/**
 * Streams inputs into a queue: validates each record, rejects bad ones into the errors
 * file, enqueues the rest with `addBulk` in chunks under deterministic job ids, and
 * pauses while the queue is above its high-water mark. Memory is bounded by two chunks
 * (one being enqueued while the next is prepared), each at most `ingest.chunkSize`
 * records and about CHUNK_MAX_BYTES of input.
 */
export class Ingester {
  /**
   * Whether the queue's connection may send an `addBulk` again by itself: then any job may
   * be a second copy of one that already ran, and every job is marked for a check. Queues
   * from `openIngestQueue` do not (outside a Cluster), and only retries are marked.
   */
  private readonly queueResends: boolean;

  constructor(
    private readonly config: Config,
    private readonly queue: Queue,
    private readonly store: BatchStore,
    private readonly logger: Logger,
  ) {
    this.queueResends = resendsCommands(queue.opts.connection as BrokerConnection);
  }

  async ingest(request: IngestRequest, onProgress: (progress: IngestProgress) => void = () => {}): Promise<IngestReport> {
    const started = Date.now();
    const runId = randomBytes(6).toString('hex');
    const { batchId, inputs } = request;
    const openedAt = Date.now();
    await withBrokerRetry('opening the batch', this.config.ingest.brokerRetryMs, this.logger, () =>
      this.store.open({ batchId, source: inputs.join(' '), queue: request.queueName, pipeline: request.pipeline }, openedAt, runId),
    );
    try {
      return await this.ingestOpened(request, runId, started, onProgress);
    } catch (error) {
      await this.markFailed(batchId, runId, error);
      throw error;
    }
  }

  /**
   * Records why an ingest stopped, so that its batch does not read "ingesting" forever. A
   * broker that refused the ingest's writes may refuse this one too: a few tries, then the
   * batch is left unsealed, which `status` reports once it has stood still (INGEST_QUIET_MS).
   */
  private async markFailed(batchId: string, runId: string, error: unknown): Promise<void> {
    const reason = messageOf(error);
    try {
      await withBrokerRetry('marking the ingest failed', MARK_FAILED_RETRY_MS, this.logger, () =>
        this.store.markIngestFailed(batchId, runId, reason),
      );
      this.logger.error({ batchId, reason }, 'ingest failed; batch marked failed');
    } catch (markError) {
      this.logger.error({ batchId, reason, markError: messageOf(markError) }, 'ingest failed; could not mark the batch failed');
    }
  }

  private async ingestOpened(
    request: IngestRequest,
    runId: string,
    started: number,
    onProgress: (progress: IngestProgress) => void,
  ): Promise<IngestReport> {
    const { batchId, inputs } = request;
    const limits = this.config.ingest;
    const progress: IngestProgress = { read: 0, enqueued: 0, skipped: 0, requeued: 0, rejected: 0, paused: false };
    const requeuedSample: string[] = [];
    const retry = <T>(what: string, operation: () => Promise<T>) =>
      withBrokerRetry(what, limits.brokerRetryMs, this.logger, operation);
    let batchTotal = (await retry('reading the batch', () => this.store.get(batchId)))?.total ?? 0;

    for (const input of inputs) {
      // Every rejection counts for the input it was found in (a folder's files roll up to it).
      let rejectedHere = 0;
      const reject = async (record: { origin: InputRecord['origin'] }, reason: string) => {
        await request.errors.write(record.origin, reason);
        progress.rejected++;
        rejectedHere++;
      };
      let chunk: DocRecord[] = [];
      let chunkBytes = 0;
      // The previous chunk's addBulk, left on its way while the next chunk is read, checked,
      // recorded and serialized: the broker adds one chunk's jobs while this process prepares
      // the next, instead of each waiting for the other (a CPU profile of `npm run bench --
      // ingest` found the ingesting process idle, waiting for replies, 57 % of the time). A
      // flush sends its addBulk, then waits for the previous one before reading goes on: at
      // most two chunks are held at once, and the queue depth back-pressure reads lags by
      // one chunk at the most.
      let enqueuing: Promise<unknown> = Promise.resolve();
      const flush = async () => {
        const records = chunk;
        chunk = [];
        chunkBytes = 0;
        await this.waitBelowHighWater(progress, onProgress);
        const states = await retry('checking document ids', () =>
          this.store.classifyDocs(batchId, runId, records.map((r) => r.doc.id)),
        );
        const fresh: DocRecord[] = [];
        const seen: DocRecord[] = [];
        for (const [i, record] of records.entries()) {
          if (states[i] === 'seen') seen.push(record);
          else if (states[i] === 'duplicate') await reject(record, `duplicate id "${record.doc.id}" within the batch`);
          else if (batchTotal + fresh.length >= limits.maxBatchDocs)
            await reject(record, `batch already holds ${limits.maxBatchDocs} documents, the most one batch may hold (ingest.maxBatchDocs)`);
          else fresh.push(record);
        }
        const requeue = await this.strandedAmong(batchId, request.queueName, seen, retry);
        progress.skipped += seen.length - requeue.length;
        // Recorded first, then enqueued, so the batch's total never lags its jobs. Killed in
        // between, the next ingest of the batch finds these documents recorded with no job
        // and enqueues them. Both steps are safe to repeat.
        if (fresh.length > 0) {
          await retry('recording accepted documents', () => this.store.markEnqueued(batchId, runId, fresh.map((r) => r.doc.id)));
        }
        const previous = enqueuing;
        if (fresh.length + requeue.length > 0) {
          enqueuing = this.enqueue(batchId, fresh, requeue, retry);
          enqueuing.catch(() => {}); // a failure is thrown where it is awaited: by the next flush, or at the end of the input
        }
        await previous;
        progress.requeued += requeue.length;
        progress.enqueued += requeue.length;
        requeuedSample.push(...requeue.slice(0, 5 - requeuedSample.length).map((r) => r.doc.id));
        batchTotal += fresh.length;
        progress.enqueued += fresh.length;
        onProgress(progress);
      };

      const idsInChunk = new Set<string>();
      try {
        for await (const record of inputRecords([input], limits)) {
          progress.read++;
          if (record.kind === 'reject') {
            await reject(record, record.reason);
            continue;
          }
          if (idsInChunk.has(record.doc.id)) {
            await reject(record, `duplicate id "${record.doc.id}" within the batch`);
            continue;
          }
          idsInChunk.add(record.doc.id);
          chunk.push(record);
          chunkBytes += record.bytes;
          if (chunk.length >= limits.chunkSize || chunkBytes >= CHUNK_MAX_BYTES) {
            await flush();
            idsInChunk.clear();
          }
        }
        if (chunk.length > 0) await flush();
        await enqueuing;
      } finally {
        // An ingest that fails is marked failed only once no addBulk of it is still on its way.
        await enqueuing.catch(() => {});
      }
      await retry('recording rejections', () => this.store.setRejected(batchId, input, rejectedHere));
    }

    if (progress.requeued > 0) {
      this.logger.warn(
        { batchId, count: progress.requeued, sample: requeuedSample },
        'enqueued again documents an earlier ingest of this batch accepted that had no result and no job',
      );
    }
    // One write id for every try: a seal whose reply was lost and is sent again answers as the first time.
    // A seal that finishes the batch (every document already had a result) raises the store's "batch finished" event.
    const sealWrite = newWriteId();
    await retry('sealing the batch', () => this.store.seal(batchId, Date.now(), sealWrite));
    onProgress(progress);
    return { ...progress, batchId, durationMs: Date.now() - started };
  }

  /**
   * Of documents an earlier ingest accepted, the ones no job will finish: their finished
   * job (failed without a result) is removed so that the same job id can be added again.
   */
  private async strandedAmong(
    batchId: string,
    queueName: DocumentQueueName,
    seen: readonly DocRecord[],
    retry: <T>(what: string, operation: () => Promise<T>) => Promise<T>,
  ): Promise<DocRecord[]> {
    if (seen.length === 0) return [];
    const strandedIds = new Set(
      await retry('looking for documents no job will finish', () => this.store.stranded(batchId, queueName, seen.map((r) => r.doc.id))),
    );
    const stranded = seen.filter((record) => strandedIds.has(record.doc.id));
    if (stranded.length > 0) {
      await retry('removing finished jobs of documents without a result', () =>
        this.onQueue((queue) => Promise.all(stranded.map((record) => queue.remove(jobIdFor(batchId, record.doc.id))))),
      );
    }
    return stranded;
  }

  /**
   * Adds the jobs of `fresh` and `requeued` documents. Job ids are deterministic: a repeated
   * `addBulk` adds nothing for jobs that exist, but a job that ran and was removed (completed
   * jobs are not kept) is added again. So every try after the first, whose predecessor may
   * have taken effect, marks its jobs for a result check before they run, as do documents
   * enqueued again and any job sent over a connection that re-sends by itself.
   */
  private enqueue(
    batchId: string,
    fresh: readonly DocRecord[],
    requeued: readonly DocRecord[],
    retry: <T>(what: string, operation: () => Promise<T>) => Promise<T>,
  ): Promise<unknown> {
    let tries = 0;
    return retry('enqueueing documents', () => {
      const recheck = tries++ > 0 || this.queueResends;
      const jobs = [...fresh.map((record) => this.toJob(batchId, record, recheck)), ...requeued.map((record) => this.toJob(batchId, record, true))];
      return this.onQueue((queue) => queue.addBulk(jobs));
    });
  }

  /** A call on the queue that fails, instead of waiting forever, when its connection drops before the reply. */
  private async onQueue<T>(call: (queue: Queue) => Promise<T>): Promise<T> {
    return replyOrClose(await this.queue.getBackend().client, () => call(this.queue));
  }

  private toJob(batchId: string, record: DocRecord, recheck: boolean) {
    const data: DocumentJobData = { batchId, doc: record.doc, origin: formatOrigin(record.origin), ...(recheck ? { recheck: true } : {}) };
    return { name: 'document', data, opts: { jobId: jobIdFor(batchId, record.doc.id) } };
  }

  /** Back-pressure: while the queue holds more than the high-water mark, stop reading. */
  private async waitBelowHighWater(progress: IngestProgress, onProgress: (p: IngestProgress) => void): Promise<void> {
    const highWater = this.config.ingest.highWaterMark;
    for (;;) {
      const waiting = await withBrokerRetry('reading queue depth', this.config.ingest.brokerRetryMs, this.logger, () =>
        this.onQueue((queue) => queue.getWaitingCount()),
      );
      if (waiting <= highWater) break;
      if (!progress.paused) {
        progress.paused = true;
        this.logger.info({ waiting, highWater }, 'queue above high-water mark; ingest paused');
        onProgress(progress);
      }
      await sleep(250);
    }
    if (progress.paused) {
      progress.paused = false;
      this.logger.info('queue below high-water mark; ingest resumed');
    }
  }
}

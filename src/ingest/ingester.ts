import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { queueLearning } from '../patterns/index.js';
import type { BatchStore } from '../queue/batch-store.js';
import { jobIdFor } from '../queue/ids.js';
import type { DocumentJobData } from '../queue/job-data.js';
import type { DocumentQueueName } from '../queue/queue-names.js';
import type { ErrorsFile } from './errors-file.js';
import { formatOrigin, type InputRecord } from './input-record.js';
import { inputRecords } from './input-sources.js';
import { withBrokerRetry } from './retry.js';

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
 * Streams inputs into a queue: validates each record, rejects bad ones into the errors
 * file, enqueues the rest with `addBulk` in chunks under deterministic job ids, and
 * pauses while the queue is above its high-water mark. Memory is bounded by one chunk.
 */
export class Ingester {
  constructor(
    private readonly config: Config,
    private readonly queue: Queue,
    private readonly store: BatchStore,
    private readonly logger: Logger,
  ) {}

  async ingest(request: IngestRequest, onProgress: (progress: IngestProgress) => void = () => {}): Promise<IngestReport> {
    const started = Date.now();
    const runId = randomBytes(6).toString('hex');
    const { batchId, inputs } = request;
    const limits = this.config.ingest;
    const progress: IngestProgress = { read: 0, enqueued: 0, skipped: 0, rejected: 0, paused: false };
    const retry = <T>(what: string, operation: () => Promise<T>) =>
      withBrokerRetry(what, limits.brokerRetryMs, this.logger, operation);

    await retry('opening the batch', () =>
      this.store.open({ batchId, source: inputs.join(' '), queue: request.queueName, pipeline: request.pipeline }),
    );
    let batchTotal = (await retry('reading the batch', () => this.store.get(batchId)))?.total ?? 0;

    const reject = async (record: { origin: InputRecord['origin'] }, reason: string, perSource: Map<string, number>) => {
      await request.errors.write(record.origin, reason);
      progress.rejected++;
      perSource.set(record.origin.file, (perSource.get(record.origin.file) ?? 0) + 1);
    };

    for (const input of inputs) {
      const rejectedHere = new Map<string, number>([[input, 0]]);
      let chunk: DocRecord[] = [];
      const flush = async () => {
        const records = chunk;
        chunk = [];
        await this.waitBelowHighWater(progress, onProgress);
        const states = await retry('checking document ids', () =>
          this.store.classifyDocs(batchId, runId, records.map((r) => r.doc.id)),
        );
        const fresh: DocRecord[] = [];
        for (const [i, record] of records.entries()) {
          if (states[i] === 'seen') progress.skipped++;
          else if (states[i] === 'duplicate') await reject(record, `duplicate id "${record.doc.id}" within the batch`, rejectedHere);
          else if (batchTotal + fresh.length >= limits.maxBatchDocs)
            await reject(record, `batch already holds ${limits.maxBatchDocs} documents (ingest.maxBatchDocs)`, rejectedHere);
          else fresh.push(record);
        }
        if (fresh.length > 0) {
          await retry('enqueueing documents', () => this.queue.addBulk(fresh.map((record) => this.toJob(batchId, record))));
          await retry('recording enqueued documents', () => this.store.markEnqueued(batchId, runId, fresh.map((r) => r.doc.id)));
        }
        batchTotal += fresh.length;
        progress.enqueued += fresh.length;
        onProgress(progress);
      };

      const idsInChunk = new Set<string>();
      for await (const record of inputRecords([input], limits)) {
        progress.read++;
        if (record.kind === 'reject') {
          await reject(record, record.reason, rejectedHere);
          continue;
        }
        if (idsInChunk.has(record.doc.id)) {
          await reject(record, `duplicate id "${record.doc.id}" within the batch`, rejectedHere);
          continue;
        }
        idsInChunk.add(record.doc.id);
        chunk.push(record);
        if (chunk.length >= limits.chunkSize) {
          await flush();
          idsInChunk.clear();
        }
      }
      if (chunk.length > 0) await flush();
      // Every rejection is attributed to the input it was found in (a folder's files roll up to it).
      const rejectedCount = [...rejectedHere.values()].reduce((a, b) => a + b, 0);
      await retry('recording rejections', () => this.store.setRejected(batchId, input, rejectedCount));
    }

    const finished = await retry('sealing the batch', () => this.store.seal(batchId));
    // Every document already had a result: the seal finished the batch, so learning is queued here.
    if (finished === true) await queueLearning(this.config, this.queue.opts.connection, batchId, this.logger);
    onProgress(progress);
    return { ...progress, batchId, durationMs: Date.now() - started };
  }

  private toJob(batchId: string, record: DocRecord) {
    const data: DocumentJobData = { batchId, doc: record.doc, origin: formatOrigin(record.origin) };
    return { name: 'document', data, opts: { jobId: jobIdFor(batchId, record.doc.id) } };
  }

  /** Back-pressure: while the queue holds more than the high-water mark, stop reading. */
  private async waitBelowHighWater(progress: IngestProgress, onProgress: (p: IngestProgress) => void): Promise<void> {
    const highWater = this.config.ingest.highWaterMark;
    for (;;) {
      const waiting = await withBrokerRetry('reading queue depth', this.config.ingest.brokerRetryMs, this.logger, () =>
        this.queue.getWaitingCount(),
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

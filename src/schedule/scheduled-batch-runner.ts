import path from 'node:path';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { BatchStore } from '../batches/index.js';
import type { Config } from '../config/index.js';
import { ErrorsFile, Ingester, type IngestReport } from '../ingest/index.js';
import { openIngestQueue } from '../queue/index.js';
import { type ScheduledBatchData, scheduledBatchId } from './scheduled-batch-job.js';

/**
 * Runs one due schedule inside a worker: ingests the schedule's inputs as a normal batch
 * named after the schedule and the minute it was due. The inputs are read on the worker's
 * machine. A retried run re-ingests into the same batch, which adds nothing twice.
 */
export function createScheduledBatchRunner(config: Config, brokerUrl: string, store: BatchStore, logger: Logger) {
  return async function runScheduledBatch(job: Job<ScheduledBatchData>): Promise<IngestReport> {
    const { schedule, inputs, queue: queueName, pipeline } = job.data;
    const batchId = scheduledBatchId(schedule, job.timestamp);
    const queue = openIngestQueue(config, queueName, brokerUrl);
    const errors = new ErrorsFile(path.join(config.outDir, `${batchId}.errors.jsonl`), batchId, 'append');
    try {
      logger.info({ schedule, batchId, inputs }, 'scheduled batch starting');
      const report = await new Ingester(config, queue, store, logger)
        .ingest({ batchId, queueName, inputs, pipeline: pipeline ?? config.pipeline, errors })
        .finally(() => errors.close());
      logger.info({ schedule, batchId, enqueued: report.enqueued, rejected: report.rejected }, 'scheduled batch ingested');
      return report;
    } finally {
      await queue.close().catch(() => {});
    }
  };
}

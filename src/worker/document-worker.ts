import type { Job, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config, DocumentQueueName } from '../config/index.js';
import { queueLimiter, withLimiter } from '../llm/index.js';
import { applyRetryPolicy, type DocumentJobData, defaultJobOptions, jobRetention } from '../queue/index.js';
import { createScheduledBatchRunner, SCHEDULED_BATCH_JOB, type ScheduledBatchData } from '../schedule/index.js';
import { BrokerWrites } from './broker-writes.js';
import { closeWorker, openWorker, workerOptions } from './bullmq-worker.js';
import { createDocumentProcessor, type JobOutcome, type ProcessorDeps } from './document-processor.js';

export interface DocumentWorker {
  readonly worker: Worker<DocumentJobData | ScheduledBatchData, JobOutcome>;
  /** Stops taking jobs, lets active ones finish for up to `shutdownTimeoutMs`, then closes. */
  close(): Promise<void>;
}

/** BullMQ's errors for a job this worker no longer holds (see its finished-errors). */
const lostJobError = /^(could not renew lock for job|Missing (key|lock) for job|Lock mismatch for job|Job \S+ is not in the \S+ state)/;

/** A BullMQ worker on a document queue, with batchline's lock, stall and concurrency settings. */
export function startDocumentWorker(
  config: Config,
  brokerUrl: string,
  queue: DocumentQueueName,
  deps: Omit<ProcessorDeps, 'queue' | 'jobTimeoutMs' | 'brokerWrites'>,
  concurrency = config.workers.concurrency[queue],
): DocumentWorker {
  const logger: Logger = deps.logger;
  let stopping = false;
  const brokerWrites = new BrokerWrites({ logger, stopping: () => stopping });
  const processDocument = createDocumentProcessor({ ...deps, queue, brokerWrites, jobTimeoutMs: config.workers.jobTimeoutMs });
  const runScheduledBatch = createScheduledBatchRunner(config, brokerUrl, deps.store, logger);
  // Schedules enqueue one job per due run on the queue their documents go to; its worker ingests them.
  const retryPolicy = defaultJobOptions(config);
  const processor = async (job: Job<DocumentJobData | ScheduledBatchData>): Promise<JobOutcome> => {
    applyRetryPolicy(job, retryPolicy);
    if (job.name !== SCHEDULED_BATCH_JOB) return processDocument(job as Job<DocumentJobData>);
    await runScheduledBatch(job as Job<ScheduledBatchData>);
    return { status: 'ok' };
  };
  const worker = openWorker<DocumentJobData | ScheduledBatchData, JobOutcome>(queue, processor, {
    ...workerOptions(config, brokerUrl, concurrency),
    // Document jobs' retention (completed ones removed at once by default); learn jobs name their own.
    ...jobRetention(config),
    // BullMQ counts in the broker, so this holds across all the queue's worker processes.
    ...withLimiter(queueLimiter(config.llm, queue === 'batch' ? config.workers.batchRateLimit : undefined)),
  });

  // Connection errors repeat on every reconnect attempt: log the first, then the recovery.
  // BullMQ's own writes refused by the broker (out of memory, ...) are no connection error:
  // they share the result writes' one line per change. Nor is a job this worker lost (its
  // lock lapsed while the broker refused writes or the event loop was blocked, then the
  // job moved on): it comes back through stall detection, and a result recorded meanwhile
  // is kept. Those come one per job: a line every 30 s at most, with the count.
  let connectionLost = false;
  let jobsLost = 0;
  let jobsLostLoggedAt = 0;
  worker.on('error', (error) => {
    if (brokerWrites.noteRefusal('fetching or finishing jobs', error)) return;
    if (lostJobError.test(error.message)) {
      jobsLost++;
      if (Date.now() - jobsLostLoggedAt >= 30_000) {
        logger.warn({ count: jobsLost, err: error.message }, 'jobs lost their lock; they come back through stall detection');
        jobsLostLoggedAt = Date.now();
        jobsLost = 0;
      }
      return;
    }
    if (!connectionLost) logger.warn({ err: error.message }, 'broker connection error; reconnecting');
    connectionLost = true;
  });
  worker.on('ready', () => {
    if (connectionLost) logger.info('broker connection restored');
    connectionLost = false;
  });

  return {
    worker,
    async close() {
      stopping = true;
      const timeoutMs = config.workers.shutdownTimeoutMs;
      if (!(await closeWorker(worker, timeoutMs))) {
        logger.warn({ timeoutMs }, 'active jobs did not finish in time; they return to the queue after their lock expires');
      }
    },
  };
}

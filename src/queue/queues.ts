import { type Job, type JobsOptions, Queue, type QueueOptions, type WorkerOptions } from 'bullmq';
import type { Config, QueueName } from '../config/index.js';
import { type BrokerConnection, closeWith, ingestConnection, producerConnection } from '../redis/index.js';

/** Job options every job gets: retries with exponential backoff. */
export function defaultJobOptions(config: Config): JobsOptions {
  const { jobs } = config;
  return { attempts: jobs.attempts, backoff: { type: 'exponential', delay: jobs.backoffMs } };
}

/**
 * Gives a job that names no retry policy the configured one (`defaultJobOptions`), in the
 * worker about to run it: document jobs are enqueued without one (`openIngestQueue`), like
 * their retention, so every job's stored options stay small (its id alone). BullMQ decides
 * a retry in the worker, from the job's options in memory.
 */
export function applyRetryPolicy(job: Pick<Job, 'opts'>, policy: Pick<JobsOptions, 'attempts' | 'backoff'>): void {
  if (job.opts.attempts) return;
  job.opts.attempts = policy.attempts;
  job.opts.backoff = policy.backoff;
}

/**
 * How long finished jobs stay in the broker, given to the workers rather than to each job:
 * BullMQ applies a worker's retention to jobs that name none, so every job's stored options
 * stay small (~90 bytes less per job, written, parsed and packed once per document).
 */
export function jobRetention(config: Config): Pick<WorkerOptions, 'removeOnComplete' | 'removeOnFail'> {
  const { jobs } = config;
  return {
    removeOnComplete: { count: jobs.keepCompletedCount, age: jobs.keepCompletedSeconds },
    removeOnFail: { count: jobs.keepFailedCount, age: jobs.keepFailedSeconds },
  };
}

/** A producer-side BullMQ queue: fails fast while the broker is unreachable. */
export function openQueue(config: Config, name: QueueName, brokerUrl: string): Queue {
  return queueOver(config, name, producerConnection(brokerUrl), { defaultJobOptions: defaultJobOptions(config) });
}

/**
 * The queue ingest enqueues documents through: like `openQueue`, over a connection that
 * never re-sends a command by itself, so that every job added twice is one its ingester
 * knows may be (see `ingestConnection`); and its jobs carry no retry policy, which the
 * document workers give them (`applyRetryPolicy`).
 */
export function openIngestQueue(config: Config, name: QueueName, brokerUrl: string): Queue {
  // BullMQ asks a new connection for the server's version once (INFO), and every later call
  // waits for that answer: lost on a connection that never re-sends, it would never come
  // and the ingest would hang. The workers check the version; this queue skips it.
  return queueOver(config, name, ingestConnection(brokerUrl), { skipVersionCheck: true });
}

function queueOver(config: Config, name: QueueName, connection: BrokerConnection, options: Partial<QueueOptions>): Queue {
  const queue = new Queue(name, { ...options, connection, prefix: config.queuePrefix });
  // Connection errors surface on the calls themselves; without a listener they would crash the process.
  queue.on('error', () => {});
  return closeWith(queue, connection);
}

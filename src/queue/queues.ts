import { type JobsOptions, Queue, type WorkerOptions } from 'bullmq';
import type { Config, QueueName } from '../config/index.js';
import { type BrokerConnection, closeWith, ingestConnection, producerConnection } from '../redis/index.js';

/** Job options every job gets: retries with exponential backoff. */
export function defaultJobOptions(config: Config): JobsOptions {
  const { jobs } = config;
  return { attempts: jobs.attempts, backoff: { type: 'exponential', delay: jobs.backoffMs } };
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
  return queueOver(config, name, producerConnection(brokerUrl));
}

/**
 * The queue ingest enqueues documents through: like `openQueue`, over a connection that
 * never re-sends a command by itself, so that every job added twice is one its ingester
 * knows may be (see `ingestConnection`).
 */
export function openIngestQueue(config: Config, name: QueueName, brokerUrl: string): Queue {
  return queueOver(config, name, ingestConnection(brokerUrl));
}

function queueOver(config: Config, name: QueueName, connection: BrokerConnection): Queue {
  const queue = new Queue(name, {
    connection,
    prefix: config.queuePrefix,
    defaultJobOptions: defaultJobOptions(config),
  });
  // Connection errors surface on the calls themselves; without a listener they would crash the process.
  queue.on('error', () => {});
  return closeWith(queue, connection);
}

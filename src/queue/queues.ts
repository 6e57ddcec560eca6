import { type JobsOptions, Queue } from 'bullmq';
import type { Config } from '../config/index.js';
import { closeWith, producerConnection } from './connections.js';
import type { QueueName } from './queue-names.js';

/** Job options every document job gets: retries with exponential backoff, bounded retention. */
export function defaultJobOptions(config: Config): JobsOptions {
  const { jobs } = config;
  return {
    attempts: jobs.attempts,
    backoff: { type: 'exponential', delay: jobs.backoffMs },
    // Results live in the batch store, so finished jobs need not stay in the broker for long.
    removeOnComplete: { count: jobs.keepCompletedCount, age: jobs.keepCompletedSeconds },
    removeOnFail: { count: jobs.keepFailedCount, age: jobs.keepFailedSeconds },
  };
}

/** A producer-side BullMQ queue: fails fast while the broker is unreachable. */
export function openQueue(config: Config, name: QueueName, brokerUrl: string): Queue {
  const connection = producerConnection(brokerUrl);
  const queue = new Queue(name, {
    connection,
    prefix: config.queuePrefix,
    defaultJobOptions: defaultJobOptions(config),
  });
  // Connection errors surface on the calls themselves; without a listener they would crash the process.
  queue.on('error', () => {});
  return closeWith(queue, connection);
}

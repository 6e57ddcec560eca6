import type { Cluster } from 'ioredis';
import type { RedisOptions } from 'bullmq';
import { clusterClient, isCluster } from './cluster-connection.js';
import { isClusterUrl } from '../config/index.js';
import { redisOptionsFromUrl } from './redis-options.js';

/**
 * What BullMQ's `connection` gets: options for one Redis, or, for a `redis+cluster://`
 * URL, an unconnected ioredis Cluster. BullMQ closes connections it made from options and
 * the duplicates it makes of a Cluster, never a Cluster it was given: see `closeWith`.
 */
export type BrokerConnection = RedisOptions | Cluster;

/**
 * Reconnect quickly after a broker restart: measured ~0.3 s to the first completed job
 * after the broker is back with this strategy, against ~6 s with BullMQ's default.
 */
const brokerRetryStrategy = (attempt: number): number => Math.min(attempt * 200, 1_000);

/** Connection options for BullMQ workers: blocking commands need `maxRetriesPerRequest: null`. */
export function workerConnection(brokerUrl: string): BrokerConnection {
  if (isClusterUrl(brokerUrl)) return clusterClient(brokerUrl, 'worker');
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
export function producerConnection(brokerUrl: string): BrokerConnection {
  if (isClusterUrl(brokerUrl)) return clusterClient(brokerUrl, 'producer');
  return {
    ...redisOptionsFromUrl(brokerUrl),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: brokerRetryStrategy,
    connectTimeout: 5_000,
  };
}

/**
 * Connection options for the queue ingest adds jobs through: a producer connection that
 * never sends a command again by itself after a reconnect (ioredis does by default). An
 * `addBulk` whose reply was lost is then retried by its caller, which knows it may have
 * taken effect and says so in the jobs it sends again; a silent re-send could add a job
 * whose first run already completed and was removed, to run a second time. A Cluster
 * re-sends on its own (redirections, failovers): it is returned as for any producer.
 *
 * ioredis 5 never settles a command dropped this way (redis/ioredis#2193): callers race
 * each call against the connection closing (`replyOrClose`).
 */
export function ingestConnection(brokerUrl: string): BrokerConnection {
  const connection = producerConnection(brokerUrl);
  if (isCluster(connection)) return connection;
  return { ...connection, autoResendUnfulfilledCommands: false };
}

/** Whether commands sent over `connection` can be sent again behind their caller's back. */
export function resendsCommands(connection: BrokerConnection): boolean {
  return isCluster(connection) || connection.autoResendUnfulfilledCommands !== false;
}

/**
 * Makes `owner.close()` also close `connection` when it is a Cluster that `owner` (a BullMQ
 * Queue or Worker) was given: BullMQ leaves a given client open (a Worker connects it too,
 * besides the duplicates it makes and closes), and a Cluster left open keeps the process
 * alive. Options need nothing: BullMQ closes the client it made from them.
 */
export function closeWith<T extends { close(force?: boolean): Promise<void> }>(owner: T, connection: BrokerConnection): T {
  if (!isCluster(connection)) return owner;
  const close = owner.close.bind(owner);
  owner.close = async (force?: boolean) => {
    try {
      await close(force);
    } finally {
      connection.disconnect();
    }
  };
  return owner;
}

import { isIP } from 'node:net';
import { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { parseClusterUrl } from '../config/index.js';

/** What a broker connection is for: producers fail calls at once while disconnected, workers hold them. */
export type ClusterClientKind = 'producer' | 'worker';

/** Pacing of reconnects to a cluster that is down as a whole, like the single broker's. */
const clusterRetryStrategy = (attempt: number): number => Math.min(attempt * 200, 1_000);

/**
 * An ioredis `Cluster` on the seed nodes of a `redis+cluster://` URL, not yet connected
 * (`lazyConnect`): BullMQ connects it, or duplicates it for its own connections (a worker
 * never uses the instance it is given, only duplicates of it).
 *
 * - Worker clients have `maxRetriesPerRequest: null`, as BullMQ requires for blocking
 *   commands; producers fail a call after one retry while the cluster is unreachable.
 * - `retryDelayOnFailover` / `retryDelayOnClusterDown` / `retryDelayOnTryAgain`: while a
 *   master fails over (its replica is promoted after `cluster-node-timeout`), MOVED,
 *   CLUSTERDOWN and TRYAGAIN replies are retried after a pause instead of failing.
 * - Credentials and TLS from the URL apply to every node the client discovers.
 */
export function clusterClient(url: string, kind: ClusterClientKind): Cluster {
  const parsed = parseClusterUrl(url);
  const firstHost = parsed.nodes[0]?.host ?? '';
  const redisOptions: RedisOptions = {
    connectTimeout: 5_000,
    maxRetriesPerRequest: kind === 'worker' ? null : 1,
    ...(parsed.username ? { username: parsed.username } : {}),
    ...(parsed.password ? { password: parsed.password } : {}),
    // SNI takes host names only; every node is checked against its certificate either way.
    ...(parsed.tls ? { tls: isIP(firstHost) ? {} : { servername: firstHost } } : {}),
  };
  const options: ClusterOptions = {
    lazyConnect: true,
    enableReadyCheck: true,
    enableOfflineQueue: kind === 'worker',
    clusterRetryStrategy,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 200,
    // A failover takes cluster-node-timeout plus an election; redirections are retried for that long.
    maxRedirections: 64,
    slotsRefreshTimeout: 2_000,
    redisOptions,
  };
  return new Cluster(
    parsed.nodes.map((node) => ({ host: node.host, port: node.port })),
    options,
  );
}

/** True for an ioredis Cluster (what `workerConnection`/`producerConnection` give for a cluster URL). */
export function isCluster(value: unknown): value is Cluster {
  return value instanceof Cluster;
}

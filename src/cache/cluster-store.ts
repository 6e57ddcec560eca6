import { reconnectStrategy } from '../breaker/index.js';
import { type ConnectionTarget, classifyConnectionError } from '../errors.js';
import { parseClusterUrl } from '../config/index.js';
import { connectionLog } from './connection-log.js';
import { keyvOver } from './keyv-over.js';
import { keyvRedis } from './keyv-redis.js';
import type { CacheRedisClient, RedisStore, RedisStoreOptions } from './redis-store.js';

/**
 * The cache on a Redis Cluster (`redis+cluster://` URL): a node-redis cluster client with
 * Keyv (over @keyv/redis) on top, behind the same {@link RedisStore} face as one Redis, so
 * the gateway, breaker and budgets are unchanged.
 *
 * Differences from one Redis, and why:
 * - node-redis gives up on a cluster whose seed nodes do not answer at `connect()`: this
 *   store retries discovery with the configured backoff until it succeeds or is closed.
 * - node-redis re-reads the slot map only on a MOVED reply. A master that dies never
 *   answers, so its slots would point at it forever after its replica took over: a node
 *   error triggers a re-read (at most one per `REDISCOVER_MS`).
 * - The cluster client is typed as the single client: it answers the same keyed commands.
 *   Commands with several keys must keep them in one slot (see README, "Redis Cluster").
 */

/** Least time between two slot-map re-reads after node errors (ms). */
const REDISCOVER_MS = 500;

/** The part of node-redis's cluster internals used to re-read the slot map (not in its types). */
interface SlotsInternals {
  _slots?: { rediscover(startWith: { options: unknown }): Promise<void> };
}

export function createClusterStore(options: RedisStoreOptions): RedisStore {
  const parsed = parseClusterUrl(options.url);
  const scheme = parsed.tls ? 'rediss' : 'redis';
  let closed = false;
  const rootNodes = parsed.nodes.map((node) => ({ url: `${scheme}://${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.port}` }));
  const cluster = keyvRedis().createCluster({
    rootNodes,
    defaults: {
      ...(parsed.username ? { username: parsed.username } : {}),
      ...(parsed.password ? { password: parsed.password } : {}),
      disableOfflineQueue: true,
      socket: {
        connectTimeout: options.connectTimeoutMs,
        reconnectStrategy: reconnectStrategy(options.backoff, () => closed),
        ...(parsed.tls ? { tls: true as const } : {}),
      },
    },
  });
  const client = cluster as unknown as CacheRedisClient;

  const target: ConnectionTarget = { server: 'cache', url: options.url, key: 'cacheUrl', variable: 'BATCHLINE_CACHE_URL' };
  const log = connectionLog(options.logger, target);
  let ready = false;
  let lastError: string | undefined;
  let settleFirst: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => {
    settleFirst = resolve;
  });
  const failed = (error: unknown) => {
    lastError = classifyConnectionError(error, target).message;
    settleFirst();
    if (!closed) log.error(error);
  };
  cluster.on('error', failed);

  let lastRediscover = 0;
  cluster.on('node-error', (error: unknown) => {
    failed(error);
    const now = Date.now();
    if (!ready || closed || now - lastRediscover < REDISCOVER_MS) return;
    lastRediscover = now;
    const slots = (cluster as unknown as SlotsInternals)._slots;
    const seed = rootNodes[Math.floor(Math.random() * rootNodes.length)];
    void slots?.rediscover({ options: seed }).catch(() => {});
  });

  const connectWithRetry = async (attempt: number): Promise<void> => {
    try {
      await cluster.connect();
      ready = true;
      lastError = undefined;
      settleFirst();
      log.ready();
    } catch (error) {
      failed(error);
      const delay = reconnectStrategy(options.backoff, () => closed)(attempt);
      if (closed || typeof delay !== 'number') return;
      const timer = setTimeout(() => void connectWithRetry(attempt + 1), delay);
      timer.unref();
    }
  };
  void connectWithRetry(0);

  const keyv = keyvOver(cluster);

  let closing: Promise<void> | undefined;
  return {
    client,
    keyv,
    isReady: () => !closed && ready && cluster.isOpen,
    firstAttempt,
    connectionError: () => lastError,
    close(timeoutMs) {
      closed = true;
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([firstAttempt, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
        clearTimeout(timer);
        try {
          cluster.destroy();
        } catch {
          // never connected
        }
      })();
      return closing;
    },
  };
}

import type { Keyv, RedisClientType } from '@keyv/redis';
import { type BackoffOptions, reconnectStrategy } from '../breaker/index.js';
import type { Logger } from '../log.js';
import { settleWithin } from '../time.js';
import { type ConnectionTarget, classifyConnectionError } from '../errors.js';
import { isClusterUrl } from '../config/index.js';
import { createClusterStore } from './cluster-store.js';
import { connectionLog } from './connection-log.js';
import { keyvOver } from './keyv-over.js';
import { keyvRedis } from './keyv-redis.js';

/**
 * The cache Redis connection: one node-redis client, with Keyv (over @keyv/redis) on top
 * of it. Only the cache gateway may use what this returns; see `cache-gateway.ts`.
 */

/** The node-redis client of the cache Redis (only the gateway and its named L2 operations use it). */
export type CacheRedisClient = RedisClientType;

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://` or `rediss://` URL of the cache Redis (may carry credentials). */
  readonly url: string;
  /** How long one connection attempt may take before it counts as failed (ms). */
  readonly connectTimeoutMs: number;
  /** Pacing of background reconnection. */
  readonly backoff: BackoffOptions;
  readonly logger: Logger;
}

/** A connection that may or may not be up; nothing here ever waits for it. */
export interface RedisStore {
  readonly client: CacheRedisClient;
  /** Keyv over the same client; stores and returns raw strings (validation is ours). */
  readonly keyv: Keyv<string>;
  /** Whether commands can be sent now (connected and handshake done). */
  isReady(): boolean;
  /** Settles (never rejects) at the first connection outcome: ready, or the first error. */
  readonly firstAttempt: Promise<void>;
  /** Why the client is not connected (one line naming the key to fix), while it is not. */
  connectionError(): string | undefined;
  /**
   * Closes the client at once (pending commands are rejected), after waiting at most
   * `timeoutMs` for a connection attempt in progress. Idempotent.
   */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Creates the client and starts connecting in the background; returns at once, so a cache
 * Redis that is down, refuses the password or does not resolve never delays start-up.
 *
 * - `disableOfflineQueue`: while disconnected, commands reject at once instead of queueing.
 * - The connection is started explicitly here: with a lazy connect, a tight loop of calls
 *   that reject at once never yields to I/O and the connection never completes.
 * - Every emitter (client, store, Keyv) has an `error` listener: an unhandled `error`
 *   event would crash the worker. The client's errors are logged once per outage (see
 *   `connection-log.ts`); the others are the same errors re-emitted (operation failures
 *   reach the breaker as throws).
 * - Throwing is on for both Keyv and the store, so failures are not turned into silent
 *   misses before the breaker sees them.
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  if (isClusterUrl(options.url)) return createClusterStore(options);
  let closed = false;
  const client = keyvRedis().createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: reconnectStrategy(options.backoff, () => closed),
    },
  }) as unknown as CacheRedisClient;

  const target: ConnectionTarget = { server: 'cache', url: options.url, key: 'cacheUrl', variable: 'BATCHLINE_CACHE_URL' };
  const log = connectionLog(options.logger, target);
  let lastError: string | undefined;
  let settleFirst: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => {
    settleFirst = resolve;
  });
  client.on('error', (error: unknown) => {
    lastError = classifyConnectionError(error, target).message;
    settleFirst();
    if (!closed) log.error(error);
  });
  client.on('ready', () => {
    // node-redis calls a connection without a password "ready" even when the server
    // requires one: one PING tells a usable connection from one that refuses every command
    // (NOAUTH), so the log and doctor can say so instead of "connected".
    client.ping().then(
      () => {
        lastError = undefined;
        settleFirst();
        log.ready();
      },
      (error: unknown) => {
        lastError = classifyConnectionError(error, target).message;
        settleFirst();
        if (!closed) log.error(error);
      },
    );
  });

  const keyv = keyvOver(client);

  client.connect().catch(() => {
    // Only ends when closed; every failed attempt was already reported as an `error` event.
  });

  let closing: Promise<void> | undefined;
  return {
    client,
    keyv,
    isReady: () => !closed && client.isReady,
    firstAttempt,
    connectionError: () => lastError,
    close(timeoutMs) {
      closed = true; // ends the reconnect loop at its next attempt
      closing ??= closeClient(client, firstAttempt, timeoutMs);
      return closing;
    },
  };
}

/**
 * Destroys the client: pending commands are rejected at once. A graceful `close()` would
 * wait for replies a hung server never sends (and once it has begun, node-redis refuses
 * `destroy()`), and the cache's pending writes are optional by design.
 */
async function closeClient(client: CacheRedisClient, firstAttempt: Promise<void>, timeoutMs: number): Promise<void> {
  // node-redis does not abandon a connection attempt in progress when destroyed: it would
  // finish and leave a socket behind. Let the first attempt settle, boundedly, before.
  await settleWithin(firstAttempt, timeoutMs);
  // Safety net for a reconnect attempt racing with close: never keep the process alive.
  client.unref();
  try {
    client.destroy();
  } catch {
    // not open: the reconnect loop had already ended
  }
}

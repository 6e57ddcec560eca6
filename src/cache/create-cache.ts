import { CacheBreaker } from '../breaker/index.js';
import type { Clock } from '../time.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../log.js';
import { CacheGateway } from './cache-gateway.js';
import { DisabledCache } from './disabled-cache.js';
import { createRedisStore } from './redis-store.js';
import { TieredCache } from './tiered-cache.js';
import type { Cache } from './types.js';

/** The validated `cache` section of the config. */
export type CacheConfig = Config['cache'];

/** Dependencies of {@link createCache}. */
export interface CreateCacheOptions {
  /** Cache Redis URL (`cacheUrl`); without it the cache is L1 only. */
  readonly url?: string | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
}

/**
 * Builds the process's cache from the validated config. Returns at once: the L2
 * connection, if any, is made in the background. `enabled: false` gives a cache that
 * always misses; no URL gives a working L1-only cache. Throws RangeError for option values
 * that make no sense (a backoff cap below its base, which the schema lets through).
 */
export function createCache(config: CacheConfig, options: CreateCacheOptions): Cache {
  if (!config.enabled) return new DisabledCache();
  const logger = options.logger.child({ component: 'cache' });
  const tiered = { l1: config.l1, maxWritesInFlight: config.maxWritesInFlight, clock: options.clock };
  if (options.url === undefined) return new TieredCache(tiered);
  const breaker = new CacheBreaker({
    failureThreshold: config.breaker.failureThreshold,
    openMs: config.breaker.openMs,
    probeTimeoutMs: config.opTimeoutMs, // a probe gets the same budget as any call
    clock: options.clock,
    logger,
  });
  // The store starts connecting as soon as it exists.
  const store = createRedisStore({
    url: options.url,
    connectTimeoutMs: config.connectTimeoutMs,
    backoff: config.backoff,
    logger,
  });
  const gateway = new CacheGateway(store, { opTimeoutMs: config.opTimeoutMs, breaker });
  try {
    return new TieredCache({ ...tiered, gateway });
  } catch (error) {
    void gateway.close(0); // a bad option must not leave a connection behind
    throw error;
  }
}

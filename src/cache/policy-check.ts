import type { Logger } from '../log.js';
import type { Cache } from './types.js';

/** Policies under which Redis evicts keys when full, as a disposable cache should. */
const evictionPolicy = /^(allkeys|volatile)-(lru|lfu|random|ttl)$/;

/** Caches already warned about, so repeated checks never repeat the warning. */
const warned = new WeakSet<Cache>();

/**
 * Start-up check of the cache Redis: reads `CONFIG GET maxmemory-policy` through the
 * cache's choke point and warns once unless it is an eviction policy (`allkeys-lru`, …):
 * under `noeviction` a full cache Redis refuses writes instead of dropping old artifacts.
 * Never throws. It waits up to `waitMs` for the first connection, so call it without
 * awaiting when start-up must not wait. Resolves to the policy, or `undefined` when it
 * could not be read (no L2, not connected, CONFIG disabled).
 */
export async function checkCachePolicy(cache: Cache, logger: Logger, waitMs = 1_000): Promise<string | undefined> {
  try {
    if (cache.mode !== 'l1+l2') return undefined;
    await cache.ready(waitMs);
    const policy = await cache.l2.maxMemoryPolicy();
    if (policy === undefined) {
      logger.info('could not read the cache redis maxmemory-policy; make sure it evicts (allkeys-lru)');
      return undefined;
    }
    if (!evictionPolicy.test(policy) && !warned.has(cache)) {
      warned.add(cache);
      logger.warn(
        { policy },
        'cache redis maxmemory-policy does not evict: when full it will refuse cache writes; set allkeys-lru',
      );
    }
    return policy;
  } catch {
    return undefined; // a check of an optional component must never fail start-up
  }
}

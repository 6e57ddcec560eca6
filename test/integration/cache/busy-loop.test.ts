import { afterEach, describe, expect, it } from 'vitest';
import { TtlTier } from '../../../src/cache/ttl.js';
import type { Cache } from '../../../src/cache/types.js';
import { useRedis } from '../../helpers/use-redis.js';
import { makeCache, testCacheConfig, waitFor } from './helpers.js';

/*
 * The breaker judges the cache Redis, not this process. A CPU-bound pipeline blocks the
 * event loop for longer than the budget while cache replies wait to be read: that must
 * never count as a cache failure. A hung cache Redis must still open the breaker.
 */

/** Blocks the event loop like a CPU-bound pipeline does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

const value = (n: number) => ({ artifact: { n }, docId: `doc-${n}`, made: { pipeline: 'busy', version: '1', scope: null, input: `input-${n}` } });

const redis = useRedis('cache');
const open: Cache[] = [];

afterEach(async () => {
  redis.cache.signal('SIGCONT');
  await Promise.all(open.splice(0).map((cache) => cache.close(500)));
});

async function connectedCache(): Promise<Cache> {
  const cache = makeCache(testCacheConfig({ opTimeoutMs: 50 }), { url: redis.cache.url });
  open.push(cache);
  expect(await cache.ready(5_000)).toBe(true);
  return cache;
}

describe('cache budget with a blocked event loop', () => {
  it('a healthy cache behind a loop blocked 3× past the budget answers every read: no timeout, no breaker transition', async () => {
    const writer = await connectedCache();
    for (let n = 0; n < 20; n++) writer.set(`busy:${n}`, value(n), TtlTier.DEFAULT);
    await writer.flush(2_000);
    const reader = await connectedCache();
    let served = 0;
    for (let round = 0; round < 4; round++) {
      // Five reads in flight, then 150 ms of synchronous work before the loop can read a reply.
      const reads = Array.from({ length: 5 }, (_, i) => reader.get(`busy:${round * 5 + i}`));
      busy(150);
      for (const hit of await Promise.all(reads)) if (hit?.tier === 'l2') served++;
    }
    expect(served).toBe(20);
    expect(reader.stats()).toMatchObject({ timeouts: 0, errors: 0, shortCircuits: 0 });
    expect(reader.health().breaker).toMatchObject({ state: 'HEALTHY', consecutiveFailures: 0 });
    expect(reader.health().breaker?.transitionsTo).toMatchObject({ DEGRADED: 0, UNHEALTHY: 0 });
  });

  it('a hung cache (SIGSTOP) still opens the breaker within 5 reads while the loop is blocked, then costs nothing', async () => {
    const cache = await connectedCache();
    redis.cache.signal('SIGSTOP');
    for (let n = 0; n < 5; n++) {
      const read = cache.get(`hung:${n}`);
      busy(120);
      expect(await read).toBeUndefined();
    }
    expect(cache.health().breaker?.state).toBe('UNHEALTHY');
    for (let n = 0; n < 200; n++) await cache.get(`after:${n}`);
    // 200 reads with the breaker open do no I/O at all (counted, not timed).
    expect(cache.stats().shortCircuits).toBeGreaterThanOrEqual(200);
    expect(cache.stats().timeouts).toBe(5);
  });

  it('background writes failing on a hung cache do not open the breaker on their own; reads do', async () => {
    const cache = await connectedCache();
    redis.cache.signal('SIGSTOP');
    for (let n = 0; n < 12; n++) cache.set(`write:${n}`, value(n), TtlTier.DEFAULT);
    await cache.flush(5_000);
    expect(cache.stats().timeouts).toBe(12);
    expect(cache.health().breaker?.state).not.toBe('UNHEALTHY');
    for (let n = 0; n < 5; n++) await cache.get(`read:${n}`);
    await waitFor(() => cache.health().breaker?.state === 'UNHEALTHY', 2_000, 'breaker open after 5 failed reads');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactKey } from '../../../src/cache/keys.js';
import { checkCachePolicy } from '../../../src/cache/policy-check.js';
import { TtlTier } from '../../../src/cache/ttl.js';
import { findFreePort } from '../../../src/redis/free-port.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';
import { captureLogger, expectSocketsBackTo, makeCache, openTcpSockets, sleep, testCacheConfig, timed } from './helpers.js';

/**
 * Cache URLs that never work: nothing listening, a wrong or missing password, a host name
 * that does not resolve. Each must cost start-up nothing, make every call a bounded miss,
 * open the breaker, and log a bounded number of lines however long it goes on.
 */
const budget = 50;
// Bounds that catch a wait for the network (a call or a start-up blocked until a connect
// timeout, or for ever), not a speed: calls over the budget are counted and reported, and
// speed is measured by `npm run bench -- cache`, never asserted here (shared, noisy machines).
const hangBoundMs = 2_000;
let secured: RedisServer | undefined;
let baselineSockets = 0;

beforeAll(async () => {
  baselineSockets = openTcpSockets();
  secured = await startRedis('cache', ['--requirepass', 'right-secret']);
});

afterAll(async () => {
  await stopRedis(secured);
  await expectSocketsBackTo(baselineSockets);
});

const endpoints: { name: string; url: () => Promise<string> }[] = [
  { name: 'closed port', url: async () => `redis://127.0.0.1:${await findFreePort()}` },
  { name: 'wrong password', url: async () => `redis://:wrong-secret@127.0.0.1:${secured?.port}` },
  { name: 'missing password', url: async () => `redis://127.0.0.1:${secured?.port}` },
  { name: 'unresolvable host', url: async () => 'redis://no-such-host.invalid:6379' },
];

describe.each(endpoints)('cache URL with $name', ({ url }) => {
  it('costs start-up nothing, every call is a bounded miss, the breaker opens, logs stay bounded', async () => {
    const { logger, lines } = captureLogger('debug');
    const config = testCacheConfig({ openMs: 60_000, opTimeoutMs: budget });
    const target = await url();
    const created = await timed(async () => makeCache(config, { url: target, logger }));
    const cache = created.value;
    try {
      // Returns without waiting for the network. What it costs is CPU: loading node-redis the
      // first time, and a client class per distinct options (~30 ms here, once per process).
      expect(created.ms).toBeLessThan(hangBoundMs);
      // ~1.5 s of traffic, long enough for several background reconnect attempts (backoff ≤ 200 ms).
      let slowest = 0;
      for (let round = 0; round < 30; round++) {
        for (let i = 0; i < 10; i++) {
          const key = artifactKey({ namespace: config.namespace, pipeline: 'extract', version: '1', text: `${round}/${i}` });
          const { value, ms } = await timed(() => cache.get(key));
          expect(value).toBeUndefined();
          slowest = Math.max(slowest, ms);
          cache.set(`${key}:w`, { artifact: { round }, docId: 'd', made: { pipeline: 'extract', version: '1', scope: null, input: 'test' } }, TtlTier.DEFAULT); // never throws
        }
        await sleep(50);
      }
      expect(slowest).toBeLessThan(hangBoundMs);
      const stats = cache.stats();
      expect(stats.hitsL2).toBe(0);
      expect(cache.health().breaker?.state).toBe('UNHEALTHY');
      expect(stats.shortCircuits).toBeGreaterThan(500); // ~600 operations; all but a handful never reached Redis
      // A couple of breaker transitions and one connection error line; never one per call or attempt.
      expect(lines.length).toBeLessThanOrEqual(4);
      console.info(
        `[figures] ${target.replace(/:[^:@/]*@/, ':***@')}: start-up ${created.ms.toFixed(1)} ms, slowest call ${slowest.toFixed(1)} ms, ` +
          `${lines.length} log lines, stats ${JSON.stringify({ timeouts: stats.timeouts, errors: stats.errors, shortCircuits: stats.shortCircuits })}`,
      );
    } finally {
      await cache.close();
    }
  });
});

describe('start-up check of maxmemory-policy', () => {
  it('accepts an eviction policy silently', async () => {
    const server = await startRedis('cache');
    const { logger, lines } = captureLogger();
    const cache = makeCache(testCacheConfig(), { url: server.url, logger });
    try {
      expect(await checkCachePolicy(cache, logger)).toBe('allkeys-lru');
      expect(lines.filter((l) => l.level === 40)).toEqual([]);
    } finally {
      await cache.close();
      await stopRedis(server);
    }
  });

  it('warns once about noeviction and never fails', async () => {
    const server = await startRedis('cache', ['--maxmemory-policy', 'noeviction']);
    const { logger, lines } = captureLogger();
    const cache = makeCache(testCacheConfig(), { url: server.url, logger });
    try {
      expect(await checkCachePolicy(cache, logger)).toBe('noeviction');
      expect(await checkCachePolicy(cache, logger)).toBe('noeviction');
      const warnings = lines.filter((l) => l.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ policy: 'noeviction' });
    } finally {
      await cache.close();
      await stopRedis(server);
    }
  });

  it('is quiet without L2 and resolves undefined when the cache Redis is unreachable', async () => {
    const { logger, lines } = captureLogger();
    const l1 = makeCache(testCacheConfig());
    expect(await checkCachePolicy(l1, logger)).toBeUndefined();
    expect(lines).toEqual([]);
    const down = makeCache(testCacheConfig(), { url: `redis://127.0.0.1:${await findFreePort()}` });
    try {
      const { value, ms } = await timed(() => checkCachePolicy(down, logger, 300));
      expect(value).toBeUndefined();
      expect(ms).toBeLessThan(300 + hangBoundMs);
    } finally {
      await down.close();
      await l1.close();
    }
  });
});

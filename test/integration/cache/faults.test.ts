import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { artifactKey } from '../../../src/cache/keys.js';
import { TtlTier } from '../../../src/cache/ttl.js';
import type { Cache } from '../../../src/cache/types.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';
import {
  captureLogger,
  expectSocketsBackTo,
  makeCache,
  openTcpSockets,
  sleep,
  testCacheConfig,
  timed,
  waitFor,
} from './helpers.js';

/**
 * The cache Redis dies (SIGKILL) or hangs (SIGSTOP) under a live cache. Budgets: 50 ms per
 * operation (the default). "Bounded" is asserted by counters (a failing call counted as a
 * timeout or an error, a short-circuit as such, never both) and by a hang bound that only a
 * wait for the network would pass (a connect timeout, or for ever); how fast is measured by
 * `npm run bench -- cache` and printed as [figures], never asserted (shared, noisy machines).
 */
const budget = 50;
const hangBoundMs = 2_000;
const openMs = 1_000;
const doc = { artifact: { total: 1 }, docId: 'doc-1', made: { pipeline: 'extract', version: '1', scope: null, input: 'test' } };

let server: RedisServer | undefined;
let cache: Cache | undefined;
let lines: Record<string, unknown>[] = [];
let namespace = '';
let baselineSockets = 0;
let n = 0;

/** A key never read before, so every get goes past L1 to the cache Redis. */
const freshKey = () => artifactKey({ namespace, pipeline: 'extract', version: '1', text: `doc ${n++}` });

beforeAll(() => {
  baselineSockets = openTcpSockets();
});

beforeEach(async () => {
  server = await startRedis('cache');
  const config = testCacheConfig({ openMs, opTimeoutMs: budget });
  namespace = config.namespace;
  const capture = captureLogger();
  lines = capture.lines;
  cache = makeCache(config, { url: server.url, logger: capture.logger });
  expect(await cache.ready(2_000)).toBe(true);
  expect(await cache.get(freshKey())).toBeUndefined();
  expect(cache.health().breaker?.state).toBe('HEALTHY');
});

afterEach(async () => {
  await cache?.close();
  await stopRedis(server);
});

afterAll(async () => {
  await expectSocketsBackTo(baselineSockets);
});

/** Five failing gets: each answers undefined without hanging; returns the slowest (ms). */
async function failFiveTimes(c: Cache): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < 5; i++) {
    const { value, ms } = await timed(() => c.get(freshKey()));
    expect(value).toBeUndefined();
    expect(ms).toBeLessThan(hangBoundMs);
    slowest = Math.max(slowest, ms);
  }
  return slowest;
}

/** 1,000 gets while open: all short-circuit, no operation reaches Redis. Returns ms per call. */
async function expectShortCircuits(c: Cache): Promise<number> {
  const before = c.stats();
  const { value, ms } = await timed(() => Promise.all(Array.from({ length: 1_000 }, () => c.get(freshKey()))));
  expect(value.every((hit) => hit === undefined)).toBe(true);
  const after = c.stats();
  expect(after.shortCircuits - before.shortCircuits).toBe(1_000);
  expect(after.timeouts + after.errors).toBe(before.timeouts + before.errors);
  return ms / 1_000;
}

describe('cache Redis killed (SIGKILL), then restarted', () => {
  it('misses within budget, opens after 5 failures, short-circuits, and is used again after the window', async () => {
    const c = cache as Cache;
    server?.signal('SIGKILL'); // and call at once: the client may not have noticed yet
    const slowest = await failFiveTimes(c);
    expect(c.health().breaker).toMatchObject({ state: 'UNHEALTHY', consecutiveFailures: 5 });
    const perCall = await expectShortCircuits(c);

    await server?.restart();
    await waitFor(() => c.health().connected, 5_000, 'the background reconnect');
    // Reconnected, but the window is not over: still no I/O.
    expect(c.health().breaker?.state).toBe('UNHEALTHY');
    expect(await c.get(freshKey())).toBeUndefined();
    const openUntil = c.health().breaker?.openUntil ?? 0;
    await sleep(Math.max(0, openUntil - Date.now()) + 10);

    const probe = await timed(() => c.get(freshKey())); // the probe: a real miss
    expect(probe.value).toBeUndefined();
    expect(c.health().breaker).toMatchObject({ state: 'HEALTHY', probes: 1 });
    const key = freshKey();
    c.set(key, doc, TtlTier.DEFAULT);
    await c.flush();
    expect(await c.l2.exists(key)).toBe(true);
    // One line per transition and per connection change, not one per failed call or reconnect attempt.
    const transitions = lines.filter((l) => l.msg === 'cache breaker state change').map((l) => `${l.from}>${l.to}`);
    expect(transitions).toEqual(['UNKNOWN>HEALTHY', 'HEALTHY>DEGRADED', 'DEGRADED>UNHEALTHY', 'UNHEALTHY>HEALTHY']);
    expect(lines.filter((l) => l.msg !== 'cache breaker state change').map((l) => l.msg)).toEqual([
      'cache redis connected',
      'cache redis connection error; retrying in the background',
      'cache redis connected',
    ]);
    console.info(
      `[figures] SIGKILL: slowest failing call ${slowest.toFixed(1)} ms; short-circuit ${(perCall * 1000).toFixed(1)} µs/call; probe ${probe.ms.toFixed(1)} ms`,
    );
  });
});

describe('L2 operations while the cache Redis is down', () => {
  it('fail at once instead of queueing until a reconnect (node-redis queues MULTI even with the offline queue off)', async () => {
    const c = cache as Cache;
    server?.signal('SIGKILL');
    await waitFor(() => !c.health().connected, 2_000, 'the client to notice');
    const { value, ms } = await timed(() => c.l2.addToSets([{ set: `${namespace}:band`, member: 'doc' }], 60_000));
    expect(value).toBe(false);
    // At once: an error, not a wait until the budget ran out (that would count as a timeout).
    expect(c.stats()).toMatchObject({ errors: 1, timeouts: 0 });
    console.info(`[figures] L2 write with the cache Redis down: failed in ${ms.toFixed(1)} ms`);
  });
});

describe('cache Redis hung (SIGSTOP), then resumed (SIGCONT)', () => {
  it('bounds every call by the budget, opens, costs ~0 while open, re-opens on a hung probe, closes once resumed', async () => {
    const c = cache as Cache;
    server?.signal('SIGSTOP');
    const slowest = await failFiveTimes(c);
    expect(c.stats().timeouts).toBe(5);
    expect(c.health().breaker).toMatchObject({ state: 'UNHEALTHY' });
    const perCall = await expectShortCircuits(c);

    // Window over while still hung: one probe, bounded by the same budget, then open again.
    await sleep(Math.max(0, (c.health().breaker?.openUntil ?? 0) - Date.now()) + 10);
    const [hungProbe, ...others] = await Promise.all(Array.from({ length: 20 }, () => timed(() => c.get(freshKey()))));
    expect(hungProbe?.ms).toBeLessThan(hangBoundMs);
    expect(c.stats().timeouts).toBe(6); // the probe, and only the probe, reached Redis
    expect(others.every((o) => o.value === undefined)).toBe(true);
    expect(c.health().breaker).toMatchObject({ state: 'UNHEALTHY', probes: 1, probeInFlight: false });

    server?.signal('SIGCONT');
    await sleep(Math.max(0, (c.health().breaker?.openUntil ?? 0) - Date.now()) + 10);
    expect(await c.get(freshKey())).toBeUndefined();
    expect(c.health().breaker).toMatchObject({ state: 'HEALTHY', probes: 2 });
    const transitions = lines.filter((l) => l.msg === 'cache breaker state change').map((l) => `${l.from}>${l.to}`);
    expect(transitions).toEqual([
      'UNKNOWN>HEALTHY',
      'HEALTHY>DEGRADED',
      'DEGRADED>UNHEALTHY',
      'UNHEALTHY>UNHEALTHY', // the hung probe
      'UNHEALTHY>HEALTHY',
    ]);
    expect(lines.length).toBe(transitions.length + 1); // plus "cache redis connected" at start
    console.info(
      `[figures] SIGSTOP: slowest failing call ${slowest.toFixed(1)} ms; hung probe ${hungProbe?.ms.toFixed(1)} ms; short-circuit ${(perCall * 1000).toFixed(1)} µs/call`,
    );
  });

  it('close() is bounded while the server is hung', async () => {
    const c = cache as Cache;
    c.set(freshKey(), doc, TtlTier.DEFAULT);
    await c.flush();
    server?.signal('SIGSTOP');
    for (let i = 0; i < 3; i++) c.set(freshKey(), doc, TtlTier.DEFAULT); // stuck writes
    const { ms } = await timed(() => c.close(500));
    expect(ms).toBeLessThan(500 + hangBoundMs);
  });
});

import { createClient } from '@keyv/redis';
import { type CacheConfig, createCache } from '../../../src/cache/create-cache.js';
import type { Cache } from '../../../src/cache/types.js';
import { type Clock, systemClock } from '../../../src/time.js';
import { configSchema } from '../../../src/config/schema.js';
import { type Logger, silentLogger } from '../../../src/log.js';
import { uniqueName } from '../../helpers/redis.js';

export { captureLogger } from '../../unit/breaker/log-capture.js';

/** The cache section as a user would configure it, with a unique namespace and test-sized timings. */
export function testCacheConfig(overrides: { openMs?: number; opTimeoutMs?: number } = {}): CacheConfig {
  return configSchema.parse({
    cache: {
      namespace: uniqueName('ns'),
      ...(overrides.opTimeoutMs !== undefined && { opTimeoutMs: overrides.opTimeoutMs }),
      // Fast reconnects so a restarted server is found quickly and closed clients leave no long timer.
      backoff: { baseMs: 20, capMs: 200 },
      breaker: { failureThreshold: 5, openMs: overrides.openMs ?? 1_000 },
    },
  }).cache;
}

/** createCache with test defaults; remember to close it. */
export function makeCache(
  config: CacheConfig,
  options: { url?: string | undefined; logger?: Logger; clock?: Clock } = {},
): Cache {
  return createCache(config, { url: options.url, logger: options.logger ?? silentLogger, clock: options.clock ?? systemClock });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `predicate` holds; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Runs `fn` and measures it (ms). */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** TCP sockets keeping this process alive (for "no open handles" checks). */
export function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
}

/** Waits until no more TCP sockets are open than `baseline` (clients closed for real). */
export async function expectSocketsBackTo(baseline: number): Promise<void> {
  await waitFor(() => openTcpSockets() <= baseline, 3_000, `TCP sockets back to ${baseline} (now ${openTcpSockets()})`);
}

/** A raw node-redis client, for tests only: writing corrupt values and reading TTLs behind the cache's back. */
export async function rawClient(url: string) {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactKey } from '../../../src/cache/keys.js';
import { TtlTier } from '../../../src/cache/ttl.js';
import { CACHE_SCHEMA_VERSION } from '../../../src/cache/value.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';
import { expectSocketsBackTo, makeCache, openTcpSockets, rawClient, testCacheConfig } from './helpers.js';

/**
 * Values written behind the cache's back: each must be a counted miss, deleted, never a
 * crash, never a wrong result, and never mistaken for a cache failure (the breaker stays closed).
 */
let server: RedisServer | undefined;
let baselineSockets = 0;

beforeAll(async () => {
  baselineSockets = openTcpSockets();
  server = await startRedis('cache');
});

afterAll(async () => {
  await stopRedis(server);
  await expectSocketsBackTo(baselineSockets);
});

const now = Date.now();
const made = { pipeline: 'extract', version: '1', scope: null, input: 'test' };
/** A well-formed value, written for a key no test reads: copied under any other key it is corrupt. */
const valid = { v: CACHE_SCHEMA_VERSION, key: 'elsewhere', made, artifact: { total: 1 }, docId: 'd', createdAt: now, expiresAt: now + 60_000 };
const corrupt: [string, string | Buffer][] = [
  ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x80, 0x7b, 0x22])],
  ['truncated JSON', JSON.stringify(valid).slice(0, 20)],
  ['wrong schema', JSON.stringify({ foo: 'bar' })],
  ['old schema version', JSON.stringify({ ...valid, v: 0 })],
  ['version 1 envelope (not tied to its key)', JSON.stringify({ v: 1, artifact: { total: 1 }, docId: 'd', createdAt: now, expiresAt: now + 60_000 })],
  ['valid value copied under another key', JSON.stringify(valid)],
  ['artifact not an object', JSON.stringify({ ...valid, artifact: 'text' })],
  ["Keyv's default envelope", JSON.stringify({ value: JSON.stringify(valid), expires: null })],
];

describe('corrupted values in the cache Redis', () => {
  it('are counted misses, deleted, and do not trip the breaker; a rewrite is then served', async () => {
    const config = testCacheConfig();
    const cache = makeCache(config, { url: server?.url });
    const raw = await rawClient(server?.url ?? '');
    try {
      expect(await cache.ready(2_000)).toBe(true);
      const keys = corrupt.map(([label]) => artifactKey({ namespace: config.namespace, pipeline: 'extract', version: '1', text: label }));
      await Promise.all(corrupt.map(([, value], i) => raw.set(keys[i] ?? '', value, { PX: 60_000 })));

      for (const key of keys) expect(await cache.get(key)).toBeUndefined();
      await cache.flush();
      expect(cache.stats()).toMatchObject({ invalidValues: corrupt.length, misses: corrupt.length, hitsL2: 0, errors: 0 });
      expect(await raw.exists(keys)).toBe(0); // all deleted
      expect(cache.health().breaker?.state).toBe('HEALTHY');

      // The next pipeline run rewrites the key; another process then gets a real L2 hit.
      const first = keys[0] ?? '';
      cache.set(first, { artifact: { total: 2 }, docId: 'doc-2', made }, TtlTier.DEFAULT);
      await cache.flush();
      const other = makeCache(config, { url: server?.url });
      try {
        await other.ready(2_000);
        const hit = await other.get(first);
        expect(hit?.tier).toBe('l2');
        expect(hit?.value).toMatchObject({ artifact: { total: 2 }, docId: 'doc-2' });
      } finally {
        await other.close();
      }
    } finally {
      raw.destroy();
      await cache.close();
    }
  });
});

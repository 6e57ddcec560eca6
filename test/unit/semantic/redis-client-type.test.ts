import type { RedisClientType } from '@keyv/redis';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { RedisRunner, SemanticRedisClient } from '../../../src/semantic/index.js';

describe('RedisSemanticStore client typing', () => {
  it('accepts the cache choke point as it is typed (node-redis 5 RedisClientType)', () => {
    // Compile-time check: the cache hands a RedisClientType to our callbacks.
    expectTypeOf<RedisClientType>().toExtend<SemanticRedisClient>();
    type CacheRun = <T>(opName: string, fn: (client: RedisClientType) => Promise<T>) => Promise<T | undefined>;
    expectTypeOf<CacheRun>().toExtend<RedisRunner>();
    expect(true).toBe(true);
  });
});

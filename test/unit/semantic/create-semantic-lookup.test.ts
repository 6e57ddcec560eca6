import type { RedisClientType } from '@keyv/redis';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { createSemanticLookup, type RedisRunner, type SemanticRedisClient } from '../../../src/semantic/index.js';
import { invoiceText } from './fixtures.js';

describe('RedisSemanticStore client typing', () => {
  it('accepts the cache choke point as it is typed (node-redis 5 RedisClientType)', () => {
    // Compile-time check: the cache hands a RedisClientType to our callbacks.
    expectTypeOf<RedisClientType>().toExtend<SemanticRedisClient>();
    type CacheRun = <T>(opName: string, fn: (client: RedisClientType) => Promise<T>) => Promise<T | undefined>;
    expectTypeOf<CacheRun>().toExtend<RedisRunner>();
    expect(true).toBe(true);
  });
});

describe('createSemanticLookup', () => {
  it('wires the configured settings, with and without an L2', async () => {
    const settings = configSchema.parse({}).semantic;
    const alone = createSemanticLookup({ settings, namespace: 'batchline', l1TtlCapMs: 600_000 });
    const prepared = alone.prepare(invoiceText());
    await alone.remember(prepared, { pipeline: 'p', version: '1' }, { key: 'k', docId: 'd', ttlMs: 60_000 });
    expect(await alone.find(prepared, { pipeline: 'p', version: '1' })).toMatchObject({ key: 'k', tier: 'l1' });
    const calls: string[] = [];
    const run: RedisRunner = async (opName) => {
      calls.push(opName);
      return undefined; // as with the breaker open
    };
    const both = createSemanticLookup({ settings, namespace: 'batchline', l1TtlCapMs: 600_000, run });
    expect(await both.remember(prepared, { pipeline: 'p', version: '1' }, { key: 'k', docId: 'd', ttlMs: 60_000 })).toBe(false);
    expect(await both.find(both.prepare(invoiceText({ quantity: '7' })), { pipeline: 'p', version: '1' })).toBeUndefined();
    expect(calls).toEqual(['semantic.add', 'semantic.candidates']);
  });
});

import { describe, expect, expectTypeOf, it } from 'vitest';
import type { L2Operations } from '../../../src/cache/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { createSemanticLookup, type SemanticHashes } from '../../../src/semantic/index.js';
import { invoiceText } from './fixtures.js';

describe('RedisSemanticStore port', () => {
  it('is what the cache\'s L2 operations offer', () => {
    // Compile-time check: workers hand `cache.l2` to the semantic lookup as it is.
    expectTypeOf<L2Operations>().toExtend<SemanticHashes>();
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
    // As with the breaker open: every operation answers "no answer".
    const hashes: SemanticHashes = {
      hashEntries: async () => (calls.push('hashEntries'), undefined),
      hashPut: async () => (calls.push('hashPut'), false),
      hashRemove: async () => (calls.push('hashRemove'), false),
    };
    const both = createSemanticLookup({ settings, namespace: 'batchline', l1TtlCapMs: 600_000, hashes });
    expect(await both.remember(prepared, { pipeline: 'p', version: '1' }, { key: 'k', docId: 'd', ttlMs: 60_000 })).toBe(false);
    expect(await both.find(both.prepare(invoiceText({ quantity: '7' })), { pipeline: 'p', version: '1' })).toBeUndefined();
    expect(calls).toEqual(['hashPut', 'hashEntries']);
  });
});

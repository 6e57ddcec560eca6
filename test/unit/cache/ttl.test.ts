import { describe, expect, it } from 'vitest';
import { l1TtlMs, MAX_TIMER_MS, TTL_MS, TtlTier, ttlMs } from '../../../src/cache/ttl.js';
import { TTL_TIER_BY_QUEUE } from '../../../src/worker/ttl-tiers.js';
import { configSchema } from '../../../src/config/schema.js';

describe('TTL table', () => {
  it('holds the design numbers', () => {
    expect(TTL_MS).toEqual({ DEFAULT: 24 * 3_600_000, BATCH: 48 * 3_600_000, PATTERN: 90 * 86_400_000 });
    expect(Object.isFrozen(TTL_MS)).toBe(true);
    expect(TTL_TIER_BY_QUEUE).toEqual({ default: 'DEFAULT', batch: 'BATCH', patterns: 'PATTERN' });
  });

  it('PATTERN exceeds what a Node timer can hold, so L1 must never take it as is', () => {
    expect(ttlMs(TtlTier.PATTERN)).toBeGreaterThan(MAX_TIMER_MS);
  });

  it('no L1 TTL exceeds the timer maximum, whatever the tier and cap', () => {
    const caps = [1, 600_000, MAX_TIMER_MS, Number.MAX_SAFE_INTEGER];
    for (const tier of Object.values(TtlTier)) {
      for (const cap of caps) {
        const ttl = l1TtlMs(ttlMs(tier), cap);
        expect(ttl).toBeLessThanOrEqual(MAX_TIMER_MS);
        expect(ttl).toBeLessThanOrEqual(cap);
        expect(Number.isInteger(ttl)).toBe(true);
      }
    }
  });

  it('L1 TTL is the shorter of the remaining lifetime and the cap, at least 1 ms', () => {
    const cap = configSchema.parse({}).cache.l1.ttlCapMs;
    expect(l1TtlMs(ttlMs(TtlTier.DEFAULT), cap)).toBe(cap);
    expect(l1TtlMs(1_500.7, cap)).toBe(1_500);
    expect(l1TtlMs(0.2, cap)).toBe(1);
  });
});

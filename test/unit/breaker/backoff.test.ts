import { describe, expect, it } from 'vitest';
import { backoffDelay, reconnectStrategy, validateBackoff } from '../../../src/breaker/backoff.js';
import { configSchema } from '../../../src/config/schema.js';

const defaultBackoff = configSchema.parse({}).cache.backoff;

describe('backoff', () => {
  it('defaults (in the config schema) to the seed numbers: 0.1 s base, 2.0 s cap', () => {
    expect(defaultBackoff).toEqual({ baseMs: 100, capMs: 2_000 });
  });

  it('doubles from the base up to the cap, jittered within the upper half of each step', () => {
    const steps = [100, 200, 400, 800, 1_600, 2_000, 2_000];
    steps.forEach((step, attempt) => {
      expect(backoffDelay(attempt, defaultBackoff, () => 0)).toBe(step / 2);
      expect(backoffDelay(attempt, defaultBackoff, () => 0.999_999)).toBe(step);
    });
    expect(backoffDelay(10_000, defaultBackoff)).toBeLessThanOrEqual(2_000); // 2**10000 is Infinity: still capped
  });

  it('spreads delays out (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, defaultBackoff)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(800);
  });

  it('as a reconnect strategy: always retries until stopped', () => {
    let stopped = false;
    const strategy = reconnectStrategy(defaultBackoff, () => stopped);
    expect(strategy(0)).toBeGreaterThan(0);
    expect(strategy(50)).toBeLessThanOrEqual(2_000);
    stopped = true;
    expect(strategy(1)).toBe(false);
  });

  it('rejects bad options with RangeError', () => {
    expect(() => validateBackoff({ baseMs: 0, capMs: 10 })).toThrow(RangeError);
    expect(() => validateBackoff({ baseMs: 100, capMs: 50 })).toThrow(RangeError);
    expect(() => reconnectStrategy({ baseMs: Number.NaN, capMs: 10 })).toThrow(RangeError);
  });
});

import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { DisabledCache } from '../../../src/cache/disabled-cache.js';
import { createLogger } from '../../../src/log.js';
import { DURATION_BUCKETS, Heartbeat } from '../../../src/worker/heartbeat.js';

describe('Heartbeat durations', () => {
  it('publishes cumulative bucket counts named by upper bound, with the sum and count', () => {
    // snapshot() never talks to the broker: nothing is started, so no client is needed.
    const heartbeat = new Heartbeat({
      redis: undefined as unknown as Redis,
      prefix: '{t}',
      queue: 'default',
      pipeline: 'noop@1',
      concurrency: 1,
      cache: new DisabledCache(),
      intervalMs: 1_000,
      logger: createLogger({ level: 'silent', name: 'test' }),
    });
    for (const ms of [3, 10, 40, 200_000]) heartbeat.recordDuration(ms);
    const { durations } = heartbeat.snapshot();
    expect(new Set(Object.keys(durations.buckets))).toEqual(new Set(DURATION_BUCKETS.map(String)));
    expect(durations.buckets['0.005']).toBe(1);
    expect(durations.buckets['0.01']).toBe(2);
    expect(durations.buckets['0.05']).toBe(3);
    expect(durations.buckets['120']).toBe(3); // 200 s is past every bound: counted in `count` only
    expect(durations.count).toBe(4);
    expect(durations.sum).toBeCloseTo(200.053, 6);
  });
});

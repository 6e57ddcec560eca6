import { describe, expect, it } from 'vitest';
import { settleWithin, within } from '../../../src/time.js';

const never = () => new Promise<never>(() => {});

describe('within', () => {
  it('answers like the promise when it settles first', async () => {
    await expect(within(Promise.resolve(7), 1_000, 'read')).resolves.toBe(7);
    await expect(within(Promise.reject(new Error('refused')), 1_000, 'read')).rejects.toThrow('refused');
  });

  it('rejects naming the wait, or with the caller’s error, when the promise does not settle', async () => {
    await expect(within(never(), 1, 'read')).rejects.toThrow('read: no answer within 1 ms');
    await expect(within(never(), 1, 'read', () => new RangeError('late'))).rejects.toThrow(RangeError);
  });
});

describe('settleWithin', () => {
  it('is true once the promise settles either way, false when the wait gives up; never rejects', async () => {
    await expect(settleWithin(Promise.resolve(1), 1_000)).resolves.toBe(true);
    await expect(settleWithin(Promise.reject(new Error('x')), 1_000)).resolves.toBe(true);
    await expect(settleWithin(never(), 1)).resolves.toBe(false);
  });
});

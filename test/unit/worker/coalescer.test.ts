import { describe, expect, it } from 'vitest';
import { Coalescer } from '../../../src/worker/coalescer.js';

interface Ask {
  key: string;
  n: number;
}

/** A coalescer whose calls are recorded and answered with each request's n doubled. */
function recording(maxPerCall?: number, fail?: (key: string) => boolean) {
  const calls: { key: string; ns: number[] }[] = [];
  const coalescer = new Coalescer<Ask, number>(
    (ask) => ask.key,
    async (key, asks) => {
      calls.push({ key, ns: asks.map((ask) => ask.n) });
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail?.(key)) throw new Error(`call for ${key} failed`);
      return asks.map((ask) => ask.n * 2);
    },
    maxPerCall,
  );
  return { calls, coalescer };
}

describe('Coalescer', () => {
  it('sends requests made in one turn together, one call per key, and answers each its own', async () => {
    const { calls, coalescer } = recording();
    const answers = await Promise.all([
      coalescer.request({ key: 'a', n: 1 }),
      coalescer.request({ key: 'b', n: 2 }),
      coalescer.request({ key: 'a', n: 3 }),
    ]);
    expect(answers).toEqual([2, 4, 6]);
    expect(calls).toEqual([
      { key: 'a', ns: [1, 3] },
      { key: 'b', ns: [2] },
    ]);
  });

  it('holds requests made while a call is on its way for the next call', async () => {
    const { calls, coalescer } = recording();
    const first = coalescer.request({ key: 'a', n: 1 });
    await new Promise((resolve) => setImmediate(resolve)); // the first call is now on its way
    const later = [coalescer.request({ key: 'a', n: 2 }), coalescer.request({ key: 'a', n: 3 })];
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6]);
    expect(calls.map((call) => call.ns)).toEqual([[1], [2, 3]]);
  });

  it('puts at most maxPerCall requests in one call', async () => {
    const { calls, coalescer } = recording(2);
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => coalescer.request({ key: 'a', n })));
    expect(answers).toEqual([2, 4, 6, 8, 10]);
    expect(calls.map((call) => call.ns)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects every request of a failed call, and only those', async () => {
    const { coalescer } = recording(undefined, (key) => key === 'bad');
    const outcomes = await Promise.allSettled([
      coalescer.request({ key: 'bad', n: 1 }),
      coalescer.request({ key: 'good', n: 2 }),
      coalescer.request({ key: 'bad', n: 3 }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    // A later request is sent as usual.
    expect(await coalescer.request({ key: 'good', n: 4 })).toBe(8);
  });
});

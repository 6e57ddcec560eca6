import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../../src/cache/single-flight.js';

describe('SingleFlight', () => {
  it('runs fn once for concurrent callers of one key and frees the key afterwards', async () => {
    const flights = new SingleFlight();
    let runs = 0;
    let release: (value: string) => void = () => {};
    const fn = () => {
      runs++;
      return new Promise<string>((resolve) => {
        release = resolve;
      });
    };
    const callers = Array.from({ length: 10 }, () => flights.run('k', fn));
    expect(flights.size).toBe(1);
    release('artifact');
    expect(await Promise.all(callers)).toEqual(Array(10).fill('artifact'));
    expect(runs).toBe(1);
    expect(flights.size).toBe(0);
    await flights.run('k', async () => 'again');
    expect(runs).toBe(1);
  });

  it('keeps different keys apart', async () => {
    const flights = new SingleFlight();
    const results = await Promise.all([flights.run('a', async () => 1), flights.run('b', async () => 2)]);
    expect(results).toEqual([1, 2]);
  });

  it('shares a rejection (sync or async) with every caller and frees the key', async () => {
    const flights = new SingleFlight();
    const failing = () => {
      throw new Error('pipeline failed');
    };
    const callers = [flights.run('k', failing), flights.run('k', failing)];
    for (const caller of callers) await expect(caller).rejects.toThrow('pipeline failed');
    expect(flights.size).toBe(0);
    await expect(flights.run('k', async () => 'ok')).resolves.toBe('ok');
  });
});

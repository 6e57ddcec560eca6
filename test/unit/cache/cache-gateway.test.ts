import { describe, expect, it } from 'vitest';
import { CacheBreaker } from '../../../src/breaker/cache-breaker.js';
import { CacheGateway } from '../../../src/cache/cache-gateway.js';
import { ManualClock } from '../../../src/time.js';
import { fakeStore } from './fake-store.js';

const budget = 20;
const openMs = 60_000;

function setup(storeOptions: Parameters<typeof fakeStore>[0] = {}) {
  const clock = new ManualClock();
  const fake = fakeStore(storeOptions);
  const breaker = new CacheBreaker({ failureThreshold: 5, openMs, probeTimeoutMs: budget, clock });
  const gateway = new CacheGateway(fake.store, { opTimeoutMs: budget, breaker });
  return { clock, fake, breaker, gateway };
}

const never = () => new Promise<never>(() => {});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openByTimeouts(gateway: CacheGateway): Promise<void> {
  await Promise.all(Array.from({ length: 5 }, () => gateway.run('get', never)));
}

describe('CacheGateway', () => {
  it('passes the result through and records a success', async () => {
    const { gateway } = setup();
    await expect(gateway.run('get', async () => 'value')).resolves.toBe('value');
    expect(gateway.stats()).toMatchObject({ calls: 1, successes: 1, timeouts: 0, errors: 0, shortCircuits: 0, inFlight: 0 });
    expect(gateway.health()).toMatchObject({ state: 'HEALTHY', connected: true });
  });

  it('turns rejections and synchronous throws into undefined, counted as errors', async () => {
    const { gateway } = setup();
    await expect(gateway.run('get', async () => Promise.reject(new Error('refused')))).resolves.toBeUndefined();
    await expect(
      gateway.run('get', () => {
        throw new Error('sync');
      }),
    ).resolves.toBeUndefined();
    expect(gateway.stats()).toMatchObject({ calls: 2, errors: 2 });
    expect(gateway.health()).toMatchObject({ state: 'DEGRADED', lastError: 'sync', consecutiveFailures: 2 });
  });

  it('abandons a hung call at its own budget and swallows the late rejection', async () => {
    const { gateway } = setup();
    const started = performance.now();
    // Rejects long after the race is lost: an unhandled rejection would fail this test run.
    // Later than the budget with all its extensions (a loaded machine can make this test's
    // own event loop look busy, and then the budget is extended up to 3 times).
    const late = () => new Promise((_, reject) => setTimeout(() => reject(new Error('late')), budget * 10));
    await expect(gateway.run('get', late)).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(budget * 4 + 200);
    expect(gateway.stats()).toMatchObject({ timeouts: 1, errors: 0 });
    expect(gateway.health().lastError).toMatch(/took longer than 20 ms/);
    await sleep(budget * 11);
  });

  it('does no I/O before the first connection attempt has an outcome, and does not count it as a failure', async () => {
    const { gateway, fake } = setup({ ready: false, firstAttemptDone: false });
    let calls = 0;
    for (let i = 0; i < 10; i++) expect(await gateway.run('get', async () => ++calls)).toBeUndefined();
    expect(calls).toBe(0);
    expect(gateway.stats()).toMatchObject({ shortCircuits: 10, calls: 0 });
    expect(gateway.health().state).toBe('UNKNOWN');
    fake.setReady(true);
    expect(await gateway.run('get', async () => ++calls)).toBe(1);
  });

  it('fails fast when the client is offline after the first attempt, without calling fn', async () => {
    const { gateway } = setup({ ready: false });
    let calls = 0;
    await gateway.ready(10); // the first-attempt flag is set in a microtask
    for (let i = 0; i < 5; i++) expect(await gateway.run('get', async () => ++calls)).toBeUndefined();
    expect(calls).toBe(0);
    expect(gateway.stats()).toMatchObject({ errors: 5, calls: 5 });
    expect(gateway.health()).toMatchObject({ state: 'UNHEALTHY', lastError: 'cache redis is not connected', connected: false });
  });

  it('opens after 5 hung calls; then concurrent callers all short-circuit with no I/O and no wait', async () => {
    const { gateway } = setup();
    await openByTimeouts(gateway);
    expect(gateway.health().state).toBe('UNHEALTHY');
    let calls = 0;
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 1_000 }, () => gateway.run('get', async () => ++calls)));
    expect(performance.now() - started).toBeLessThan(250); // 1,000 budgets would be 20 s
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(calls).toBe(0);
    expect(gateway.stats()).toMatchObject({ calls: 5, timeouts: 5, shortCircuits: 1_000 });
  });

  it('after the window lets one probe through while concurrent callers short-circuit; a hung probe re-opens it', async () => {
    const { gateway, clock } = setup();
    await openByTimeouts(gateway);
    clock.advance(openMs);
    let calls = 0;
    const hung = async () => {
      calls++;
      return never();
    };
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 20 }, () => gateway.run('get', hung)));
    expect(performance.now() - started).toBeLessThan(budget + 200);
    expect(results.every((r) => r === undefined)).toBe(true);
    expect(calls).toBe(1);
    expect(gateway.health()).toMatchObject({ state: 'UNHEALTHY', probes: 1, probeInFlight: false, openUntil: clock.now() + openMs });
    expect(gateway.stats()).toMatchObject({ timeouts: 6 });
    // Another window, another single probe: this one succeeds and closes the breaker.
    clock.advance(openMs);
    await expect(gateway.run('get', async () => 'ok')).resolves.toBe('ok');
    expect(gateway.health()).toMatchObject({ state: 'HEALTHY', probes: 2 });
  });

  it('refuses calls after close and closes the store', async () => {
    const { gateway, fake } = setup();
    await gateway.close(10);
    let calls = 0;
    expect(await gateway.run('get', async () => ++calls)).toBeUndefined();
    expect(calls).toBe(0);
    expect(fake.closedCount()).toBe(1);
  });

  it('rejects a bad budget with RangeError', () => {
    const { store } = fakeStore();
    expect(() => new CacheGateway(store, { opTimeoutMs: 0, breaker: new CacheBreaker({ failureThreshold: 5, openMs: 1_000, probeTimeoutMs: 50 }) })).toThrow(RangeError);
  });
});

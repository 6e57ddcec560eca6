import { describe, expect, it } from 'vitest';
import { BreakerState, CacheBreaker, type CacheBreakerOptions } from '../../../src/breaker/cache-breaker.js';
import { ManualClock } from '../../../src/time.js';
import { captureLogger } from './log-capture.js';

const openMs = 300_000;
const probeTimeoutMs = 50;

function setup(options: Partial<CacheBreakerOptions> = {}) {
  const clock = new ManualClock();
  const { logger, lines } = captureLogger();
  const breaker = new CacheBreaker({ failureThreshold: 5, openMs, probeTimeoutMs, clock, logger, ...options });
  return { clock, breaker, lines };
}

function fail(breaker: CacheBreaker, times: number): void {
  for (let i = 0; i < times; i++) {
    const permit = breaker.tryAcquire();
    expect(permit).toBeDefined();
    permit?.failure(new Error(`boom ${i}`));
  }
}

function open(breaker: CacheBreaker): void {
  fail(breaker, 5);
  expect(breaker.currentState).toBe(BreakerState.UNHEALTHY);
}

describe('CacheBreaker', () => {
  it('starts UNKNOWN and becomes HEALTHY on the first success', () => {
    const { breaker, clock } = setup();
    expect(breaker.health()).toMatchObject({ state: 'UNKNOWN', since: clock.now(), consecutiveFailures: 0, transitions: 0 });
    clock.advance(10);
    breaker.tryAcquire()?.success();
    expect(breaker.health()).toMatchObject({ state: 'HEALTHY', since: clock.now(), transitions: 1 });
  });

  it('is DEGRADED after 1 to 4 consecutive failures and still lets calls through', () => {
    const { breaker } = setup();
    for (let failures = 1; failures <= 4; failures++) {
      fail(breaker, 1);
      expect(breaker.health()).toMatchObject({ state: 'DEGRADED', consecutiveFailures: failures, lastError: `boom 0` });
    }
    expect(breaker.tryAcquire()).toBeDefined();
  });

  it('a success resets the count of consecutive failures', () => {
    const { breaker } = setup();
    fail(breaker, 4);
    breaker.tryAcquire()?.success();
    expect(breaker.health()).toMatchObject({ state: 'HEALTHY', consecutiveFailures: 0 });
    fail(breaker, 4);
    expect(breaker.currentState).toBe('DEGRADED');
  });

  it('opens after 5 consecutive failures and short-circuits for the whole window', () => {
    const { breaker, clock } = setup();
    fail(breaker, 4);
    clock.advance(7);
    fail(breaker, 1);
    expect(breaker.health()).toMatchObject({ state: 'UNHEALTHY', since: clock.now(), openUntil: clock.now() + openMs });
    for (let i = 0; i < 100; i++) expect(breaker.tryAcquire()).toBeUndefined();
    clock.advance(openMs - 1);
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.health().shortCircuits).toBe(101);
    expect(breaker.health().probes).toBe(0);
  });

  it('lets exactly one probe through after the window; the others keep short-circuiting', () => {
    const { breaker, clock } = setup();
    open(breaker);
    clock.advance(openMs);
    const probe = breaker.tryAcquire();
    expect(probe?.probe).toBe(true);
    for (let i = 0; i < 50; i++) expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.health()).toMatchObject({ probes: 1, probeInFlight: true, state: 'UNHEALTHY' });
  });

  it('closes when the probe succeeds', () => {
    const { breaker, clock } = setup();
    open(breaker);
    clock.advance(openMs);
    breaker.tryAcquire()?.success();
    expect(breaker.health()).toMatchObject({ state: 'HEALTHY', consecutiveFailures: 0, probeInFlight: false });
    expect(breaker.tryAcquire()?.probe).toBe(false);
  });

  it('opens for another full window when the probe fails', () => {
    const { breaker, clock } = setup();
    open(breaker);
    clock.advance(openMs + 5);
    breaker.tryAcquire()?.failure(new Error('still down'));
    expect(breaker.health()).toMatchObject({
      state: 'UNHEALTHY',
      openUntil: clock.now() + openMs,
      lastError: 'still down',
      probeInFlight: false,
    });
    clock.advance(openMs - 1);
    expect(breaker.tryAcquire()).toBeUndefined();
    clock.advance(1);
    expect(breaker.tryAcquire()?.probe).toBe(true);
  });

  it('treats a hung probe as failed once its budget has passed, and ignores its late outcome', () => {
    const { breaker, clock } = setup();
    open(breaker);
    clock.advance(openMs);
    const hung = breaker.tryAcquire();
    expect(hung?.probe).toBe(true);
    clock.advance(probeTimeoutMs - 1);
    expect(breaker.tryAcquire()).toBeUndefined(); // still within its budget: nobody else goes
    clock.advance(1);
    expect(breaker.tryAcquire()).toBeUndefined(); // overdue: re-opened, this caller short-circuits
    expect(breaker.health()).toMatchObject({ state: 'UNHEALTHY', openUntil: clock.now() + openMs, probeInFlight: false });
    hung?.success(); // arrives after it was written off
    expect(breaker.currentState).toBe('UNHEALTHY');
    clock.advance(openMs);
    expect(breaker.tryAcquire()?.probe).toBe(true);
  });

  it('ignores outcomes of calls that started before it opened', () => {
    const { breaker, clock } = setup();
    const slow = Array.from({ length: 3 }, () => breaker.tryAcquire());
    open(breaker);
    slow[0]?.success();
    slow[1]?.failure(new Error('late'));
    expect(breaker.health()).toMatchObject({ state: 'UNHEALTHY', openUntil: clock.now() + openMs });
    clock.advance(openMs);
    const probe = breaker.tryAcquire();
    slow[2]?.failure(new Error('late'));
    expect(breaker.health().probeInFlight).toBe(true);
    probe?.success();
    expect(breaker.currentState).toBe('HEALTHY');
  });

  it('settles a permit once: a second outcome is ignored', () => {
    const { breaker } = setup();
    const permit = breaker.tryAcquire();
    permit?.failure(new Error('x'));
    permit?.success();
    expect(breaker.health()).toMatchObject({ state: 'DEGRADED', consecutiveFailures: 1 });
  });

  it('logs every transition exactly once with old state, new state and reason, and counts it', () => {
    const { breaker, clock, lines } = setup();
    const seen: string[] = [];
    breaker.onTransition((t) => seen.push(`${t.from}>${t.to}`));
    breaker.tryAcquire()?.success(); // UNKNOWN > HEALTHY
    breaker.tryAcquire()?.success(); // no transition
    fail(breaker, 5); // HEALTHY > DEGRADED > UNHEALTHY
    for (let i = 0; i < 20; i++) breaker.tryAcquire(); // short-circuits: no lines
    clock.advance(openMs);
    breaker.tryAcquire()?.failure(new Error('down')); // UNHEALTHY > UNHEALTHY (re-open)
    clock.advance(openMs);
    breaker.tryAcquire()?.success(); // UNHEALTHY > HEALTHY
    const expected = ['UNKNOWN>HEALTHY', 'HEALTHY>DEGRADED', 'DEGRADED>UNHEALTHY', 'UNHEALTHY>UNHEALTHY', 'UNHEALTHY>HEALTHY'];
    expect(seen).toEqual(expected);
    expect(lines.map((l) => `${l.from}>${l.to}`)).toEqual(expected);
    for (const line of lines) {
      expect(line).toMatchObject({ msg: 'cache breaker state change', breaker: 'cache' });
      expect(typeof line.reason).toBe('string');
    }
    expect(lines[2]?.reason).toMatch(/^5 consecutive failures, last: boom 4/);
    expect(breaker.health()).toMatchObject({
      transitions: 5,
      transitionsTo: { UNKNOWN: 0, HEALTHY: 2, DEGRADED: 1, UNHEALTHY: 2 },
      lastTransition: { from: 'UNHEALTHY', to: 'HEALTHY', reason: 'probe succeeded' },
    });
  });

  it('a listener that throws does not break the breaker', () => {
    const { breaker } = setup();
    breaker.onTransition(() => {
      throw new Error('bad listener');
    });
    expect(() => breaker.tryAcquire()?.success()).not.toThrow();
    expect(breaker.currentState).toBe('HEALTHY');
  });

  it('opens at once with a threshold of 1', () => {
    const { breaker } = setup({ failureThreshold: 1 });
    fail(breaker, 1);
    expect(breaker.currentState).toBe('UNHEALTHY');
  });

  it.each([
    { failureThreshold: 0 },
    { failureThreshold: 2.5 },
    { openMs: 0 },
    { openMs: Number.NaN },
    { probeTimeoutMs: -1 },
    { probeTimeoutMs: Number.POSITIVE_INFINITY },
  ])('rejects bad options with RangeError: %o', (options) => {
    expect(() => new CacheBreaker({ failureThreshold: 5, openMs: 1_000, probeTimeoutMs: 50, ...options })).toThrow(RangeError);
  });
});

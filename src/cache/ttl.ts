/**
 * The one TTL table. Every cache write names its tier; no TTL literal lives anywhere else.
 * L2 (Redis) gets the tier's TTL as `PX`; no Node timer is ever created from these values,
 * because timers overflow past 2^31−1 ms (~24.8 days) and fire at once — PATTERN is 90 d.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Longest delay a Node timer can take; longer ones fire immediately. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * TTL tiers: how long the data a write holds is worth keeping. Which work writes which
 * tier is its writer's business (the worker maps its queues onto them).
 */
export const TtlTier = {
  /** Results of interactive work. */
  DEFAULT: 'DEFAULT',
  /** Results of bulk work (backfills, nightly runs). */
  BATCH: 'BATCH',
  /** Long-lived learned data (document templates). */
  PATTERN: 'PATTERN',
} as const;
export type TtlTier = (typeof TtlTier)[keyof typeof TtlTier];

/** Lifetime of each tier in the cache Redis (ms). */
export const TTL_MS: Readonly<Record<TtlTier, number>> = Object.freeze({
  DEFAULT: 24 * HOUR_MS,
  BATCH: 48 * HOUR_MS,
  PATTERN: 90 * DAY_MS,
});

/** L2 lifetime of a tier (ms). */
export function ttlMs(tier: TtlTier): number {
  return TTL_MS[tier];
}

/**
 * L1 lifetime of an entry: the shorter of what remains of its L2 lifetime and the L1 cap,
 * kept under the timer limit so it can never overflow wherever it ends up. At least 1 ms.
 */
export function l1TtlMs(remainingMs: number, capMs: number): number {
  return Math.max(1, Math.floor(Math.min(remainingMs, capMs, MAX_TIMER_MS)));
}

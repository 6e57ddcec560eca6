import type { WorkerHeartbeat } from '../queue/index.js';
import { scrubSecrets } from './scrub-secrets.js';

/** One live worker as the cache-health panel shows it. */
export interface WorkerView {
  id: string;
  host: string;
  pid: number;
  queue: string;
  pipeline: string;
  concurrency: number;
  startedAt: number;
  /** When the worker last reported (ms). */
  at: number;
  jobs: { ok: number; failed: number };
  cache: {
    mode: string;
    connected: boolean;
    /** Breaker state; `OFF` without an L2 cache (no breaker to report). */
    state: string;
    /** When the current state began (ms), if there is a breaker. */
    since?: number;
    /** Milliseconds in the current state as of the heartbeat. */
    timeInStateMs?: number;
    lastError?: string;
    consecutiveFailures: number;
    transitions: number;
    /** Share of this worker's lookups served by each tier, 0–1; undefined before the first lookup. */
    hitRate: { l1?: number; l2?: number };
    hitsL1: number;
    hitsL2: number;
    misses: number;
    timeouts: number;
    errors: number;
    shortCircuits: number;
    droppedWrites: number;
  };
}

/**
 * The panel's view of a heartbeat: hit rates derived, the last error scrubbed of
 * credentials. Time in state is measured at the heartbeat, not now: the worker's clock
 * wrote both, so clock skew between machines does not distort it.
 */
export function workerView(heartbeat: WorkerHeartbeat): WorkerView {
  const { health, stats } = heartbeat.cache;
  const lookups = stats.hitsL1 + stats.hitsL2 + stats.misses;
  const breaker = health.breaker;
  return {
    id: heartbeat.id,
    host: heartbeat.host,
    pid: heartbeat.pid,
    queue: heartbeat.queue,
    pipeline: heartbeat.pipeline,
    concurrency: heartbeat.concurrency,
    startedAt: heartbeat.startedAt,
    at: heartbeat.at,
    jobs: heartbeat.jobs,
    cache: {
      mode: health.mode,
      connected: health.connected,
      state: breaker?.state ?? 'OFF',
      ...(breaker ? { since: breaker.since, timeInStateMs: Math.max(0, heartbeat.at - breaker.since) } : {}),
      ...(breaker?.lastError ? { lastError: scrubSecrets(breaker.lastError).slice(0, 300) } : {}),
      consecutiveFailures: breaker?.consecutiveFailures ?? 0,
      transitions: breaker?.transitions ?? 0,
      hitRate: lookups > 0 ? { l1: stats.hitsL1 / lookups, l2: stats.hitsL2 / lookups } : {},
      hitsL1: stats.hitsL1,
      hitsL2: stats.hitsL2,
      misses: stats.misses,
      timeouts: stats.timeouts,
      errors: stats.errors,
      shortCircuits: stats.shortCircuits,
      droppedWrites: stats.droppedWrites,
    },
  };
}

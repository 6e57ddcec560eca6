import { Router } from 'express';
import type { Redis } from 'ioredis';
import { within } from '../time.js';
import type { WorkerRegistry } from '../queue/index.js';

export interface HealthSources {
  redis: Redis;
  registry: WorkerRegistry;
  /** Longest wait for the broker's answer before it counts as unreachable (ms). @defaultValue 1000 */
  timeoutMs?: number;
}

/**
 * `/healthz` and `/readyz`, mounted before authentication: Kubernetes and load-balancer
 * probes send no credentials. So they say only what a probe needs — up or not, broker
 * reachable or not, how many workers report each cache breaker state — and nothing an
 * outsider could use: no URLs, host names, ids, error messages or batch names.
 *
 * Readiness depends on the broker alone. The cache is optional by design, so its state
 * is reported but a dead cache never makes the dashboard unready.
 */
export function healthRoutes(sources: HealthSources): Router {
  const router = Router();
  const timeoutMs = sources.timeoutMs ?? 1_000;

  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const brokerUp = await answers(sources.redis, timeoutMs);
    const cache = brokerUp ? await cacheStates(sources.registry, timeoutMs) : 'unknown';
    res.status(brokerUp ? 200 : 503).json({ status: brokerUp ? 'ready' : 'unready', broker: brokerUp ? 'up' : 'down', cache });
  });

  return router;
}

/** A hung broker never errors, so the probe bounds the wait itself. */
async function answers(redis: Redis, timeoutMs: number): Promise<boolean> {
  try {
    return (await within(redis.ping(), timeoutMs, 'readiness ping')) === 'PONG';
  } catch {
    return false;
  }
}

/** Live workers per cache breaker state, from heartbeats in the broker (`OFF`: no L2 cache). */
async function cacheStates(registry: WorkerRegistry, timeoutMs: number): Promise<{ workers: number; states: Record<string, number> } | 'unknown'> {
  try {
    const workers = await within(registry.live(), timeoutMs, 'heartbeats');
    const states: Record<string, number> = {};
    for (const worker of workers) {
      const state = worker.cache.health.breaker?.state ?? 'OFF';
      states[state] = (states[state] ?? 0) + 1;
    }
    return { workers: workers.length, states };
  } catch {
    return 'unknown';
  }
}

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatchView, type RunningDashboard, startDashboard, type WorkerView } from '../../../src/dashboard/index.js';
import { silentLogger } from '../../../src/log.js';
import { BatchStore } from '../../../src/batches/batch-store.js';
import { findFreePort } from '../../../src/redis/free-port.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { tempDir } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';
import { dashboardConfig, ingest, startWorkers, uniquePrefix, type WorkerGroup, waitFor, writeDocs } from './live-system.js';
import { parsePrometheus, sampleValue } from './prometheus-text.js';

/*
 * A dead cache shows on the health panel's data: each worker's breaker reads UNHEALTHY
 * after at most the breaker's threshold of failed calls (plus those already in flight),
 * the last error says why, and the batch keeps going — documents enqueued after the panel
 * showed UNHEALTHY all complete, served with no time spent on the cache.
 */

const WORKERS = 2;
const CONCURRENCY = 4;
/** The default breaker threshold (config.cache.breaker.failureThreshold). */
const THRESHOLD = 5;

let broker: RedisServer;
let raw: Redis;
let store: BatchStore;
let dashboard: RunningDashboard;
const dir = tempDir('dash-dead-cache');

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${dashboard.url}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function liveWorkers(): Promise<WorkerView[]> {
  return (await api<{ workers: WorkerView[] }>('/api/workers')).workers;
}

beforeAll(async () => {
  broker = await startRedis('broker');
  raw = new Redis(broker.url);
});

afterAll(async () => {
  raw?.disconnect();
  await stopRedis(broker);
});

/**
 * Runs the scenario: workers on `cacheUrl`, the first part of a batch, `breakCache`, more
 * documents until the panel shows every worker UNHEALTHY, then a last part that must
 * complete with the breaker open.
 */
async function scenario(cacheUrl: string, breakCache: () => Promise<void>, expectHealthyFirst: boolean) {
  const prefix = uniquePrefix();
  const batchId = uniqueName('dead');
  store = new BatchStore(raw, prefix, 3_600);
  dashboard = await startDashboard(dashboardConfig(broker.url, prefix), { brokerUrl: broker.url, logger: silentLogger });
  let workers: WorkerGroup | undefined;
  try {
    workers = startWorkers({ brokerUrl: broker.url, cacheUrl, prefix, count: WORKERS, concurrency: CONCURRENCY, slowMs: 20 });
    await waitFor('workers on the panel', async () => (await liveWorkers()).length === WORKERS);
    await ingest({ brokerUrl: broker.url, prefix, batchId, file: writeDocs(dir, `${batchId}-1.jsonl`, { count: 100 }) });
    await waitFor('the first part to finish', async () => (await store.get(batchId))?.finishedAt !== undefined);
    let failedBefore = new Map<string, number>();
    if (expectHealthyFirst) {
      // Closed: HEALTHY, or DEGRADED if a loaded machine timed out a call or two.
      const closed = await waitFor('every worker’s breaker closed on the panel', async () => {
        const panel = await liveWorkers();
        return panel.every((w) => w.cache.state === 'HEALTHY' || w.cache.state === 'DEGRADED') && panel;
      });
      // Failed calls are counted from the moment the cache dies.
      failedBefore = new Map(closed.map((w) => [w.id, w.cache.errors + w.cache.timeouts]));
    }
    await breakCache();
    await ingest({ brokerUrl: broker.url, prefix, batchId, file: writeDocs(dir, `${batchId}-2.jsonl`, { from: 100, count: 300 }) });
    const unhealthy = await waitFor('every worker UNHEALTHY on the panel', async () => {
      const panel = await liveWorkers();
      return panel.length === WORKERS && panel.every((w) => w.cache.state === 'UNHEALTHY') && panel;
    });
    for (const worker of unhealthy) {
      expect(worker.cache.lastError, worker.id).toBeTruthy();
      expect(worker.cache.consecutiveFailures).toBeGreaterThanOrEqual(THRESHOLD);
      // Calls that reached the dead cache: the threshold's worth, plus at most a lookup and a
      // write per job that was already past the breaker when it opened.
      const failed = worker.cache.errors + worker.cache.timeouts - (failedBefore.get(worker.id) ?? 0);
      expect(failed, worker.id).toBeLessThanOrEqual(THRESHOLD + 2 * CONCURRENCY);
      expect(worker.cache.timeInStateMs).toBeGreaterThanOrEqual(0);
    }
    const seenAt = await store.get(batchId);

    // The batch keeps going: a last part enqueued now completes with the breaker open.
    await ingest({ brokerUrl: broker.url, prefix, batchId, file: writeDocs(dir, `${batchId}-3.jsonl`, { from: 400, count: 200 }) });
    const done = await waitFor('the whole batch to finish', async () => {
      const batch = await store.get(batchId);
      return batch?.finishedAt !== undefined && batch;
    });
    expect(done).toMatchObject({ total: 600, ok: 600, failed: 0 });
    expect(done.ok).toBeGreaterThan(seenAt?.ok ?? 0);
    const view = (await api<{ batches: BatchView[] }>('/api/batches')).batches.find((b) => b.batchId === batchId);
    expect(view).toMatchObject({ ok: 600, phase: 'finished', progress: 1 });

    const after = await waitFor('heartbeats after the last part', async () => {
      const panel = await liveWorkers();
      return panel.reduce((sum, w) => sum + w.jobs.ok, 0) >= 600 && panel;
    });
    for (const worker of after) {
      expect(worker.cache.state).toBe('UNHEALTHY');
      expect(worker.cache.shortCircuits, worker.id).toBeGreaterThan(0);
    }

    // Readiness never depends on the cache; metrics carry the same states.
    const ready = await fetch(`${dashboard.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', broker: 'up', cache: { workers: WORKERS, states: { UNHEALTHY: WORKERS } } });
    const samples = parsePrometheus(await (await fetch(`${dashboard.url}/metrics`)).text());
    for (const worker of after) {
      expect(sampleValue(samples, 'batchline_cache_breaker_state', { worker: worker.id, state: 'UNHEALTHY' })).toBe(1);
      expect(sampleValue(samples, 'batchline_cache_breaker_state', { worker: worker.id, state: 'HEALTHY' })).toBe(0);
    }
  } finally {
    await workers?.stop();
    await dashboard.close();
  }
}

describe('dead cache on the health panel', () => {
  it('cache URL pointing at a closed port: UNHEALTHY within the threshold; the batch completes', async () => {
    const url = `redis://127.0.0.1:${await findFreePort()}`;
    await scenario(url, async () => {}, false);
  }, 180_000);

  it('cache server SIGKILLed: closed, then UNHEALTHY within the threshold; the batch completes', async () => {
    const cache = await startRedis('cache');
    try {
      await scenario(cache.url, async () => cache.signal('SIGKILL'), true);
    } finally {
      await stopRedis(cache);
    }
  }, 180_000);
});

import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchDetail, BatchView, RunningDashboard } from '../../../src/dashboard/index.js';
import { startDashboard } from '../../../src/dashboard/index.js';
import { silentLogger } from '../../../src/log.js';
import { type BatchInfo, BatchStore } from '../../../src/batches/batch-store.js';
import { WorkerRegistry } from '../../../src/queue/worker-registry.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { tempDir } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';
import { dashboardConfig, ingest, startWorkers, uniquePrefix, type WorkerGroup, waitFor, writeDocs } from './live-system.js';
import { parsePrometheus, type Sample, sampleValue, sumOf } from './prometheus-text.js';

/*
 * The dashboard's figures are the broker's figures: `/metrics` and `/api/batches` are
 * compared with BatchStore and BullMQ's getJobCounts, read directly, before workers
 * start (exact), while they run (each figure lies between a broker read just before and
 * one just after, since counts only move one way), and after the batch (exact).
 */

const DOCS = 400;
const FAIL_EVERY = 40;
const WORKERS = 2;
const CONCURRENCY = 4;

let broker: RedisServer;
let cache: RedisServer;
let raw: Redis;
let queue: Queue;
/** The queue's connection: BullMQ leaves a connection it was handed open on close. */
let connection: Redis;
let store: BatchStore;
let registry: WorkerRegistry;
let dashboard: RunningDashboard;
let workers: WorkerGroup | undefined;
const prefix = uniquePrefix();
const batchId = uniqueName('fig');
const dir = tempDir('dash-figures');

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`${dashboard.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

async function apiBatch(): Promise<BatchView> {
  const body = (await (await fetch(`${dashboard.url}/api/batches`)).json()) as { batches: BatchView[] };
  const batch = body.batches.find((b) => b.batchId === batchId);
  if (!batch) throw new Error(`batch ${batchId} missing from /api/batches`);
  return batch;
}

async function brokerBatch(): Promise<BatchInfo> {
  const batch = await store.get(batchId);
  if (!batch) throw new Error(`batch ${batchId} missing from the broker`);
  return batch;
}

const batchGauge = (samples: Sample[], status: string) => sampleValue(samples, 'batchline_batch_documents', { batch: batchId, status });
const queueGauge = (samples: Sample[], state: string) => sampleValue(samples, 'batchline_queue_jobs', { queue: 'default', state });

beforeAll(async () => {
  broker = await startRedis('broker');
  cache = await startRedis('cache');
  raw = new Redis(broker.url);
  connection = new Redis(broker.url, { maxRetriesPerRequest: null });
  queue = new Queue('default', { connection, prefix });
  store = new BatchStore(raw, prefix, 3_600);
  registry = new WorkerRegistry(raw, prefix);
  dashboard = await startDashboard(dashboardConfig(broker.url, prefix), { brokerUrl: broker.url, logger: silentLogger });
});

afterAll(async () => {
  await workers?.stop();
  await dashboard?.close();
  await queue?.close();
  connection?.disconnect();
  raw?.disconnect();
  await stopRedis(broker, cache);
});

describe('dashboard figures against the broker', () => {
  it('before any worker runs: every document waiting, figures exact', async () => {
    const report = await ingest({ brokerUrl: broker.url, prefix, batchId, file: writeDocs(dir, 'docs.jsonl', { count: DOCS, failEvery: FAIL_EVERY }) });
    expect(report.enqueued).toBe(DOCS);
    const [samples, api, info, counts] = await Promise.all([scrape(), apiBatch(), brokerBatch(), queue.getJobCounts()]);

    expect(info.total).toBe(DOCS);
    expect(api).toMatchObject({ total: info.total, ok: 0, failed: 0, waiting: DOCS, active: 0, progress: 0, phase: 'processing' });
    expect(batchGauge(samples, 'total')).toBe(info.total);
    expect(batchGauge(samples, 'ok')).toBe(0);
    expect(sampleValue(samples, 'batchline_batch_finished', { batch: batchId })).toBe(0);
    for (const state of Object.keys(counts)) expect(queueGauge(samples, state), state).toBe(counts[state]);
    expect(queueGauge(samples, 'waiting')).toBe(DOCS);
    expect(sampleValue(samples, 'batchline_broker_up')).toBe(1);
  }, 150_000);

  it('while workers run: each figure lies between the broker reads taken just before and just after', async () => {
    workers = startWorkers({ brokerUrl: broker.url, cacheUrl: cache.url, prefix, count: WORKERS, concurrency: CONCURRENCY, slowMs: 60 });
    await waitFor('two live workers', async () => (await registry.live()).length === WORKERS);
    await waitFor('the batch to be under way', async () => (await brokerBatch()).ok > 20);

    let checked = 0;
    for (let round = 0; round < 3; round++) {
      const [before, countsBefore] = await Promise.all([brokerBatch(), queue.getJobCounts()]);
      const [samples, api] = await Promise.all([scrape(), apiBatch()]);
      const [after, countsAfter] = await Promise.all([brokerBatch(), queue.getJobCounts()]);
      // A round that saw the end of the batch proves nothing about "during": stop there.
      if (after.finishedAt !== undefined) break;
      checked++;

      for (const [figure, low, high] of [
        [batchGauge(samples, 'ok'), before.ok, after.ok],
        [batchGauge(samples, 'failed'), before.failed, after.failed],
        [api.ok, before.ok, after.ok],
        [api.failed, before.failed, after.failed],
        [api.cache.exact + api.cache.semantic + api.cache.miss, sumCache(before), sumCache(after)],
        [queueGauge(samples, 'completed'), countsBefore.completed ?? 0, countsAfter.completed ?? 0],
        [queueGauge(samples, 'failed'), countsBefore.failed ?? 0, countsAfter.failed ?? 0],
        // Waiting only shrinks once ingest is over, so its bounds are the other way round.
        [queueGauge(samples, 'waiting'), countsAfter.waiting ?? 0, countsBefore.waiting ?? 0],
      ] as const) {
        expect(figure).toBeGreaterThanOrEqual(low);
        expect(figure).toBeLessThanOrEqual(high);
      }
      expect(batchGauge(samples, 'total')).toBe(DOCS);
      expect(api.total).toBe(DOCS);
      expect(api.waiting + api.active + api.done).toBe(DOCS);
      expect(api.active).toBeLessThanOrEqual(WORKERS * CONCURRENCY);
      expect(api.phase).toBe('processing');
      expect(sampleValue(samples, 'batchline_workers', { queue: 'default' })).toBe(WORKERS);
    }
    expect(checked).toBeGreaterThan(0);
  }, 150_000);

  it('after the batch: batch, queue, job and cache figures equal the broker’s', async () => {
    const info = await waitFor('the batch to finish', async () => {
      const batch = await brokerBatch();
      return batch.finishedAt !== undefined && batch;
    });
    const failedDocs = DOCS / FAIL_EVERY;
    expect(info).toMatchObject({ total: DOCS, ok: DOCS - failedDocs, failed: failedDocs });
    // Heartbeats trail the jobs by one interval: wait until they have reported every completed
    // job (one per successful document: completed jobs themselves are removed at once).
    const completed = info.ok;
    const live = await waitFor('heartbeats to report every job', async () => {
      const beats = await registry.live();
      return beats.reduce((sum, beat) => sum + beat.jobs.ok, 0) === completed && beats;
    });

    const [samples, api, counts] = await Promise.all([scrape(), apiBatch(), queue.getJobCounts()]);
    expect(counts).toMatchObject({ completed: 0, failed: failedDocs, waiting: 0, active: 0 });
    for (const state of Object.keys(counts)) expect(queueGauge(samples, state), state).toBe(counts[state]);
    for (const status of ['total', 'ok', 'failed', 'rejected'] as const) expect(batchGauge(samples, status), status).toBe(info[status]);
    expect(sampleValue(samples, 'batchline_batch_finished', { batch: batchId })).toBe(1);
    for (const kind of ['exact', 'semantic', 'miss'] as const) {
      expect(sampleValue(samples, 'batchline_batch_cache_documents', { batch: batchId, kind }), kind).toBe(info.cache[kind]);
    }
    expect(info.cache.exact).toBeGreaterThan(0);

    expect(api).toMatchObject({
      total: info.total,
      ok: info.ok,
      failed: info.failed,
      rejected: info.rejected,
      cache: info.cache,
      waiting: 0,
      active: 0,
      progress: 1,
      phase: 'finished',
      finishedAt: info.finishedAt,
    });
    expect(api.throughputPerMinute).toBeGreaterThan(0);
    expect(api.etaSeconds).toBeUndefined();

    // Jobs and durations: the sums of the live workers' heartbeats, per worker and per queue.
    expect(sumOf(samples, 'batchline_worker_jobs_total', { outcome: 'ok' })).toBe(completed);
    expect(sumOf(samples, 'batchline_worker_jobs_total', { outcome: 'failed' })).toBe(live.reduce((sum, beat) => sum + beat.jobs.failed, 0));
    expect(sampleValue(samples, 'batchline_job_duration_seconds_count', { queue: 'default' })).toBe(completed);
    expect(sampleValue(samples, 'batchline_job_duration_seconds_bucket', { queue: 'default', le: '+Inf' })).toBe(completed);
    expect(sampleValue(samples, 'batchline_job_duration_seconds_sum', { queue: 'default' })).toBeCloseTo(
      live.reduce((sum, beat) => sum + beat.durations.sum, 0),
      6,
    );
    const buckets = samples
      .filter((s) => s.name === 'batchline_job_duration_seconds_bucket' && s.labels.le !== '+Inf')
      .sort((a, b) => Number(a.labels.le) - Number(b.labels.le))
      .map((s) => s.value);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b)); // cumulative

    // Cache lookups per tier and the breaker state of each worker, as the heartbeats say
    // (idle workers make no cache calls, so neither changes between the two reads).
    for (const beat of live) {
      const labels = { worker: beat.id };
      expect(sampleValue(samples, 'batchline_cache_lookups_total', { ...labels, result: 'hit_l1' })).toBe(beat.cache.stats.hitsL1);
      expect(sampleValue(samples, 'batchline_cache_lookups_total', { ...labels, result: 'hit_l2' })).toBe(beat.cache.stats.hitsL2);
      expect(sampleValue(samples, 'batchline_cache_lookups_total', { ...labels, result: 'miss' })).toBe(beat.cache.stats.misses);
      expect(sampleValue(samples, 'batchline_cache_corrupt_values_total', labels)).toBe(beat.cache.stats.invalidValues);
      const state = beat.cache.health.breaker?.state;
      expect(['UNKNOWN', 'HEALTHY', 'DEGRADED', 'UNHEALTHY']).toContain(state);
      expect(sampleValue(samples, 'batchline_cache_breaker_state', { ...labels, state: state ?? 'OFF' })).toBe(1);
      expect(sumOf(samples, 'batchline_cache_breaker_state', labels)).toBe(1);
    }
  }, 150_000);

  it('the batch page’s API lists every failed document with its reason and a link to its job', async () => {
    const res = await fetch(`${dashboard.url}/api/batches/${batchId}`);
    expect(res.status).toBe(200);
    const detail = (await res.json()) as BatchDetail;
    const expected = await store.failures(batchId, 1_000);
    expect(detail.failures.map((f) => f.id).sort()).toEqual(expected.map((f) => f.id).sort());
    expect(detail.failures).toHaveLength(DOCS / FAIL_EVERY);
    for (const failure of detail.failures) {
      expect(failure.message).toContain(`refused ${failure.id}`);
      expect(failure.code).toBe(expected.find((f) => f.id === failure.id)?.error?.code);
      expect(failure.jobUrl).toBe(`/queues/queue/default/${failure.jobId}`);
      expect(await queue.getJobState(failure.jobId)).toBe('failed');
    }
    const timeline = await store.timeline(batchId);
    expect(detail.timeline).toEqual(timeline);
    expect(detail.timeline.reduce((sum, p) => sum + p.ok, 0)).toBe(detail.batch.ok);
    expect(detail.links).toEqual({ queue: '/queues/queue/default', failed: '/queues/queue/default?status=failed', active: '/queues/queue/default?status=active' });

    expect((await fetch(`${dashboard.url}/api/batches/no-such-batch`)).status).toBe(404);
    expect((await fetch(`${dashboard.url}/api/batches/${encodeURIComponent('bad id!')}`)).status).toBe(400);
  }, 150_000);

  it('queue depth is sampled into a capped set in the broker and served by /api/queues', async () => {
    const res = await fetch(`${dashboard.url}/api/queues`);
    const body = (await res.json()) as { queues: { name: string; counts: Record<string, number> }[]; history: { at: number; queues: Record<string, unknown> }[]; sampleSeconds: number };
    expect(body.queues.map((q) => q.name)).toEqual(['default', 'batch', 'patterns']);
    expect(body.queues[0]?.counts).toEqual(await queue.getJobCounts());
    expect(body.history.length).toBeGreaterThan(0);
    for (const sample of body.history) expect(Object.keys(sample.queues)).toEqual(['default', 'batch', 'patterns']);
    // The sampler may have added a sample since: the set holds at least what was served.
    expect(await raw.zcard(`${prefix}:bl:queue-samples`)).toBeGreaterThanOrEqual(body.history.length);
    expect(await raw.pttl(`${prefix}:bl:queue-samples`)).toBeGreaterThan(0);
  }, 150_000);
});

function sumCache(batch: BatchInfo): number {
  return batch.cache.exact + batch.cache.semantic + batch.cache.miss;
}

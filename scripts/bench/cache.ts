/**
 * Cache benchmark, in one process against one redis-server started here:
 * `node --import tsx scripts/bench/cache.ts` (or `npm run bench -- cache` once registered).
 *
 * A job is what a worker does around the pipeline: lookup → on a miss, the pipeline (a
 * fixed busy-wait standing in for real work) → write back. Jobs run one after another,
 * as in one worker slot, over a batch with many repeats. Figures:
 * - time of one lookup on an L1 hit and on an L2 hit, against the pipeline's own cost;
 * - batch wall time with the cache healthy against `--no-cache` (the saving);
 * - with the cache Redis dead and the breaker open: cache time added per job (p50/p99) and
 *   throughput against `--no-cache` (targets: p99 ≤ 1 ms, ≥ 0.95×);
 * - with the cache Redis hung from the start: total cache time over the batch, against
 *   5 × the operation budget.
 * The dead and hung runs use an all-distinct batch, so the L1 cannot hide the L2's cost.
 *
 * The dead-Redis comparison alternates with its `--no-cache` baseline for BENCH_ROUNDS rounds
 * (medians reported), because a shared machine's load drifts within a minute.
 *
 * Environment: BENCH_DOCS (2000), BENCH_UNIQUE (400 distinct inputs), BENCH_PIPELINE_MS (3),
 * BENCH_ROUNDS (3).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCache } from '../../src/cache/create-cache.js';
import { artifactKey } from '../../src/cache/keys.js';
import { TtlTier } from '../../src/cache/ttl.js';
import type { Cache } from '../../src/cache/types.js';
import { systemClock } from '../../src/time.js';
import { configSchema } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log.js';
import { RedisServer } from '../../src/redis/redis-server.js';
import { envInt } from './bench-env.js';


const DOCS = envInt('BENCH_DOCS', 2_000);
const UNIQUE = envInt('BENCH_UNIQUE', 400);
const PIPELINE_MS = envInt('BENCH_PIPELINE_MS', 3);
const ROUNDS = envInt('BENCH_ROUNDS', 3);

const baseConfig = configSchema.parse({}).cache;
const budget = baseConfig.opTimeoutMs;

/** The stand-in pipeline: CPU-bound for a fixed time, like a real extraction. */
function pipeline(text: string): { length: number; words: number } {
  const end = performance.now() + PIPELINE_MS;
  while (performance.now() < end) {
    // busy: a real pipeline would be computing here
  }
  return { length: text.length, words: text.split(' ').length };
}

/** Deterministic batch: DOCS documents drawn from UNIQUE texts. */
const texts = Array.from({ length: DOCS }, (_, i) => `document ${(i * 7_919) % UNIQUE} total 12.50 EUR due 2024-01-31`);
/**
 * All distinct: for the dead and hung runs, so L1 (which keeps working) cannot hide what
 * the failed L2 costs — every job pays a lookup that goes past L1.
 */
const distinctTexts = Array.from({ length: DOCS }, (_, i) => `document ${i} total 12.50 EUR due 2024-01-31`);

interface Run {
  wallMs: number;
  /** Cache time (lookup + write) per job, ms. */
  cacheMs: number[];
  pipelineRuns: number;
}

async function runBatch(cache: Cache, namespace: string, batch: readonly string[] = texts): Promise<Run> {
  const cacheMs: number[] = [];
  let pipelineRuns = 0;
  const started = performance.now();
  for (const [i, text] of batch.entries()) {
    const key = artifactKey({ namespace, pipeline: 'bench', version: '1', text });
    const t0 = performance.now();
    const hit = await cache.get(key);
    let spent = performance.now() - t0;
    if (!hit) {
      const artifact = pipeline(text);
      pipelineRuns++;
      const t1 = performance.now();
      cache.set(key, { artifact, docId: `doc-${i}`, made: { pipeline: 'bench', version: '1', scope: null, input: key } }, TtlTier.BATCH);
      spent += performance.now() - t1;
    }
    cacheMs.push(spent);
  }
  return { wallMs: performance.now() - started, cacheMs, pipelineRuns };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

/** Median time of one `get` over keys already in the tier under test. */
async function lookupTime(cache: Cache, keys: readonly string[]): Promise<number> {
  const times: number[] = [];
  for (const key of keys) {
    const t0 = performance.now();
    await cache.get(key);
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

let n = 0;
function makeCache(url: string | undefined, enabled = true): { cache: Cache; namespace: string } {
  const namespace = `bench-${process.pid}-${n++}`;
  const cache = createCache({ ...baseConfig, enabled, namespace }, { url, logger: silentLogger, clock: systemClock });
  return { cache, namespace };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-bench-cache-'));
const server = await RedisServer.start({ dir, role: 'cache' });
try {
  process.stdout.write(`${DOCS} jobs, ${UNIQUE} distinct inputs, pipeline ${PIPELINE_MS} ms, budget ${budget} ms\n\n`);

  // Baselines: --no-cache, over the batch with repeats and over the all-distinct one.
  const off = makeCache(undefined, false);
  const baseline = await runBatch(off.cache, off.namespace);
  const distinctBaseline = await runBatch(off.cache, off.namespace, distinctTexts);

  // Healthy L1 + L2.
  const healthy = makeCache(server.url);
  await healthy.cache.ready(2_000);
  const warm = await runBatch(healthy.cache, healthy.namespace);
  await healthy.cache.flush();
  const keys = Array.from(new Set(texts)).map((text) =>
    artifactKey({ namespace: healthy.namespace, pipeline: 'bench', version: '1', text }),
  );
  const l1Ms = await lookupTime(healthy.cache, keys);
  const reader = createCache({ ...baseConfig, namespace: healthy.namespace }, { url: server.url, logger: silentLogger, clock: systemClock });
  await reader.ready(2_000);
  const l2Ms = await lookupTime(reader, keys); // first read of each key in this "process": L2
  await reader.close();
  await healthy.cache.close();

  // Dead cache Redis, breaker already open; alternating with --no-cache over the same batch.
  server.signal('SIGKILL');
  const deadRuns: Run[] = [];
  const offRuns: Run[] = [distinctBaseline];
  let deadState: string | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const dead = makeCache(server.url);
    await dead.cache.ready(500); // nothing listens: the first attempt fails at once
    for (let i = 0; i < 10 && dead.cache.health().breaker?.state !== 'UNHEALTHY'; i++) await dead.cache.get(`trip-${i}`);
    deadState = dead.cache.health().breaker?.state;
    deadRuns.push(await runBatch(dead.cache, dead.namespace, distinctTexts));
    await dead.cache.close();
    if (round > 0) offRuns.push(await runBatch(off.cache, off.namespace, distinctTexts));
  }
  const median = (values: number[]) => percentile(values, 50);
  const deadCacheMs = deadRuns.flatMap((r) => r.cacheMs);
  const throughputRatio = median(offRuns.map((r) => r.wallMs)) / median(deadRuns.map((r) => r.wallMs));

  // Hung cache Redis from the first job on.
  await server.restart();
  const hung = makeCache(server.url);
  await hung.cache.ready(2_000);
  server.signal('SIGSTOP');
  const hungRun = await runBatch(hung.cache, hung.namespace, distinctTexts);
  server.signal('SIGCONT');
  await hung.cache.close();

  const lines = [
    '| figure | value |',
    '|---|---|',
    `| pipeline, per run | ${fmt(PIPELINE_MS)} |`,
    `| lookup on an L1 hit (p50) | ${fmt(l1Ms)} (${(PIPELINE_MS / l1Ms).toFixed(0)}× cheaper than the pipeline) |`,
    `| lookup on an L2 hit (p50) | ${fmt(l2Ms)} (${(PIPELINE_MS / l2Ms).toFixed(0)}× cheaper than the pipeline) |`,
    `| batch, --no-cache | ${fmt(baseline.wallMs)} (${baseline.pipelineRuns} pipeline runs) |`,
    `| batch, cache healthy (cold) | ${fmt(warm.wallMs)} (${warm.pipelineRuns} pipeline runs), ${(baseline.wallMs / warm.wallMs).toFixed(2)}× faster |`,
    `| dead Redis, breaker ${deadState}: cache time per job p50 / p99 / max | ${fmt(percentile(deadCacheMs, 50))} / ${fmt(percentile(deadCacheMs, 99))} / ${fmt(Math.max(...deadCacheMs))} |`,
    `| dead Redis: throughput vs --no-cache (all-distinct batch, median of ${ROUNDS}) | ${throughputRatio.toFixed(3)}× |`,
    `| hung Redis: total cache time over the batch | ${fmt(sum(hungRun.cacheMs))} (bound 5 × ${budget} ms = ${5 * budget} ms), of which jobs over 1 ms: ${hungRun.cacheMs.filter((ms) => ms > 1).length} |`,
    `| hung Redis: batch wall time vs --no-cache (all-distinct batch) | ${fmt(hungRun.wallMs)} vs ${fmt(distinctBaseline.wallMs)} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `\nper-round wall times (ms): --no-cache ${offRuns.map((r) => r.wallMs.toFixed(0)).join(', ')}; dead ${deadRuns.map((r) => r.wallMs.toFixed(0)).join(', ')}\n`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactKey, CACHE_SCHEMA_VERSION, canonicalText } from '../../src/cache/index.js';
import { findFreePort } from '../../src/redis/free-port.js';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { type CliResult, cleanEnv, readJsonl, startCli, tempDir } from '../helpers/cli.js';
import { invoiceText, writeCorpusWithDuplicates } from '../helpers/corpus.js';
import { type LogLine, logLines } from '../helpers/logs.js';
import { startRedis, stopRedis, uniqueName } from '../helpers/redis.js';

/*
 * The cache is optional: whatever happens to the cache Redis, a batch of 2,000 documents
 * (with duplicates) on two worker processes completes with one result per document and
 * exactly the artifacts a --no-cache run produces.
 */

const DOCS = 2_000;
const UNIQUE = 1_400;
const pipeline = path.resolve('test/fixtures/slow-extract-pipeline.js');
const dir = tempDir('cache-faults');
const input = writeCorpusWithDuplicates(dir, DOCS, UNIQUE);
// A short breaker window so the tests can watch the breaker close again.
writeFileSync(path.join(dir, 'batchline.config.json'), JSON.stringify({ cache: { breaker: { openMs: 1_500 } } }));

let broker: RedisServer;
/** Canonical input → every artifact the pipeline produced for an input of that canonical form. */
let valid: Map<string, Set<string>>;
/** Document id → its canonical input. */
const canonicalOf = new Map<string, string>(
  readJsonl<{ id: string; text: string }>(readFileSync(input, 'utf8')).map((doc) => [doc.id, canonicalText(doc.text)]),
);

function startRun(cacheUrl: string | undefined, options: { noCache?: boolean; slowMs?: number } = {}) {
  const batchId = uniqueName('cf');
  const args = ['run', input, '--json', '--out', path.join(dir, 'out'), '--batch-id', batchId, '--workers', '2', '--concurrency', '4', '--pipeline', pipeline];
  if (options.noCache) args.push('--no-cache');
  const env = cleanEnv({
    BATCHLINE_BROKER_URL: broker.url,
    ...(cacheUrl ? { BATCHLINE_CACHE_URL: cacheUrl } : {}),
    BATCHLINE_LOG_LEVEL: 'info',
    SLOW_PIPELINE_MS: String(options.slowMs ?? 2),
  });
  return { batchId, ...startCli(args, { env, cwd: dir }) };
}

/**
 * Asserts the run completed with one result per document, each artifact one that the
 * pipeline itself produced (in the --no-cache run) for the same canonical input: inputs
 * that differ only in whitespace share a cache key by design.
 */
function expectCorrectResults(result: CliResult, batchId: string): void {
  expect(result.code, result.stderr.slice(-2_000)).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
  const lines = readJsonl<{ id: string; artifact: unknown }>(readFileSync(path.join(dir, 'out', `${batchId}.jsonl`), 'utf8'));
  expect(lines).toHaveLength(DOCS);
  const mismatched = lines.filter((line) => !valid.get(canonicalOf.get(line.id) ?? '')?.has(JSON.stringify(line.artifact)));
  expect(mismatched.map((line) => line.id)).toEqual([]);
}

/**
 * Waits until the workers have written `keys` keys to the cache Redis: they are connected
 * and mid-batch, so a fault lands on them (a fixed sleep can land before they start on a
 * loaded machine).
 */
async function waitForCacheUse(cache: RedisServer, keys = 100): Promise<void> {
  const client = new Redis(cache.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
  try {
    for (let i = 0; i < 1_200 && (await client.dbsize()) < keys; i++) await sleep(25);
  } finally {
    client.disconnect();
  }
}

/** The cache counters each worker logged at shutdown. */
function shutdownCounters(stderr: string): Record<string, number>[] {
  return logLines(stderr)
    .filter((line) => line.msg === 'cache counters at shutdown')
    .map((line) => line.cache ?? {});
}

beforeAll(async () => {
  broker = await startRedis('broker');
  const baseline = startRun(undefined, { noCache: true });
  const result = await baseline.done;
  expect(result.code, result.stderr).toBe(0);
  const lines = readJsonl<{ id: string; artifact: unknown; cache: string }>(
    readFileSync(path.join(dir, 'out', `${baseline.batchId}.jsonl`), 'utf8'),
  );
  expect(lines.every((line) => line.cache === 'miss')).toBe(true);
  expect(lines).toHaveLength(DOCS);
  valid = new Map();
  for (const line of lines) {
    const canonical = canonicalOf.get(line.id) ?? '';
    const artifacts = valid.get(canonical) ?? new Set<string>();
    artifacts.add(JSON.stringify(line.artifact));
    valid.set(canonical, artifacts);
  }
  expect(valid.size).toBe(UNIQUE);
}, 120_000);

afterAll(async () => {
  await stopRedis(broker);
});

describe('cache Redis faults during a batch', () => {
  it('healthy cache: duplicates are served from the cache and results match --no-cache', async () => {
    const cache = await startRedis('cache');
    try {
      const run = startRun(cache.url);
      const result = await run.done;
      expectCorrectResults(result, run.batchId);
      const summary = JSON.parse(result.stdout);
      // Most repeats are hits; a few race their original on the other worker process.
      expect(summary.cache.exact).toBeGreaterThanOrEqual((DOCS - UNIQUE) / 2);
      expect(summary.cache.miss).toBeGreaterThanOrEqual(UNIQUE);
    } finally {
      await stopRedis(cache);
    }
  });

  it('killed mid-batch, then restarted: the batch completes correctly and the cache is used again', async () => {
    const cache = await startRedis('cache');
    try {
      const run = startRun(cache.url, { slowMs: 25 });
      await waitForCacheUse(cache);
      cache.signal('SIGKILL');
      await sleep(1_000);
      await cache.restart();
      const result = await run.done;
      expectCorrectResults(result, run.batchId);
      const transitions = logLines(result.stderr).filter((line) => line.msg === 'cache breaker state change');
      const byWorker = new Map<number | undefined, LogLine[]>();
      for (const line of transitions) byWorker.set(line.pid, [...(byWorker.get(line.pid) ?? []), line]);
      // The workers that saw the outage opened their breaker, and each closed it again after the window.
      const opened = [...byWorker.values()].filter((lines) => lines.some((line) => line.to === 'UNHEALTHY'));
      expect(opened.length).toBeGreaterThan(0);
      for (const lines of opened) {
        const states = lines.map((line) => line.to);
        expect(states.slice(states.indexOf('UNHEALTHY') + 1)).toContain('HEALTHY');
      }
    } finally {
      await stopRedis(cache);
    }
  });

  it('hung mid-batch (SIGSTOP, then SIGCONT): a bounded number of timeouts, then no time spent on the cache', async () => {
    const cache = await startRedis('cache');
    try {
      const run = startRun(cache.url, { slowMs: 25 });
      await waitForCacheUse(cache);
      cache.signal('SIGSTOP');
      await sleep(2_500);
      cache.signal('SIGCONT');
      const result = await run.done;
      expectCorrectResults(result, run.batchId);
      const counters = shutdownCounters(result.stderr);
      expect(counters).toHaveLength(2);
      for (const worker of counters) {
        // Up to the 5 failures that open the breaker, the operations already in flight then,
        // and a probe per 1.5 s window while hung. A job touches the cache Redis at most five
        // times (exact get, semantic index read, pattern hint, background artifact write and
        // index write), so at most 5 × 4 concurrent jobs can be in flight. After that, jobs
        // short-circuit.
        expect(worker.timeouts).toBeLessThanOrEqual(5 + 5 * 4 + 3);
        expect(worker.shortCircuits).toBeGreaterThan(0);
      }
    } finally {
      await stopRedis(cache);
    }
  });

  it.each([
    ['a closed port', async () => `redis://127.0.0.1:${await findFreePort()}`],
    ['a wrong password', async () => 'wrong-password'],
    ['a host name that does not resolve', async () => 'redis://no-such-host.invalid:6379'],
  ])('points at %s: full correctness and a bounded number of cache log lines', async (_label, makeUrl) => {
    let server: RedisServer | undefined;
    let url = await makeUrl();
    if (url === 'wrong-password') {
      server = await startRedis('cache', ['--requirepass', 'right-password']);
      url = `redis://:not-the-password@127.0.0.1:${server.port}`;
    }
    try {
      const run = startRun(url);
      const result = await run.done;
      expectCorrectResults(result, run.batchId);
      const cacheLines = logLines(result.stderr).filter((line) => line.component === 'cache');
      expect(cacheLines.length).toBeLessThanOrEqual(2 * 12);
      expect(result.stderr).not.toContain('not-the-password');
    } finally {
      await stopRedis(server);
    }
  });

  it('corrupted values in the cache are counted misses, deleted, and never served', async () => {
    const cache = await startRedis('cache');
    const raw = new Redis(cache.port, '127.0.0.1');
    try {
      const version = (await import('../../src/pipeline/extract/index.js')).extractPipeline.version;
      const keyOf = (n: number) =>
        artifactKey({ namespace: 'batchline', pipeline: 'slow-extract', version, scope: undefined, text: invoiceText(n) });
      const corrupt = [
        Buffer.from([0xff, 0x00, 0xfe, 0x12]),
        '{"v":1,"artifact":',
        JSON.stringify({ v: 1, artifact: 'not an object', docId: 'x', createdAt: 0, expiresAt: Date.now() + 3_600_000 }),
        JSON.stringify({ v: 0, artifact: { type: 'old' }, docId: 'x', createdAt: 0, expiresAt: Date.now() + 3_600_000 }),
        JSON.stringify({ hello: 'world' }),
      ];
      for (const [i, value] of corrupt.entries()) await raw.set(keyOf(i), value);
      const run = startRun(cache.url);
      const result = await run.done;
      expectCorrectResults(result, run.batchId);
      const invalid = shutdownCounters(result.stderr).reduce((sum, worker) => sum + (worker.invalidValues ?? 0), 0);
      expect(invalid).toBeGreaterThanOrEqual(corrupt.length);
      for (let i = 0; i < corrupt.length; i++) {
        const now = await raw.get(keyOf(i));
        // Deleted, or replaced by a valid artifact written after the pipeline ran.
        if (now !== null) expect(JSON.parse(now)).toMatchObject({ v: CACHE_SCHEMA_VERSION, key: keyOf(i), docId: expect.any(String) });
      }
    } finally {
      raw.disconnect();
      await stopRedis(cache);
    }
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalText } from '../../src/cache/index.js';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { type CliResult, cleanEnv, readJsonl, startCli, tempDir } from '../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../helpers/redis.js';
import {
  batchStatus,
  type LabelledDoc,
  labelledCorpus,
  logLines,
  oracle,
  type ResultLine,
  shuffled,
  writeDocs,
} from '../integration/semantic/helpers.js';

/*
 * The semantic lookup under cache Redis faults. A batch of 912 free-prose documents on
 * two worker processes: 304 originals first, then, shuffled, two formatting-only duplicates
 * of each original and one hard negative of each. Whatever happens to the cache Redis, the batch
 * completes with one result per document, and every result is right:
 *   - a miss carries exactly what the pipeline produces for that document (--no-cache run);
 *   - an exact hit carries what the pipeline produced for a document with the same canonical text;
 *   - a semantic hit points at a true near-duplicate of the document (per the corpus labels:
 *     the same original's group, never a hard negative) and carries what the pipeline
 *     produced for that source or for an input with the source's canonical text (inputs that
 *     differ only in whitespace share one exact key by design, so the source's key may hold
 *     a whitespace variant's artifact).
 */

const dir = tempDir('semantic-faults');
const pipeline = path.resolve('test/fixtures/slow-extract-pipeline.js');
const corpus = labelledCorpus({ seed: 23, perDomain: 38, duplicates: 2, negatives: 1 });
const docs: LabelledDoc[] = [...corpus.originals, ...shuffled([...corpus.duplicates, ...corpus.negatives], 23)];
const input = writeDocs(path.join(dir, 'batch.jsonl'), docs);
const DOCS = docs.length;
const docById = new Map(docs.map((d) => [d.id, d]));

let broker: RedisServer;
/** Document id → the artifact the pipeline produces for it (from the --no-cache run), as JSON. */
const baseline = new Map<string, string>();
/** Canonical input → the artifacts the pipeline produced for inputs of that canonical form. */
const byCanonical = new Map<string, Set<string>>();

function startRun(cacheUrl: string | undefined, options: { noCache?: boolean; slowMs?: number; budgetMs?: number } = {}) {
  const batchId = uniqueName('sf');
  const args = ['run', input, '--json', '--out', path.join(dir, 'out'), '--batch-id', batchId, '--workers', '2', '--concurrency', '4', '--pipeline', pipeline];
  if (options.noCache) args.push('--no-cache');
  const env = cleanEnv({
    BATCHLINE_BROKER_URL: broker.url,
    ...(cacheUrl ? { BATCHLINE_CACHE_URL: cacheUrl } : {}),
    BATCHLINE_LOG_LEVEL: 'info',
    SLOW_PIPELINE_MS: String(options.slowMs ?? 2),
    ...(options.budgetMs ? { BATCHLINE_CACHE_TIMEOUT_MS: String(options.budgetMs) } : {}),
  });
  return { batchId, env, ...startCli(args, { env, cwd: dir }) };
}

function resultsOf(batchId: string): ResultLine[] {
  return readJsonl<ResultLine>(readFileSync(path.join(dir, 'out', `${batchId}.jsonl`), 'utf8'));
}

/** Asserts completion, one result per document and the correctness rules above; returns counts by kind. */
function expectCorrectResults(result: CliResult, batchId: string): Record<string, number> {
  expect(result.code, result.stderr.slice(-2_000)).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
  const lines = resultsOf(batchId);
  expect(lines).toHaveLength(DOCS);
  expect(new Set(lines.map((l) => l.id))).toEqual(new Set(docById.keys()));
  const wrong: string[] = [];
  const counts: Record<string, number> = { miss: 0, exact: 0, semantic: 0 };
  for (const line of lines) {
    counts[line.cache] = (counts[line.cache] ?? 0) + 1;
    const doc = docById.get(line.id)!;
    const artifact = JSON.stringify(line.artifact);
    const source = line.sourceId === undefined ? undefined : docById.get(line.sourceId);
    let problem: string | undefined;
    if (line.status !== 'ok') problem = `status ${line.status}`;
    else if (line.cache === 'miss') {
      if (artifact !== baseline.get(doc.id)) problem = 'miss with an artifact the pipeline does not produce for it';
    } else if (!source) problem = `${line.cache} hit without a known sourceId (${line.sourceId})`;
    else if (line.cache === 'exact') {
      if (canonicalText(source.text) !== canonicalText(doc.text)) problem = `exact hit from ${source.id}, another input`;
      else if (artifact !== baseline.get(source.id)) problem = `exact hit with an artifact ${source.id} does not produce`;
    } else {
      const sameGroup = source.id !== doc.id && source.base === doc.base && source.role !== 'negative' && doc.role !== 'negative';
      if (!sameGroup) problem = `semantic hit from ${source.id}, not a near-duplicate`;
      // The source's key may hold the artifact of a whitespace variant of the source (one exact key by design).
      else if (!byCanonical.get(canonicalText(source.text))?.has(artifact)) problem = `semantic hit with an artifact no input like ${source.id} produces`;
      else if (!(line.similarity !== undefined && line.similarity > 0 && line.similarity <= 1)) problem = `similarity ${line.similarity}`;
      else if (line.difference !== oracle(source.text, doc.text).difference) problem = `difference ${line.difference}`;
    }
    if (problem) wrong.push(`${line.id}: ${problem}`);
  }
  expect(wrong).toEqual([]);
  return counts;
}

/** Waits until at least `ok` documents are done, so a fault lands mid-batch; returns the status then. */
async function waitForProgress(env: NodeJS.ProcessEnv, batchId: string, ok: number) {
  for (let i = 0; i < 2_400; i++) {
    const status = await batchStatus(env, batchId).catch(() => undefined);
    if (status && status.ok >= ok) return status;
    await sleep(25);
  }
  throw new Error(`batch ${batchId} never reached ${ok} documents`);
}

beforeAll(async () => {
  broker = await startRedis('broker');
  const run = startRun(undefined, { noCache: true });
  const result = await run.done;
  expect(result.code, result.stderr.slice(-2_000)).toBe(0);
  const lines = resultsOf(run.batchId);
  expect(lines).toHaveLength(DOCS);
  expect(lines.every((line) => line.cache === 'miss' && line.status === 'ok')).toBe(true);
  for (const line of lines) {
    baseline.set(line.id, JSON.stringify(line.artifact));
    const canonical = canonicalText(docById.get(line.id)!.text);
    byCanonical.set(canonical, (byCanonical.get(canonical) ?? new Set()).add(JSON.stringify(line.artifact)));
  }
}, 120_000);

afterAll(async () => {
  await stopRedis(broker);
});

describe('semantic lookup with cache Redis faults during a batch', () => {
  it('healthy cache: near-duplicates are served, hard negatives never, results correct', async () => {
    const cache = await startRedis('cache');
    try {
      const run = startRun(cache.url, { budgetMs: 2_000 });
      const result = await run.done;
      const counts = expectCorrectResults(result, run.batchId);
      expect(resultsOf(run.batchId).filter((l) => docById.get(l.id)!.role === 'negative' && l.cache !== 'miss')).toEqual([]);
      // How many near-duplicates find their original depends on the cache having seen it: a
      // worker that has not connected yet, or an operation that failed, misses (by design).
      // With no such failure, most are served; in any case, some are.
      const workers = logLines(result.stderr).filter((line) => line.msg === 'cache counters at shutdown').map((line) => line.cache ?? {});
      expect(workers).toHaveLength(2);
      const failedOps = workers.reduce((sum, c) => sum + (c.timeouts ?? 0) + (c.errors ?? 0) + (c.shortCircuits ?? 0), 0);
      expect(counts.semantic, JSON.stringify({ counts, workers })).toBeGreaterThan(failedOps === 0 ? corpus.duplicates.length / 2 : 0);
    } finally {
      await stopRedis(cache);
    }
  });

  it.each([
    ['and left dead', false],
    ['then restarted empty', true],
  ])('cache Redis SIGKILLed mid-batch %s: the batch completes with one correct result per document', async (_label, restart) => {
    const cache = await startRedis('cache');
    try {
      const run = startRun(cache.url, { slowMs: 40 });
      // Mid-batch: the originals are done and some near-duplicates have been looked up.
      const atKill = await waitForProgress(run.env, run.batchId, corpus.originals.length + 100);
      cache.signal('SIGKILL');
      expect(atKill.ok).toBeLessThan(DOCS);
      if (restart) {
        await sleep(1_000);
        await cache.restart();
      }
      const result = await run.done;
      const counts = expectCorrectResults(result, run.batchId);
      // Near-duplicates were served (from L2 before the kill, from each worker's L1 throughout).
      expect(counts.semantic).toBeGreaterThan(0);
      // The workers noticed: at least one opened its breaker.
      const opened = logLines(result.stderr).filter((line) => line.msg === 'cache breaker state change' && line.to === 'UNHEALTHY');
      expect(opened.length).toBeGreaterThan(0);
    } finally {
      await stopRedis(cache);
    }
  });
});

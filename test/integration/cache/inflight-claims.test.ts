import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, readJsonl, runCli, tempDir } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';
import { useRedis } from '../../helpers/use-redis.js';

/*
 * Repeats in flight on another worker process: each original's exact repeat comes three
 * places later in the queue, so the two run at the same moment, often on different
 * processes (a slow, 300 ms pipeline; 2 processes × 4 jobs, which take the queue in turns).
 * The repeat waits for the artifact the other process is producing: the pipeline runs
 * once per distinct input.
 */

const UNIQUE = 24;
const dir = tempDir('claims');
const input = path.join(dir, 'pairs.jsonl');
// o0 o1 r0 o2 r1 o3 r2 … o23 r22 r23
const order = Array.from({ length: UNIQUE }, (_, k) => (k === 0 ? [k] : [k, k - 1])).flat();
order.push(UNIQUE - 1);
writeFileSync(input, `${order.map((k, i) => JSON.stringify({ id: `d${i}`, text: `order ${k} for the claims test, please` })).join('\n')}\n`);
const pipeline = path.resolve('test/fixtures/slow-pipeline.js');

const redis = useRedis('broker', 'cache');

// A cache call past its time budget is a miss by design, and so is a claim that could not be
// made in time: on a machine loaded by other work, 50 ms was once not enough (25 misses, not
// 24). This test is about claims, not the budget, so the budget is generous.
const CACHE_BUDGET = { opTimeoutMs: 2_000 };

async function runPairs(extra: NodeJS.ProcessEnv, config: { cache: object }) {
  const cwd = tempDir('claims-run');
  writeFileSync(path.join(cwd, 'batchline.config.json'), JSON.stringify({ ...config, cache: { ...CACHE_BUDGET, ...config.cache } }));
  const batchId = uniqueName('claims');
  const env = cleanEnv({ BATCHLINE_BROKER_URL: redis.broker.url, SLOW_PIPELINE_MS: '300', ...extra });
  const args = ['run', input, '--json', '--out', cwd, '--batch-id', batchId, '--workers', '2', '--concurrency', '4', '--pipeline', pipeline];
  const result = await runCli(args, { env, cwd });
  expect(result.code, result.stderr.slice(-2_000)).toBe(0);
  const lines = readJsonl<{ id: string; cache: string; status: string }>(readFileSync(path.join(cwd, `${batchId}.jsonl`), 'utf8'));
  expect(lines).toHaveLength(UNIQUE * 2);
  expect(lines.every((line) => line.status === 'ok')).toBe(true);
  return lines.filter((line) => line.cache === 'miss').length;
}

describe('claims on artifacts being computed', () => {
  it('a repeat waits for the artifact another worker process is computing: one pipeline run per distinct input', async () => {
    const withClaims = await runPairs({ BATCHLINE_CACHE_URL: redis.cache.url }, { cache: { namespace: uniqueName('ns') } });
    expect(withClaims).toBe(UNIQUE);
  });

  it('control: without claims, repeats in flight on the other process pay for the pipeline again', async () => {
    const withoutClaims = await runPairs({ BATCHLINE_CACHE_URL: redis.cache.url }, { cache: { namespace: uniqueName('ns'), claims: { enabled: false } } });
    expect(withoutClaims).toBeGreaterThan(UNIQUE);
  });

  it('with the cache Redis gone, nobody waits: the batch completes, each document computed', async () => {
    const gone = await startRedis('cache');
    const url = gone.url;
    await stopRedis(gone);
    const misses = await runPairs({ BATCHLINE_CACHE_URL: url }, { cache: { namespace: uniqueName('ns') } });
    expect(misses).toBeGreaterThanOrEqual(UNIQUE);
  });
});

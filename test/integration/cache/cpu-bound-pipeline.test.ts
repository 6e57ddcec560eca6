import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempDir } from '../../helpers/cli.js';
import { writeCorpusWithDuplicates } from '../../helpers/corpus.js';
import { logLines } from '../../helpers/logs.js';
import { uniqueName } from '../../helpers/redis.js';
import { useRedis } from '../../helpers/use-redis.js';

/*
 * A CPU-bound pipeline (15 ms of synchronous work per document, 8 jobs per process) keeps
 * each worker's event loop blocked for far longer than the 50 ms cache budget. With a
 * healthy cache Redis the breaker must not move, and repeats must be served.
 */

const DOCS = 400;
const UNIQUE = 200;
const dir = tempDir('cpu-bound');
const input = writeCorpusWithDuplicates(dir, DOCS, UNIQUE);
const pipeline = path.resolve('test/fixtures/cpu-bound-pipeline.js');

const redis = useRedis('broker', 'cache');

describe('a CPU-bound pipeline and a healthy cache', () => {
  it('no breaker transition, no cache timeout, and the repeats are served from the cache', async () => {
    const env = cleanEnv({ BATCHLINE_BROKER_URL: redis.broker.url, BATCHLINE_CACHE_URL: redis.cache.url, BATCHLINE_LOG_LEVEL: 'info', CPU_PIPELINE_MS: '15' });
    const batchId = uniqueName('cpu');
    const args = ['run', input, '--json', '--out', path.join(dir, 'out'), '--batch-id', batchId, '--workers', '2', '--concurrency', '8', '--pipeline', pipeline];
    const result = await runCli(args, { env, cwd: dir });
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });

    const lines = logLines(result.stderr);
    const transitions = lines.filter((line) => line.msg === 'cache breaker state change' && line.to !== 'HEALTHY');
    expect(transitions).toEqual([]);
    const counters = lines.filter((line) => line.msg === 'cache counters at shutdown').map((line) => line.cache ?? {});
    expect(counters).toHaveLength(2);
    for (const worker of counters) expect(worker).toMatchObject({ timeouts: 0, errors: 0, shortCircuits: 0 });
    // Repeats come after every original in the input; a few may still race an original in
    // flight on the other worker process, the rest are served.
    expect(summary.cache.exact + summary.cache.semantic).toBeGreaterThanOrEqual((DOCS - UNIQUE) * 0.9);
    expect(counters.reduce((sum, c) => sum + (c.hitsL2 ?? 0), 0)).toBeGreaterThan(0);
  });
});

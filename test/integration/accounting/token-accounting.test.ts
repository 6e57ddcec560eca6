import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { cleanEnv, readJsonl, runCli, startDashboardCli, tempDir } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

let broker: RedisServer;
let cache: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
  cache = await startRedis('cache');
});

afterAll(async () => {
  await stopRedis(broker, cache);
});

const cost = (text: string) => text.trim().split(/\s+/).length + 7;

describe('LLM token accounting per batch', () => {
  it('tokens spent and saved add up exactly for a batch with known duplicates', async () => {
    const dir = tempDir('tokens');
    const texts: string[] = [];
    for (let i = 0; i < 300; i++) {
      // 100 distinct texts of different lengths, each appearing three times.
      const n = i % 100;
      texts.push(`Ticket SUP-${n} ${'word '.repeat(n % 17)}reported by customer ${n}`);
    }
    const input = path.join(dir, 'docs.jsonl');
    writeFileSync(input, `${texts.map((text, i) => JSON.stringify({ id: `t${i}`, text })).join('\n')}\n`);
    const batchId = uniqueName('tok');
    const env = cleanEnv({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_CACHE_URL: cache.url });
    const pipeline = path.resolve('test/fixtures/metered-pipeline.js');
    const result = await runCli(['run', input, '--json', '--batch-id', batchId, '--out', dir, '--pipeline', pipeline], { env });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);

    const lines = readJsonl<{ id: string; cache: string }>(readFileSync(path.join(dir, `${batchId}.jsonl`), 'utf8'));
    const textOf = new Map(texts.map((text, i) => [`t${i}`, text]));
    const spentByMisses = lines.filter((l) => l.cache === 'miss').reduce((sum, l) => sum + cost(textOf.get(l.id) ?? ''), 0);
    const savedByHits = lines.filter((l) => l.cache !== 'miss').reduce((sum, l) => sum + cost(textOf.get(l.id) ?? ''), 0);

    expect(summary.cache.miss).toBeGreaterThanOrEqual(100);
    expect(summary.cache.exact).toBeGreaterThan(0);
    expect(summary.llm.calls).toBe(summary.cache.miss);
    expect(summary.llm.tokensIn + summary.llm.tokensOut).toBe(spentByMisses);
    expect(summary.llm.tokensOut).toBe(7 * summary.cache.miss);
    expect(summary.llm.tokensSaved).toBe(savedByHits);
    // Every document either spent its cost or saved it.
    expect(summary.llm.tokensIn + summary.llm.tokensOut + summary.llm.tokensSaved).toBe(texts.reduce((sum, t) => sum + cost(t), 0));

    const status = JSON.parse((await runCli(['status', batchId, '--json'], { env })).stdout);
    expect(status.llm).toEqual(summary.llm);
    expect(status.cost).toBeUndefined();

    // With a price table, tokens become money.
    const price = { inputPerMillion: 2.5, outputPerMillion: 10, currency: 'EUR' };
    const priced = JSON.parse(
      (await runCli(['status', batchId, '--json'], { env: { ...env, BATCHLINE_CONFIG_JSON: JSON.stringify({ llm: { price } }) } })).stdout,
    );
    const spent = (summary.llm.tokensIn * 2.5 + summary.llm.tokensOut * 10) / 1_000_000;
    expect(priced.cost.currency).toBe('EUR');
    expect(priced.cost.spent).toBeCloseTo(spent, 4);
    expect(priced.cost.saved).toBeCloseTo((summary.llm.tokensSaved * spent) / (summary.llm.tokensIn + summary.llm.tokensOut), 4);

    // The dashboard's batch API and /metrics show the same figures.
    const { url, stop } = await startDashboardCli(env);
    try {
      const detail = (await (await fetch(`${url}/api/batches/${batchId}`)).json()) as { batch: { llm: unknown } };
      expect(detail.batch.llm).toEqual(summary.llm);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const gauge = (kind: string) => Number(metrics.match(new RegExp(`batchline_batch_llm_tokens\\{batch="${batchId}",queue="default",kind="${kind}"\\} (\\d+)`))?.[1]);
      expect(gauge('in')).toBe(summary.llm.tokensIn);
      expect(gauge('saved')).toBe(summary.llm.tokensSaved);
      expect(metrics).toContain(`batchline_batch_llm_calls{batch="${batchId}",queue="default"} ${summary.llm.calls}`);
    } finally {
      await stop();
    }
  });
});

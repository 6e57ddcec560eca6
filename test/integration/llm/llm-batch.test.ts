import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type StandIn, startStandIn } from '../../../scripts/llm-stand-in.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { cleanEnv, readJsonl, runCli, tempDir } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';
import { API_KEY, dumpRedis, invoiceText, llmEnv, writeDocs } from './helpers.js';

// The built code, as the worker processes run it.
const { LlmError, llmVersionHash } = await import('../../../dist/src/llm/index.js');
const { isPermanent } = await import('../../../dist/src/worker/document-processor.js');

interface ResultLine {
  id: string;
  status: 'ok' | 'failed';
  pipeline: string;
  cache: string;
  error?: { code: string; message: string };
  artifact?: { llm?: { model: string }; usage?: { calls: number; tokensIn: number; tokensOut: number } };
}

let broker: RedisServer;
let cache: RedisServer;
let standIn: StandIn;

beforeAll(async () => {
  broker = await startRedis('broker');
  cache = await startRedis('cache');
  // The stand-in refuses requests without the key: every success proves the workers sent it.
  standIn = await startStandIn({ apiKey: API_KEY, latencyMs: 20, promptTokens: 100, completionTokens: 10 });
});

afterAll(async () => {
  await standIn?.close();
  await stopRedis(broker, cache);
});

beforeEach(() => standIn.reset());

const template = readFileSync('examples/prompts/extract.txt', 'utf8');
const env = (extra: NodeJS.ProcessEnv = {}) =>
  cleanEnv({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_CACHE_URL: cache.url, ...llmEnv(standIn.url, extra) });

describe('batchline run with the LLM step', () => {
  it('fails only the document whose replies never validate, with a clear reason; the rest are ok', async () => {
    const dir = tempDir('llm-batch');
    const docs = [
      ...Array.from({ length: 12 }, (_, i) => ({ id: `plain-${i}`, text: invoiceText(i) })),
      { id: 'never-valid', text: invoiceText(100, 'LLM_NEVER_VALID') },
      { id: 'rate-limited', text: invoiceText(101, 'LLM_429') },
      { id: 'server-errors', text: invoiceText(102, 'LLM_500x2') },
      { id: 'bad-json-once', text: invoiceText(103, 'LLM_BAD_JSON_ONCE') },
    ];
    const batchId = uniqueName('llm');
    const result = await runCli(['run', writeDocs(dir, docs), '--json', '--out', dir, '--batch-id', batchId, '--workers', '2'], {
      // Debug logs from every worker: the retries and re-asks are logged, the key must not be.
      env: env({ BATCHLINE_LLM_MAX_INVALID_REPLIES: '1', BATCHLINE_LOG_LEVEL: 'debug' }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 16, ok: 15, failed: 1 });

    const resultsText = readFileSync(path.join(dir, `${batchId}.jsonl`), 'utf8');
    const lines = new Map(readJsonl<ResultLine>(resultsText).map((line) => [line.id, line]));
    expect(lines.get('never-valid')).toMatchObject({
      status: 'failed',
      error: { code: 'E_LLM_INVALID_REPLY', message: 'the LLM (stand-in) gave no valid reply in 2 tries; last: the reply is not valid JSON' },
    });
    const version = `extract@1.0.0+llm.${llmVersionHash('stand-in', template)}`;
    for (const doc of docs.filter((d) => d.id !== 'never-valid')) {
      const line = lines.get(doc.id);
      expect(line, doc.id).toMatchObject({ status: 'ok', pipeline: version, artifact: { llm: { model: 'stand-in' } } });
    }
    expect(lines.get('plain-0')?.artifact?.usage).toEqual({ calls: 1, tokensIn: 100, tokensOut: 10 });
    expect(lines.get('rate-limited')?.artifact?.usage).toEqual({ calls: 1, tokensIn: 100, tokensOut: 10 });
    expect(lines.get('server-errors')?.artifact?.usage).toEqual({ calls: 1, tokensIn: 100, tokensOut: 10 });
    expect(lines.get('bad-json-once')?.artifact?.usage).toEqual({ calls: 2, tokensIn: 200, tokensOut: 20 });

    // Requests: 12 plain, 429 + retry, 2 × 500 + retry, bad JSON + re-ask, and for the
    // never-valid document 2 per job attempt: 1 attempt if the worker treats the permanent
    // error as permanent, else every attempt of `jobs.attempts` (3).
    const probe = new LlmError('E_LLM_INVALID_REPLY', 'probe', { permanent: true, usage: { calls: 0, tokensIn: 0, tokensOut: 0 } });
    const attempts = isPermanent(probe) ? 1 : 3;
    const stats = standIn.stats();
    expect(stats.requests).toBe(12 + 2 + 3 + 2 + 2 * attempts);
    expect(stats.unauthorized).toBe(0);

    // The key reached the stand-in only: not the output, the logs, the results or the broker.
    expect(result.stderr).toContain('LLM request failed; retrying');
    expect(result.stderr).toContain('invalid LLM reply; asking again');
    for (const text of [result.stdout, result.stderr, resultsText, await dumpRedis(broker.url), await dumpRedis(cache.url)]) {
      expect(text).not.toContain(API_KEY);
    }
  });

  it('serves repeats from the cache without calling the LLM, and never across a model change', async () => {
    const dir = tempDir('llm-version');
    const docs = Array.from({ length: 6 }, (_, i) => ({ id: `v-${i}`, text: invoiceText(200 + i) }));
    const input = writeDocs(dir, docs);
    const run = (extra: NodeJS.ProcessEnv) =>
      runCli(['run', input, '--json', '--out', dir, '--batch-id', uniqueName('ver'), '--workers', '1'], { env: env(extra) });

    const first = await run({});
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: 6, cache: { miss: 6 } });
    expect(standIn.stats().requests).toBe(6);

    const again = await run({});
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: 6, cache: { exact: 6, miss: 0 } });
    expect(standIn.stats().requests).toBe(6);

    const otherModel = await run({ BATCHLINE_LLM_MODEL: 'stand-in-2' });
    expect(JSON.parse(otherModel.stdout)).toMatchObject({ ok: 6, cache: { miss: 6 } });
    expect(standIn.stats().requests).toBe(12);
  });

  it('refuses to start with an unreadable prompt template (exit 2, E_CONFIG)', async () => {
    const dir = tempDir('llm-prompt');
    const result = await runCli(['run', writeDocs(dir, [{ id: 'a', text: 'x' }]), '--out', dir], {
      env: env({ BATCHLINE_LLM_PROMPT_FILE: path.join(dir, 'missing.txt') }),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`invalid config: llm.promptFile: cannot read ${path.join(dir, 'missing.txt')}`);
    expect(standIn.stats().requests).toBe(0);
  });
});

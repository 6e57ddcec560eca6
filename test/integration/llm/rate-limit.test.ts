import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxInWindow, type StandIn, startStandIn } from '../../../scripts/llm-stand-in.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { cleanEnv, runCli, tempDir } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';
import { invoiceText, llmEnv, writeDocs } from './helpers.js';

let broker: RedisServer;
let standIn: StandIn;

beforeAll(async () => {
  broker = await startRedis('broker');
  standIn = await startStandIn({ latencyMs: 50 });
});

afterAll(async () => {
  await standIn?.close();
  await stopRedis(broker);
});

const LIMIT = 4;
const WINDOW_MS = 1_500;
const DOCS = 20;
/** Slack for the gap between a job starting and its request reaching the stand-in. */
const SLACK_MS = 300;

describe('llm.requestsPerMinute', () => {
  it('holds across two worker processes with 16 job slots between them (batch queue)', async () => {
    const dir = tempDir('llm-rate');
    const docs = Array.from({ length: DOCS }, (_, i) => ({ id: `r-${i}`, text: invoiceText(300 + i) }));
    const result = await runCli(
      ['run', writeDocs(dir, docs), '--json', '--out', dir, '--batch-id', uniqueName('rate'), '--queue', 'batch', '--workers', '2', '--concurrency', '8', '--no-cache'],
      {
        env: cleanEnv({
          BATCHLINE_BROKER_URL: broker.url,
          ...llmEnv(standIn.url, { BATCHLINE_LLM_API_KEY: '', BATCHLINE_LLM_RPM: String(LIMIT), BATCHLINE_LLM_RATE_WINDOW_MS: String(WINDOW_MS) }),
        }),
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });

    const { arrivals, requests, maxInFlight } = standIn.stats();
    expect(requests).toBe(DOCS);
    // BullMQ's limiter counts in fixed windows that start with their first job: no half
    // window ever sees more than the limit...
    expect(maxInWindow(arrivals, WINDOW_MS / 2)).toBeLessThanOrEqual(LIMIT);
    expect(maxInFlight).toBeLessThanOrEqual(LIMIT);
    // ...and from the first request on, k windows never hold more than k × the limit.
    const start = Math.min(...arrivals);
    for (let k = 1; k <= DOCS / LIMIT; k++) {
      const early = arrivals.filter((at) => at < start + k * WINDOW_MS - SLACK_MS).length;
      expect(early, `requests in the first ${k} windows`).toBeLessThanOrEqual(k * LIMIT);
    }
    // So the batch cannot have been faster than the limit allows.
    expect(Math.max(...arrivals) - start).toBeGreaterThanOrEqual((DOCS / LIMIT - 1) * WINDOW_MS - SLACK_MS);
  });
});

import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordDocsScript, sealScript } from '../../src/queue/batch-scripts.js';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { bullmqScript } from '../helpers/broker-commands.js';
import { batchCounters, faultBatch, runWithin, tallyResults } from '../helpers/fault-batch.js';
import { type CommandMatcher, FaultProxy, isExecOf, isScript } from '../helpers/fault-proxy.js';
import { startRedis, stopRedis } from '../helpers/redis.js';

/*
 * `batchline run` SIGKILLed at each step of ingest, then run again with the same
 * --batch-id: the second run must end with exactly one line per document and total equal
 * to the documents. The kill point is deterministic: a proxy in front of the broker kills
 * `run` the moment it has forwarded the chosen command (so the broker executes it, and
 * `run` never learns it did).
 */

const DOCS = 300;
let broker: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
});

afterAll(async () => {
  await stopRedis(broker);
});

/** Ingest steps, in the order one chunk goes through them, and which occurrence to kill after (100-document chunks). */
const killPoints: readonly { step: string; match: CommandMatcher; skip: number; leavesJobless?: boolean }[] = [
  { step: 'opening the batch', skip: 0, match: isExecOf((c) => c.name === 'HSETNX' && c.args[1] === 'createdAt') },
  { step: 'checking the ids of the second chunk', skip: 1, match: (c) => c.name === 'HMGET' && (c.args[0] ?? '').endsWith(':docs') },
  { step: 'recording the ids of the second chunk (before its jobs are added)', skip: 1, match: isScript(recordDocsScript), leavesJobless: true },
  { step: 'adding half the jobs of the second chunk', skip: 150, match: isScript(bullmqScript('addStandardJob-9')) },
  { step: 'recording rejections (every chunk enqueued, batch not sealed)', skip: 0, match: isExecOf((c) => c.name === 'HSET' && (c.args[0] ?? '').endsWith(':rejected')) },
  { step: 'sealing the batch', skip: 0, match: isScript(sealScript) },
];

describe('run SIGKILLed during ingest, then run again with the same batch id', () => {
  it.each(killPoints.map((point) => [point.step, point] as const))('killed right after %s: one line per document, total = documents', async (_, point) => {
    const proxy = await FaultProxy.start(broker.url);
    try {
      const batch = faultBatch(DOCS);
      let run: ChildProcess | undefined;
      let killed = false;
      void proxy.onCommand(
        point.match,
        () => {
          killed = run?.kill('SIGKILL') ?? false;
        },
        point.skip,
      );
      const first = await runWithin(batch.args, batch.env(proxy.url), 45_000, (child) => {
        run = child;
      });
      expect(killed, `run was never killed at "${point.step}": ${first.stderr.slice(-1_000)}`).toBe(true);
      expect(first.signal).toBe('SIGKILL');
      proxy.disarm();

      const second = await runWithin(batch.args, batch.env(broker.url), 45_000);
      expect(second.hung, `the re-run hung: ${second.stderr.slice(-2_000)}`).toBe(false);
      expect(second.code, second.stderr.slice(-2_000)).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
      expect(tallyResults(batch)).toEqual({ lines: DOCS, lost: 0, duplicated: 0, failed: 0 });
      expect(await batchCounters(batch, broker.url)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
      // Documents recorded by the killed run but never given a job: the re-run enqueued them and said so.
      if (point.leavesJobless) expect(second.stderr).toMatch(/"count":100,.*"msg":"enqueued again documents an earlier ingest of this batch accepted/);
    } finally {
      await proxy.close();
    }
  });
});

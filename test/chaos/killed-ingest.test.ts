import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { type BatchCommandKind, batchCommandKinds } from '../helpers/broker-commands.js';
import { batchCounters, faultBatch, runWithin, tallyResults } from '../helpers/fault-batch.js';
import { FaultProxy } from '../helpers/fault-proxy.js';
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

/** Ingest's steps; the occurrence killed after is the kind's usual one (the second chunk for per-chunk steps). */
const killPoints = batchCommandKinds.filter((kind) => kind.by === 'ingest');
/** Killed after recording a chunk's ids but before adding its jobs, the re-run must find those documents jobless. */
const leavesJobless = (kind: BatchCommandKind) => kind.name.startsWith('record accepted ids');

// The cases run concurrently: each has its own proxy, key prefix and batch id on the shared
// broker, and one case alone leaves a core idle while its processes start.
describe.concurrent('run SIGKILLed during ingest, then run again with the same batch id', () => {
  it.each(killPoints.map((point) => [point.name, point] as const))('killed right after %s: one line per document, total = documents', async (_, point) => {
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
      expect(killed, `run was never killed at "${point.name}": ${first.stderr.slice(-1_000)}`).toBe(true);
      expect(first.signal).toBe('SIGKILL');
      proxy.disarm();

      const second = await runWithin(batch.args, batch.env(broker.url), 45_000);
      expect(second.hung, `the re-run hung: ${second.stderr.slice(-2_000)}`).toBe(false);
      expect(second.code, second.stderr.slice(-2_000)).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
      expect(tallyResults(batch)).toEqual({ lines: DOCS, lost: 0, duplicated: 0, failed: 0 });
      expect(await batchCounters(batch, broker.url)).toMatchObject({ total: DOCS, ok: DOCS, failed: 0 });
      // Documents recorded by the killed run but never given a job: the re-run enqueued them and said so.
      if (leavesJobless(point)) expect(second.stderr).toMatch(/"count":100,.*"msg":"enqueued again documents an earlier ingest of this batch accepted/);
    } finally {
      await proxy.close();
    }
  });
});

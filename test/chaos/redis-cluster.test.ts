import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { hashTagOf } from '../../src/config/cluster-url.js';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { wrongArtifacts } from '../helpers/artifacts.js';
import { expectOneOkResultPerDocument, resultsFile } from '../helpers/batch.js';
import { cleanEnv, runCli, startCli, startDashboardCli, tempDir, writeCorpus } from '../helpers/cli.js';
import { uniqueName } from '../helpers/redis.js';
import { RedisCluster } from '../helpers/redis-cluster.js';

/*
 * Broker and cache on real Redis Clusters (3 masters each, see test/helpers/redis-cluster.ts),
 * reached through `redis+cluster://` URLs: a batch completes with one result per document,
 * every broker key sits in the queue prefix's slot, a broker master failing over mid-batch
 * loses no document, and a cache master lost mid-batch costs only cache hits.
 */

const clusters: RedisCluster[] = [];

// Each test's clusters go when it ends: up to 12 nodes per test, never left to pile up.
afterEach(async () => {
  for (const cluster of clusters.splice(0)) await cluster.stop();
});

async function startCluster(role: 'broker' | 'cache', options: { replicas?: number; password?: string } = {}): Promise<RedisCluster> {
  const cluster = await RedisCluster.start(role, { masters: 3, ...options });
  clusters.push(cluster);
  return cluster;
}

function setUp(broker: RedisCluster, cache: RedisCluster | undefined, docs: number, options: { pipeline?: string; slowMs?: number } = {}) {
  const dir = tempDir('cluster');
  const { file, ids } = writeCorpus(dir, docs);
  const prefix = `{${uniqueName('cl')}}`;
  const batchId = uniqueName('cl');
  const env = cleanEnv({
    BATCHLINE_BROKER_URL: broker.url,
    ...(cache ? { BATCHLINE_CACHE_URL: cache.url } : {}),
    BATCHLINE_QUEUE_PREFIX: prefix,
    BATCHLINE_PIPELINE: path.resolve(options.pipeline ?? 'test/fixtures/slow-pipeline.js'),
    BATCHLINE_CONCURRENCY_DEFAULT: '8',
    SLOW_PIPELINE_MS: String(options.slowMs ?? 5),
    // Short locks so that jobs of a worker that lost its broker connection come back quickly.
    BATCHLINE_CONFIG_JSON: JSON.stringify({ workers: { lockDurationMs: 4_000, stalledIntervalMs: 2_000 } }),
  });
  return { dir, file, ids, prefix, batchId, env, docs };
}
type Setup = ReturnType<typeof setUp>;

const runArgs = (setup: Setup) => ['run', setup.file, '--json', '--batch-id', setup.batchId, '--out', setup.dir, '--workers', '2'];

async function status(setup: Setup) {
  const result = await runCli(['status', setup.batchId, '--json'], { env: setup.env });
  return result.code === 0 ? (JSON.parse(result.stdout) as { total: number; ok: number; failed: number; reprocessed: number; cache: Record<string, number> }) : undefined;
}

async function progressed(setup: Setup, done: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const current = await status(setup);
    if (current && current.ok + current.failed >= done) return;
    await sleep(100);
  }
  throw new Error(`batch ${setup.batchId} never reached ${done} documents`);
}

/** A Cluster client for the test's own reads (job counts, key scans). */
function testClient(cluster: RedisCluster): Cluster {
  return new Cluster(
    cluster.nodes.filter((node) => node.running).map((node) => ({ host: '127.0.0.1', port: node.port })),
    { redisOptions: cluster.password ? { password: cluster.password } : {}, lazyConnect: true },
  );
}

async function jobCounts(cluster: RedisCluster, prefix: string): Promise<Record<string, number>> {
  const client = testClient(cluster);
  const queue = new Queue('default', { connection: client, prefix });
  queue.on('error', () => {});
  try {
    return await queue.getJobCounts();
  } finally {
    await queue.close();
    client.disconnect();
  }
}

async function expectCompleted(setup: Setup, broker: RedisCluster, result: { code: number | null; stdout: string; stderr: string }) {
  expect(result.code, result.stderr.slice(-3_000)).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ total: setup.docs, ok: setup.docs, failed: 0, rejected: 0 });
  expectOneOkResultPerDocument(resultsFile(setup.dir, setup.batchId), setup.ids);
  const counts = await jobCounts(broker, setup.prefix);
  expect(counts.active).toBe(0);
  expect(counts.waiting).toBe(0);
  return (await status(setup)) ?? { reprocessed: Number.NaN, cache: {} as Record<string, number> };
}

/** Logs at info and reports open handles on SIGUSR2: what `runOutcome` shows of a run that hangs. */
const diagnosable = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...env,
  BATCHLINE_LOG_LEVEL: 'info',
  NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import ${path.resolve('test/fixtures/report-handles.mjs')}`.trim(),
});

/** `run`'s outcome, or, when it does not end within `ms`, an error with the batch's status and run's last log lines. */
async function runOutcome(setup: Setup, broker: RedisCluster, run: ReturnType<typeof startCli>, ms = 120_000) {
  const ended = await Promise.race([run.done, sleep(ms).then(() => undefined)]);
  if (ended) return ended;
  const current = await status(setup);
  // CPU time of the hung process over one second: spinning (an event loop kept busy) or waiting.
  const cpuTicks = () => readFileSync(`/proc/${run.child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ').slice(11, 13).reduce((sum, ticks) => sum + Number(ticks), 0) ?? 0;
  const before = cpuTicks();
  run.child.kill('SIGUSR2'); // test/fixtures/report-handles.mjs names what keeps it alive
  await sleep(1_000);
  const cpuShare = (cpuTicks() - before) / 100;
  run.child.kill('SIGKILL');
  const { stderr } = await run.done;
  throw new Error(`run did not end within ${ms} ms; its CPU use over 1 s: ${cpuShare}; status ${JSON.stringify(current)}; counts ${JSON.stringify(await jobCounts(broker, setup.prefix).catch((error: Error) => error.message))}; log: ${stderr.slice(-4_000)}`);
}

/** The master that serves `slot` now, from the cluster's own view (CLUSTER NODES). */
async function masterOfSlot(cluster: RedisCluster, slot: number): Promise<RedisServer> {
  const someone = cluster.nodes.find((node) => node.running) as RedisServer;
  for (const line of (await cluster.cli(someone, ['CLUSTER', 'NODES'])).split('\n')) {
    const fields = line.split(' ');
    if (!fields[2]?.includes('master') || fields[2].includes('fail')) continue;
    const port = Number(fields[1]?.split('@')[0]?.split(':')[1]);
    const owns = fields.slice(8).some((range) => {
      const [from, to = from] = range.split('-').map(Number);
      return from !== undefined && to !== undefined && slot >= from && slot <= to;
    });
    const node = cluster.nodes.find((n) => n.port === port);
    if (owns && node) return node;
  }
  throw new Error(`no master serves slot ${slot}`);
}

/** Waits until a master other than `previous` serves `slot` (a failover finished) and returns it. */
async function newMasterOf(cluster: RedisCluster, slot: number, previous: RedisServer): Promise<RedisServer> {
  for (let i = 0; i < 300; i++) {
    const current = await masterOfSlot(cluster, slot).catch(() => undefined);
    if (current && current !== previous) return current;
    await sleep(100);
  }
  throw new Error(`slot ${slot} still served by its old master after 30 s`);
}

async function slotOf(cluster: RedisCluster, key: string): Promise<number> {
  return Number(await cluster.cli(cluster.nodes.find((node) => node.running) as RedisServer, ['CLUSTER', 'KEYSLOT', key]));
}

describe('Redis Cluster broker and cache', () => {
  it('a batch on a cluster broker (with a password) and a cluster cache: one result per document, every broker key in the prefix slot', async () => {
    const broker = await startCluster('broker', { password: 'cluster-secret' });
    const cache = await startCluster('cache');
    const setup = setUp(broker, cache, 1_000);
    const result = await runCli(runArgs(setup), { env: { ...setup.env, BATCHLINE_LOG_LEVEL: 'info' } });
    await expectCompleted(setup, broker, result);
    // No cache call met a cross-slot or redirection error (which would count against the breaker).
    expect(result.stderr).not.toMatch(/CROSSSLOT|MOVED|"to":"(DEGRADED|UNHEALTHY)"/);

    // Every key batchline and BullMQ wrote is in the prefix's one slot, on one master:
    // a key family without the hash tag would show up on another slot here.
    const slot = await slotOf(broker, setup.prefix);
    const tag = hashTagOf(setup.prefix);
    const keysBySlot = new Map<number, string[]>();
    for (const master of await broker.masters()) {
      const node = new Redis({ port: master.port, host: '127.0.0.1', password: 'cluster-secret' });
      try {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, page] = await node.scan(cursor, 'COUNT', 1_000);
          cursor = next;
          keys.push(...page);
        } while (cursor !== '0');
        const slots = await node.pipeline(keys.map((key) => ['cluster', 'keyslot', key])).exec();
        keys.forEach((key, i) => {
          const keySlot = Number(slots?.[i]?.[1]);
          keysBySlot.set(keySlot, [...(keysBySlot.get(keySlot) ?? []), key]);
        });
      } finally {
        node.disconnect();
      }
    }
    const inSlot = keysBySlot.get(slot) ?? [];
    const families = new Set(inSlot.map((key) => key.split(':')[1]));
    console.info(`cluster broker: ${inSlot.length} keys, all in slot ${slot}; second segments: ${[...families].sort().join(', ')}`);
    expect([...keysBySlot.keys()]).toEqual([slot]);
    expect(inSlot.every((key) => hashTagOf(key) === tag)).toBe(true);
    // export and the dashboard read the batch from the cluster broker.
    const exported = path.join(setup.dir, 'export.jsonl');
    const exportRun = await runCli(['export', setup.batchId, '--out', exported], { env: setup.env });
    expect(exportRun.code, exportRun.stderr).toBe(0);
    expectOneOkResultPerDocument(exported, setup.ids);
    const dashboard = await startDashboardCli(setup.env);
    try {
      expect(await (await fetch(`${dashboard.url}/readyz`)).json()).toMatchObject({ status: 'ready', broker: 'up' });
      const listed = (await (await fetch(`${dashboard.url}/api/batches`)).json()) as { batches: { batchId: string; ok: number }[] };
      expect(listed.batches.find((batch) => batch.batchId === setup.batchId)).toMatchObject({ ok: setup.docs });
    } finally {
      expect((await dashboard.stop()).code).toBe(0);
    }

    // doctor sees both clusters healthy, with the right policy on every node.
    const doctor = await runCli(['doctor', '--json'], { env: setup.env });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    const findings = (JSON.parse(doctor.stdout) as { area: string; status: string; message: string }[]).map((f) => `${f.status} ${f.area} ${f.message}`);
    expect(findings).toContain('ok broker cluster_state ok on every node, all 16384 slots served');
    expect(findings).toContain('ok broker maxmemory-policy noeviction on every node (BullMQ requires it)');
    expect(findings).toContain('ok cache cluster_state ok on every node, all 16384 slots served');
    expect(findings).toContain('ok cache maxmemory-policy allkeys-lru on every node: old artifacts make room for new ones');
    expect(findings.join('\n')).not.toContain('cluster-secret');
    // The cache spread its artifacts over the masters (they have no common tag).
    const cacheKeys = await Promise.all((await cache.masters()).map(async (master) => Number(await cache.cli(master, ['DBSIZE']))));
    expect(cacheKeys.filter((count) => count > 0).length).toBeGreaterThan(1);
  }, 180_000);

  it('the broker master of the queue slot killed (SIGKILL) mid-batch: its replica takes over and no document is lost', async () => {
    const broker = await startCluster('broker', { replicas: 1 });
    const setup = setUp(broker, undefined, 3_000, { slowMs: 25 });
    const slot = await slotOf(broker, setup.prefix);
    const victim = await masterOfSlot(broker, slot);
    const [replica] = await broker.replicasOf(victim);
    expect(replica).toBeDefined();
    const run = startCli(runArgs(setup), { env: diagnosable(setup.env) });
    await progressed(setup, 300);
    victim.signal('SIGKILL');
    const killedAt = Date.now();
    const before = await status(setup);
    expect(before?.ok ?? 0, 'killed mid-batch').toBeLessThan(setup.docs);
    expect(await newMasterOf(broker, slot, victim)).toBe(replica);
    await broker.waitHealthy(30_000);
    console.info(`replica promoted and cluster ok ${Date.now() - killedAt} ms after the kill (cluster-node-timeout 2000 ms)`);
    const final = await expectCompleted(setup, broker, await runOutcome(setup, broker, run));
    console.info(`broker master SIGKILL at ${before?.ok} of ${setup.docs}: ${final.reprocessed} documents processed twice`);
  }, 180_000);

  it('the broker master of the queue slot handed over by CLUSTER FAILOVER mid-batch: no document is lost', async () => {
    const broker = await startCluster('broker', { replicas: 1 });
    const setup = setUp(broker, undefined, 3_000, { slowMs: 25 });
    const master = await masterOfSlot(broker, await slotOf(broker, setup.prefix));
    const [replica] = await broker.replicasOf(master);
    const run = startCli(runArgs(setup), { env: diagnosable(setup.env) });
    await progressed(setup, 300);
    expect(await broker.cli(replica as RedisServer, ['CLUSTER', 'FAILOVER'])).toBe('OK');
    expect(await newMasterOf(broker, await slotOf(broker, setup.prefix), master)).toBe(replica);
    expect((await status(setup))?.ok ?? 0, 'failed over mid-batch').toBeLessThan(setup.docs);
    await broker.waitHealthy(30_000);
    const final = await expectCompleted(setup, broker, await runOutcome(setup, broker, run));
    console.info(`broker CLUSTER FAILOVER: ${final.reprocessed} documents processed twice`);
  }, 180_000);

  it('a cache master (no replica) killed mid-batch: the batch completes and every artifact is the one the pipeline makes', async () => {
    const broker = await startCluster('broker');
    const cache = await startCluster('cache');
    const setup = setUp(broker, cache, 1_500, { pipeline: 'test/fixtures/slow-extract-pipeline.js', slowMs: 10 });
    // A first batch of the same documents fills the cache: the second is served from it until the master dies.
    const warm = await runCli(runArgs(setup), { env: setup.env });
    expect(warm.code, warm.stderr.slice(-2_000)).toBe(0);
    // Hits skip the pipeline: few jobs at once keep the second batch running long enough to lose the master mid-way.
    const second = { ...setup, batchId: uniqueName('cl2'), env: { ...setup.env, BATCHLINE_CONCURRENCY_DEFAULT: '2' } };
    const run = startCli(runArgs(second), { env: second.env });
    await progressed(second, 100);
    const [victim] = await cache.masters();
    victim?.signal('SIGKILL');
    const final = await expectCompleted(second, broker, await runOutcome(second, broker, run));
    console.info(`cache master SIGKILL: ${JSON.stringify(final.cache)}`);
    // Hits were lost, results were not: exact hits before the kill, misses after it.
    expect(final.cache.exact ?? 0).toBeGreaterThan(0);
    expect(final.cache.exact ?? 0).toBeLessThan(second.docs);
    expect(await wrongArtifacts(second.file, resultsFile(second.dir, second.batchId))).toEqual([]);
  }, 240_000);

  it('a cache master with a replica killed: once the replica serves its slots, running workers get hits from it again', async () => {
    const broker = await startCluster('broker');
    const cache = await startCluster('cache', { replicas: 1 });
    const setup = setUp(broker, cache, 600, { pipeline: 'test/fixtures/slow-extract-pipeline.js', slowMs: 5 });
    // No L1 (every hit is read from the cache cluster) and a short open breaker, so recovery shows within the test.
    const env = { ...setup.env, BATCHLINE_CONFIG_JSON: JSON.stringify({ cache: { l1: { maxBytes: 1 }, breaker: { openMs: 1_000 } } }) };
    const workers = [0, 1].map(() => startCli(['worker', '--concurrency', '8'], { env }));
    const batch = async (batchId: string) => {
      const ingest = await runCli(['ingest', setup.file, '--batch-id', batchId, '--out', setup.dir, '--json'], { env });
      expect(ingest.code, ingest.stderr.slice(-2_000)).toBe(0);
      const current = { ...setup, batchId };
      await progressed(current, setup.docs);
      return (await status(current)) as NonNullable<Awaited<ReturnType<typeof status>>>;
    };
    try {
      const first = await batch(uniqueName('warm'));
      expect(first).toMatchObject({ ok: setup.docs, failed: 0 });
      const masters = await cache.masters();
      const sizes = await Promise.all(masters.map(async (master) => Number(await cache.cli(master, ['DBSIZE']))));
      const victim = masters[sizes.indexOf(Math.max(...sizes))] as RedisServer;
      const [replica] = await cache.replicasOf(victim);
      // The replica holds what its master held: WAIT until it has acknowledged every write.
      await cache.cli(victim, ['WAIT', '1', '5000']);
      victim.signal('SIGKILL');
      for (let i = 0; (await cache.cli(replica as RedisServer, ['ROLE'])).split('\n')[0] !== 'master'; i++) {
        if (i > 300) throw new Error('the replica was never promoted');
        await sleep(100);
      }
      await cache.waitHealthy(30_000);
      // Every artifact is still in the cluster (the replica had them all): the running workers
      // reach the promoted replica for its slots once they have re-read the slot map (on the
      // dead node's next connection error, within its reconnect backoff) and their breakers
      // have let a probe through. A batch that runs within that second or two misses; one of
      // the next few must be served almost entirely from the cache again, with no restart.
      const after: Record<string, number>[] = [];
      for (let round = 0; round < 4 && (after.at(-1)?.exact ?? 0) <= setup.docs * 0.9; round++) {
        const next = await batch(uniqueName('after'));
        expect(next).toMatchObject({ ok: setup.docs, failed: 0 });
        after.push(next.cache);
      }
      console.info(`cache master SIGKILL between batches, replica promoted: batches after ${JSON.stringify(after)}`);
      expect(after.at(-1)?.exact ?? 0).toBeGreaterThan(setup.docs * 0.9);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.done));
    }
  }, 240_000);

  it('a cluster that refuses the password, wants one, or is not there: one line naming the cause and the key to fix', async () => {
    const broker = await startCluster('broker', { password: 'right' });
    const seeds = broker.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
    const cases = [
      [`redis+cluster://:wrong@${seeds}`, 'refused the user name or password (WRONGPASS): correct them in brokerUrl (BATCHLINE_BROKER_URL)'],
      [`redis+cluster://${seeds}`, `requires a password (NOAUTH): add it to brokerUrl (BATCHLINE_BROKER_URL) as redis+cluster://:PASSWORD@${seeds}`],
      ['redis+cluster://127.0.0.1:1,127.0.0.1:2', 'no seed node of the broker cluster at 127.0.0.1:1,127.0.0.1:2 answered'],
    ] as const;
    for (const [url, message] of cases) {
      const result = await runCli(['status'], { env: cleanEnv({ BATCHLINE_BROKER_URL: url }) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain('wrong@');
    }
  }, 60_000);
});

/**
 * Faults: `npm run bench -- faults`. The seed loop behind test/chaos/lost-replies,
 * killed-ingest and broker-oom: for each seed, one batch through `batchline run` against a
 * real broker behind a fault-injecting proxy, with one fault chosen by the seed:
 *
 * - lost reply: each kind of broker command in turn, at a random occurrence, is executed
 *   but its reply is dropped and the connection reset;
 * - SIGKILL at a step: `run` is killed right after each ingest command in turn, at a random
 *   occurrence, then run again with the same --batch-id;
 * - SIGKILL after a delay: `run` is killed after a random delay, then run again;
 * - broker OOM: the broker is pushed over its maxmemory for a random 2-6 s mid-batch, then
 *   hovers at the limit (writes refused and accepted by turns) for a random 0-3 s.
 *
 * Each ends with the results file and the batch's counters checked: lines, documents
 * lost, duplicated, counters that disagree, runs that hung (no exit within 90 s).
 *
 * Environment: BENCH_FAULT_ROUNDS (2: rounds over every command kind; also 4 delays per
 * round), BENCH_FAULT_OOM_SEEDS (3), BENCH_FAULT_DOCS (1000).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { batchKeys } from '../../src/batches/batch-keys.js';
import { RedisServer } from '../../src/redis/redis-server.js';
import { type BatchCommandKind, batchCommandKinds } from '../../test/helpers/broker-commands.js';
import { batchCounters, type FaultBatch, faultBatch, runWithin, type TimedResult, tallyResults } from '../../test/helpers/fault-batch.js';
import { FaultProxy } from '../../test/helpers/fault-proxy.js';
import { seededRandom } from '../lib/seeded-random.js';
import { envInt } from './bench-env.js';

const ROUNDS = envInt('BENCH_FAULT_ROUNDS', 2);
const OOM_SEEDS = envInt('BENCH_FAULT_OOM_SEEDS', 3);
const DOCS = envInt('BENCH_FAULT_DOCS', 1_000);
const CHUNK = 100;
const TIMEOUT_MS = 90_000;
const MAXMEMORY = 64 * 1_048_576;

interface Outcome {
  scenario: string;
  detail: string;
  injected: boolean;
  runs: TimedResult[];
  batch: FaultBatch;
}

interface Row {
  runs: number;
  injected: number;
  documents: number;
  lines: number;
  lost: number;
  duplicated: number;
  countersWrong: number;
  failed: number;
  hung: number;
}

function occurrence(kind: BatchCommandKind, random: () => number): number {
  const chunks = Math.ceil(DOCS / CHUNK);
  switch (kind.per) {
    case 'batch':
      return kind.by === 'worker' ? Math.floor(random() * 3) : 0;
    case 'chunk':
      return Math.floor(random() * chunks);
    case 'document':
      return Math.floor(random() * DOCS);
    case 'last-document':
      return DOCS - 1;
  }
}

const ingestKinds = batchCommandKinds.filter((kind) => kind.by === 'ingest');

async function lostReply(broker: RedisServer, seed: number): Promise<Outcome> {
  const random = seededRandom(seed);
  const kind = batchCommandKinds[(seed - 1) % batchCommandKinds.length] as BatchCommandKind;
  const skip = occurrence(kind, random);
  const batch = faultBatch(DOCS, { chunkSize: CHUNK, workers: 2 });
  const proxy = await FaultProxy.start(broker.url);
  let injected = false;
  void proxy.dropReplyOnce(kind.match, skip, kind.weigh).then(() => {
    injected = true;
  });
  try {
    const run = await runWithin(batch.args, batch.env(proxy.url), TIMEOUT_MS);
    return { scenario: 'lost reply', detail: `${kind.name} #${skip + 1}`, injected, runs: [run], batch };
  } finally {
    await proxy.close();
  }
}

/** Kills `run` (at a command, or after a delay), then runs it again with the same batch id. */
async function killedRun(broker: RedisServer, seed: number, how: 'step' | 'delay'): Promise<Outcome> {
  const random = seededRandom(seed);
  const batch = faultBatch(DOCS, { chunkSize: CHUNK, workers: 2 });
  const proxy = await FaultProxy.start(broker.url);
  let child: ChildProcess | undefined;
  let injected = false;
  const kill = () => {
    injected = child?.kill('SIGKILL') ?? false;
  };
  let detail: string;
  let timer: NodeJS.Timeout | undefined;
  if (how === 'step') {
    const kind = ingestKinds[(seed - 1) % ingestKinds.length] as BatchCommandKind;
    const skip = occurrence(kind, random);
    detail = `after ${kind.name} #${skip + 1}`;
    void proxy.onCommand(kind.match, kill, skip, kind.weigh);
  } else {
    const delayMs = Math.round(300 + random() * 2_500);
    detail = `after ${delayMs} ms`;
    timer = setTimeout(kill, delayMs);
  }
  try {
    const first = await runWithin(batch.args, batch.env(proxy.url), TIMEOUT_MS, (c) => {
      child = c;
    });
    clearTimeout(timer);
    proxy.disarm();
    const second = await runWithin(batch.args, batch.env(broker.url), TIMEOUT_MS);
    // A kill that came after the run had finished is not a fault.
    return { scenario: how === 'step' ? 'SIGKILL at an ingest step' : 'SIGKILL after a delay', detail, injected: injected && first.signal === 'SIGKILL', runs: [first, second], batch };
  } finally {
    await proxy.close();
  }
}

async function brokerOom(broker: RedisServer, admin: Redis, seed: number): Promise<Outcome> {
  await admin.flushall(); // each run starts with the same headroom
  const random = seededRandom(seed);
  const startAfter = Math.round(100 + random() * (DOCS / 2));
  const fullMs = Math.round(2_000 + random() * 4_000);
  const hoverMs = Math.round(random() * 3_000);
  const batch = faultBatch(DOCS, {
    chunkSize: CHUNK,
    workers: 2,
    pipeline: path.resolve('test/fixtures/slow-pipeline.js'),
    env: { SLOW_PIPELINE_MS: '15' },
  });
  const meta = batchKeys(batch.prefix, batch.batchId).meta;
  const running = runWithin(batch.args, batch.env(broker.url), TIMEOUT_MS);
  let injected = false;
  for (let i = 0; i < 600; i++) {
    const ok = Number((await admin.hget(meta, 'ok')) ?? 0);
    if (ok >= startAfter) {
      const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? 0);
      await admin.setrange('oom-filler', Math.max(0, MAXMEMORY - used) + 1_048_576, 'x').catch(() => {});
      injected = ok < DOCS;
      await sleep(fullMs);
      for (let flip = 0; flip * 200 < hoverMs; flip++) {
        if (flip % 2 === 0) await admin.del('oom-filler');
        else await admin.setrange('oom-filler', MAXMEMORY, 'x').catch(() => {});
        await sleep(200);
      }
      await admin.del('oom-filler');
      break;
    }
    await sleep(50);
  }
  const run = await running;
  return { scenario: 'broker OOM', detail: `full for ${fullMs} ms, then at the limit for ${hoverMs} ms, after ${startAfter} documents`, injected, runs: [run], batch };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-bench-faults-'));
  const broker = await RedisServer.start({ dir: path.join(dir, 'broker'), role: 'broker' });
  // Its own broker with a small maxmemory, for the OOM runs only.
  const smallBroker = await RedisServer.start({ dir: path.join(dir, 'small'), role: 'broker', extraArgs: ['--maxmemory', String(MAXMEMORY)] });
  const admin = new Redis(smallBroker.url);
  const rows = new Map<string, Row>();
  const started = Date.now();
  try {
    const plans: { name: string; seeds: number; run: (seed: number) => Promise<Outcome> }[] = [
      { name: 'lost reply', seeds: ROUNDS * batchCommandKinds.length, run: (seed) => lostReply(broker, seed) },
      { name: 'SIGKILL at an ingest step', seeds: ROUNDS * ingestKinds.length, run: (seed) => killedRun(broker, seed, 'step') },
      { name: 'SIGKILL after a delay', seeds: ROUNDS * 4, run: (seed) => killedRun(broker, 1_000 + seed, 'delay') },
      { name: 'broker OOM', seeds: OOM_SEEDS, run: (seed) => brokerOom(smallBroker, admin, 2_000 + seed) },
    ];
    for (const plan of plans) {
      for (let seed = 1; seed <= plan.seeds; seed++) {
        const outcome = await plan.run(seed);
        const last = outcome.runs[outcome.runs.length - 1] as TimedResult;
        const hung = outcome.runs.some((run) => run.hung);
        const tally = tallyResults(outcome.batch);
        const counters = await batchCounters(outcome.batch, plan.name === 'broker OOM' ? smallBroker.url : broker.url);
        const countersWrong = counters?.total !== DOCS || counters.ok + counters.failed !== DOCS;
        const row = rows.get(outcome.scenario) ?? { runs: 0, injected: 0, documents: 0, lines: 0, lost: 0, duplicated: 0, countersWrong: 0, failed: 0, hung: 0 };
        row.runs++;
        row.injected += outcome.injected ? 1 : 0;
        row.documents += DOCS;
        row.lines += tally.lines;
        row.lost += tally.lost;
        row.duplicated += tally.duplicated;
        row.failed += tally.failed;
        row.countersWrong += countersWrong ? 1 : 0;
        row.hung += hung ? 1 : 0;
        rows.set(outcome.scenario, row);
        const verdict = !hung && tally.lost === 0 && tally.duplicated === 0 && !countersWrong && last.code === 0 ? 'ok' : 'FAILED';
        process.stdout.write(
          `${outcome.scenario} seed ${seed}: ${outcome.detail}${outcome.injected ? '' : ' (not injected)'} -> ${tally.lines} lines, lost ${tally.lost}, duplicated ${tally.duplicated}, total ${counters?.total}, exit ${last.code ?? last.signal}${hung ? ', hung' : ''}: ${verdict}\n`,
        );
        if (verdict !== 'ok') process.stdout.write(`  stderr: ${last.stderr.slice(-800).replace(/\n/g, '\n  ')}\n`);
        rmSync(outcome.batch.dir, { recursive: true, force: true });
      }
    }
  } finally {
    admin.disconnect();
    await broker.stop();
    await smallBroker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    `\n${DOCS} documents per batch, chunks of ${CHUNK}, 2 worker processes, noop pipeline (slow 15 ms for OOM); ${((Date.now() - started) / 1000).toFixed(0)} s\n\n`,
  );
  process.stdout.write('| scenario | runs | faults injected | documents | lines | lost | duplicated | failed | counters wrong | hung |\n');
  process.stdout.write('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n');
  for (const [scenario, row] of rows) {
    process.stdout.write(
      `| ${scenario} | ${row.runs} | ${row.injected} | ${row.documents} | ${row.lines} | ${row.lost} | ${row.duplicated} | ${row.failed} | ${row.countersWrong} | ${row.hung} |\n`,
    );
  }
}

await main();

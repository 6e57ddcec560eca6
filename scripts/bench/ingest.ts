/**
 * `npm run bench -- ingest`: documents per second from a JSONL file into the broker, and the
 * peak RSS of the ingesting process: `batchline ingest` (the real CLI command, so the real
 * `Ingester`: chunking, id checks, batch store bookkeeping, the back-pressure check) against
 * a plain BullMQ producer (readline, JSON.parse, `Queue.addBulk` in chunks of 500), from the
 * same file, into one redis-server started here, with no workers, in one run. Prints
 * per-round and median figures and the ratio. Target (issue 12): ≥ 20,000 doc/s for
 * batchline, with RSS bounded (it must not grow with the input: compare BENCH_DOCS sizes).
 *
 * Environment: BENCH_DOCS (1000000), BENCH_ROUNDS (3), BENCH_VERBOSE=1 (per run: CPU time
 * per 1k documents of the ingesting process and the broker, broker commands per document
 * by name, whole-process wall time), BENCH_CPU_PROF=<dir> (the ingesting processes write
 * `node --cpu-prof` profiles there).
 *
 * Method: each side runs in a child process of its own, preloaded with peak-rss-probe.mjs,
 * which writes the child's VmHWM (peak resident memory) and CPU time when it exits: the
 * bench's own memory (it generated the input) does not count. batchline's time is the
 * ingest report's `durationMs` (from opening the batch until it is sealed), raw's from the
 * first line read to the last addBulk answered; neither counts process start-up or
 * connecting. `ingest.highWaterMark` is raised above BENCH_DOCS: with no workers the queue
 * only grows, and back-pressure would otherwise pause ingest at 20,000 waiting jobs (the
 * check itself still runs once per chunk). After each run the broker's `used_memory` is
 * read and every document is checked to be waiting in the queue. The order alternates each
 * round; the broker is emptied (and its AOF compacted) before each run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { withBenchBroker } from './bench-sandbox.js';
import { cleanEnv, envInt } from './bench-env.js';
import { fmtRate, loadAverage, median, rateCells, row } from './bench-report.js';
import { alternatingRounds, aofRewrites, brokerCpuMs, brokerInfo, commandCounts, commandsPerDoc } from './broker-admin.js';

// batchline is run from dist/ (built by `npm run bench`): the bench measures the command users run.

const cliFile = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const probeFile = fileURLToPath(new URL('./peak-rss-probe.mjs', import.meta.url));
const rawIngestFile = fileURLToPath(new URL('./raw-ingest.mjs', import.meta.url));

const DOCS = envInt('BENCH_DOCS', 1_000_000);
const ROUNDS = envInt('BENCH_ROUNDS', 3);
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
const RAW_CHUNK = 500;
const TARGET_DOCS_PER_S = 20_000; // issue 12
const CHILD_TIMEOUT_MS = 30 * 60_000;
const BL_PREFIX = '{bench-bl}';
const RAW_PREFIX = '{bench-raw}';
const RAW_QUEUE = 'bench';

type Side = 'batchline' | 'raw';

interface Measurement {
  side: Side;
  docs: number;
  /** Start of ingest until the batch is sealed (batchline) or the last addBulk answered (raw). */
  ms: number;
  /** The child process from spawn to exit, start-up included. */
  processMs: number;
  peakRssKb: number;
  /** CPU time (user + sys) of the ingesting process (start-up included) and of the broker during its run. */
  cpuMs: { ingest: number; broker: number };
  brokerUsedBytes: number;
  /** Broker commands by name during the run. */
  commands: Map<string, number>;
  aofRewrite: boolean;
}

interface Context {
  tmp: string;
  inputFile: string;
  brokerUrl: string;
  admin: Redis;
}

/** The child running now; on Ctrl-C it goes before the broker. */
const running = new Set<ChildProcess>();

// ---------------------------------------------------------------- one measured child

/** Runs `args` under node with the peak-RSS probe; resolves with its stdout and what the probe wrote. */
async function runMeasured(
  ctx: Context,
  label: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ stdout: string; processMs: number; peakRssKb: number; cpuMs: number }> {
  const probeOut = path.join(ctx.tmp, `${label}.probe.json`);
  rmSync(probeOut, { force: true });
  const profile = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`, `--cpu-prof-name=${label}.cpuprofile`] : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...profile, '--import', probeFile, ...args], {
    cwd: ctx.tmp, // no batchline.config.json from the repository
    env: { ...cleanEnv(), ...env, BENCH_PROBE_FILE: probeOut },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    if (code !== 0) throw new Error(`${label} exited (${signal ?? code}): ${stdout.slice(-500)}`);
  } finally {
    clearTimeout(timer);
    running.delete(child);
  }
  const processMs = performance.now() - started;
  const probe = JSON.parse(readFileSync(probeOut, 'utf8')) as { peakRssKb: number; cpuMs: number };
  return { stdout, processMs, ...probe };
}

/** Reads the broker around a run: CPU, commands, AOF rewrites, memory afterwards, and the waiting jobs. */
async function measured(
  ctx: Context,
  side: Side,
  queue: { name: string; prefix: string },
  run: () => Promise<{ docs: number; ms: number; processMs: number; peakRssKb: number; cpuMs: number }>,
): Promise<Measurement> {
  const rewritesBefore = await aofRewrites(ctx.admin);
  const brokerBefore = await brokerCpuMs(ctx.admin);
  const result = await run();
  const brokerAfter = await brokerCpuMs(ctx.admin);
  const url = new URL(ctx.brokerUrl);
  const check = new Queue(queue.name, { connection: { host: url.hostname, port: Number(url.port) }, prefix: queue.prefix });
  try {
    const waiting = await check.getWaitingCount();
    if (result.docs !== DOCS || waiting !== DOCS) throw new Error(`${side}: ${result.docs} documents reported, ${waiting} waiting in the queue, of ${DOCS}`);
  } finally {
    await check.close();
  }
  const memory = await brokerInfo(ctx.admin, 'memory');
  return {
    side,
    docs: result.docs,
    ms: result.ms,
    processMs: result.processMs,
    peakRssKb: result.peakRssKb,
    cpuMs: { ingest: result.cpuMs, broker: brokerAfter - brokerBefore },
    brokerUsedBytes: Number(memory.get('used_memory')),
    commands: await commandCounts(ctx.admin),
    aofRewrite: (await aofRewrites(ctx.admin)) !== rewritesBefore,
  };
}

// ---------------------------------------------------------------- the two sides

/** `batchline ingest <file> --json`, configured by a config file in the temp dir. */
async function runBatchline(ctx: Context, round: number): Promise<Measurement> {
  const configFile = path.join(ctx.tmp, 'batchline.bench.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      brokerUrl: ctx.brokerUrl,
      queuePrefix: BL_PREFIX,
      logLevel: 'warn',
      dataDir: path.join(ctx.tmp, 'data'),
      outDir: path.join(ctx.tmp, 'out'),
      cache: { enabled: false },
      // No workers drain the queue: back-pressure must not pause this ingest.
      ingest: { highWaterMark: DOCS + 1 },
    }),
  );
  return measured(ctx, 'batchline', { name: 'default', prefix: BL_PREFIX }, async () => {
    const batchId = `bench-${round}`;
    const { stdout, ...child } = await runMeasured(
      ctx,
      `batchline-${DOCS}-${round}`,
      [cliFile, 'ingest', ctx.inputFile, '--batch-id', batchId, '--json', '--config', configFile],
      {},
    );
    const report = JSON.parse(stdout) as { enqueued: number; rejected: number; skipped: number; durationMs: number };
    if (report.rejected !== 0 || report.skipped !== 0) throw new Error(`batchline ingest: ${stdout}`);
    return { docs: report.enqueued, ms: report.durationMs, ...child };
  });
}

/** A plain BullMQ producer (raw-ingest.mjs) from the same file, chunks of 500. */
async function runRaw(ctx: Context, round: number): Promise<Measurement> {
  return measured(ctx, 'raw', { name: RAW_QUEUE, prefix: RAW_PREFIX }, async () => {
    const { stdout, ...child } = await runMeasured(ctx, `raw-${DOCS}-${round}`, [rawIngestFile], {
      BENCH_INPUT: ctx.inputFile,
      BENCH_BROKER_URL: ctx.brokerUrl,
      BENCH_QUEUE: RAW_QUEUE,
      BENCH_PREFIX: RAW_PREFIX,
      BENCH_CHUNK: String(RAW_CHUNK),
    });
    const report = JSON.parse(stdout) as { docs: number; ms: number };
    return { docs: report.docs, ms: report.ms, ...child };
  });
}

// ---------------------------------------------------------------- report

const rate = (m: Measurement) => (m.docs * 1_000) / m.ms;
const mib = (bytes: number) => Math.round(bytes / 1_048_576);
const rssMib = (m: Measurement) => mib(m.peakRssKb * 1_024);
const pair = (a: number, b: number) => `${a}|${b}`;

function printDetails(m: Measurement): void {
  const per1k = (ms: number) => Math.round((ms * 1_000) / m.docs);
  process.stdout.write(
    `  ${m.side.padEnd(9)} ingest ${Math.round(m.ms)} ms (process ${Math.round(m.processMs)} ms with start-up); cpu ms per 1k docs: ` +
      `ingest process ${per1k(m.cpuMs.ingest)}, broker ${per1k(m.cpuMs.broker)}${m.aofRewrite ? '; broker AOF rewrite' : ''}\n` +
      `  ${''.padEnd(9)} ${commandsPerDoc(m.commands, m.docs)}\n`,
  );
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!existsSync(cliFile)) throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
  const loadAtStart = loadAverage();
  const stopAll = async () => {
    for (const child of running) child.kill('SIGKILL');
  };
  await withBenchBroker('ingest', DOCS, stopAll, async ({ tmp, inputFile, textBytes: bytes, brokerUrl, admin }) => {
    const fileMib = mib(statSync(inputFile).size);
    const server = await brokerInfo(admin, 'server');
    const ctx: Context = { tmp, inputFile, brokerUrl, admin };

    process.stdout.write(
      `${DOCS} docs (avg ${Math.round(bytes / DOCS)} B text, ${fileMib} MiB of JSONL), no workers, ingest.highWaterMark ${DOCS + 1} ` +
        `(raised above the document count so back-pressure never pauses ingest), ${ROUNDS} rounds; node ${process.version}, ` +
        `redis ${server.get('redis_version')}, ${os.cpus().length} cpus (${os.cpus()[0]?.model.trim()}), load average ${loadAtStart}\n`,
    );
    const widths = [6, 14, 16, 10, 6, 22, 20];
    process.stdout.write(
      `${row(['round', 'order', 'batchline doc/s', 'raw doc/s', 'ratio', 'peak RSS MiB bl|raw', 'broker MiB bl|raw'], widths)}\n`,
    );
    const rounds = await alternatingRounds(
      ROUNDS,
      admin,
      { batchline: (round) => runBatchline(ctx, round), raw: (round) => runRaw(ctx, round) },
      (round, { bl, raw }, order, aofNote) => {
        process.stdout.write(
          `${row(
            [
              ...rateCells(String(round), order, rate(bl), rate(raw)),
              pair(rssMib(bl), rssMib(raw)),
              pair(mib(bl.brokerUsedBytes), mib(raw.brokerUsedBytes)),
            ],
            widths,
          )}${aofNote}\n`,
        );
        if (VERBOSE) {
          printDetails(bl);
          printDetails(raw);
        }
      },
    );
    const blRate = median(rounds.map((r) => rate(r.bl)));
    const ratio = median(rounds.map((r) => rate(r.bl) / rate(r.raw)));
    const maxRss = (side: 'bl' | 'raw') => Math.max(...rounds.map((r) => rssMib(r[side])));
    process.stdout.write(
      `${row(
        [
          'median',
          '',
          fmtRate(blRate),
          fmtRate(median(rounds.map((r) => rate(r.raw)))),
          ratio.toFixed(2),
          pair(Math.round(median(rounds.map((r) => rssMib(r.bl)))), Math.round(median(rounds.map((r) => rssMib(r.raw))))),
          pair(Math.round(median(rounds.map((r) => mib(r.bl.brokerUsedBytes)))), Math.round(median(rounds.map((r) => mib(r.raw.brokerUsedBytes))))),
        ],
        widths,
      )}\n`,
    );
    process.stdout.write(
      `peak RSS of the ingesting process (VmHWM, start-up included), highest of ${ROUNDS} rounds: batchline ${maxRss('bl')} MiB, raw BullMQ ${maxRss('raw')} MiB; ` +
        `the input file is ${fileMib} MiB\n`,
    );
    process.stdout.write(`load average at the start: ${loadAtStart}, at the end: ${loadAverage()} (other work on the machine skews the figures)\n`);
    process.stdout.write(`batchline/raw = ${ratio.toFixed(2)}x (median of the rounds' ratios)\n`);
    process.stdout.write(
      `batchline ${fmtRate(blRate)} doc/s (target >= ${fmtRate(TARGET_DOCS_PER_S)} doc/s): ${blRate >= TARGET_DOCS_PER_S ? 'met' : 'NOT met'}\n`,
    );
  });
}

await main();

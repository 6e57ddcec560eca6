/**
 * Many tiny records: `npm run bench -- hostile`. 1,000,000 one-line JSONL records through
 * `batchline run` (built; noop pipeline, no cache, two worker processes at concurrency 50,
 * a broker of its own), sampling the peak RSS (VmHWM) of the run process and of each
 * worker. Checks one `ok` result per record. The baseline, measured in the same run, is a
 * small input (20,000 records, the size `test/chaos/hostile-input.test.ts` proves in the
 * suite): memory must not grow with the input, so the RSS ratio should stay near 1.
 *
 * Environment: HOSTILE_RECORDS (1000000), HOSTILE_BASELINE_RECORDS (20000).
 */
import { spawn } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { RedisServer } from '../../src/redis/redis-server.js';
import { envInt } from './bench-env.js';

const RECORDS = envInt('HOSTILE_RECORDS', 1_000_000);
const BASELINE = envInt('HOSTILE_BASELINE_RECORDS', 20_000);
const CLI = path.resolve('dist/src/cli/main.js');
/** The bound the suite asserts at its scale: a run holds one chunk of input at a time. */
const RSS_BOUND_MB = 600;

interface Measured {
  records: number;
  wallS: number;
  docsPerSec: number;
  runMb: number;
  workerMb: number[];
}

function writeRecords(dir: string, count: number): string {
  const file = path.join(dir, `tiny-${count}.jsonl`);
  const fd = openSync(file, 'w');
  for (let start = 0; start < count; start += 10_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + 10_000); i++) lines.push(`{"id":"m${i}","text":"t${i % 97}"}`);
    writeSync(fd, `${lines.join('\n')}\n`);
  }
  closeSync(fd);
  return file;
}

function peakKb(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m)?.[1] ?? 0);
  } catch {
    return 0; // gone
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function measure(broker: RedisServer, dir: string, count: number): Promise<Measured> {
  const file = writeRecords(dir, count);
  const out = path.join(dir, `out-${count}`);
  const batchId = `hostile-${count}`;
  const env = { ...process.env, BATCHLINE_BROKER_URL: broker.url, BATCHLINE_LOG_LEVEL: 'warn', BATCHLINE_QUEUE_PREFIX: `{hostile-${count}}` };
  const args = ['run', file, '--out', out, '--batch-id', batchId, '--pipeline', 'noop', '--no-cache', '--concurrency', '50', '--workers', '2', '--json'];
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const pid = child.pid as number;
  let runKb = 0;
  const workers = new Map<number, number>();
  const timer = setInterval(() => {
    runKb = Math.max(runKb, peakKb(pid));
    for (const worker of childrenOf(pid)) workers.set(worker, Math.max(workers.get(worker) ?? 0, peakKb(worker)));
  }, 200);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  const wallS = (Date.now() - started) / 1000;
  if (code !== 0) throw new Error(`batchline run exited ${code}`);
  const summary = JSON.parse(stdout) as { total: number; ok: number };
  if (summary.total !== count || summary.ok !== count) throw new Error(`expected ${count} ok, got ${JSON.stringify(summary)}`);

  // One ok result per record, checked by streaming (a million lines are never held whole).
  const seen = new Uint8Array(count);
  let bad = 0;
  for await (const text of createInterface({ input: createReadStream(path.join(out, `${batchId}.jsonl`)), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as { id: string; status: string };
    const n = Number(line.id.slice(1));
    if (line.status !== 'ok' || !Number.isInteger(n) || n < 0 || n >= count || seen[n]) bad++;
    else seen[n] = 1;
  }
  if (bad > 0 || !seen.every((v) => v === 1)) throw new Error(`results: ${bad} bad or duplicated lines, or missing records`);
  rmSync(file, { force: true });
  rmSync(out, { recursive: true, force: true });
  return {
    records: count,
    wallS,
    docsPerSec: Math.round(count / wallS),
    runMb: Math.round(runKb / 1_024),
    workerMb: [...workers.values()].map((kb) => Math.round(kb / 1_024)),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-hostile-'));
  const broker = await RedisServer.start({ dir: path.join(dir, 'broker'), role: 'broker' });
  try {
    const baseline = await measure(broker, dir, BASELINE);
    const large = await measure(broker, dir, RECORDS);
    const row = (m: Measured) =>
      `| ${m.records.toLocaleString('en')} | ${m.wallS.toFixed(1)} s | ${m.docsPerSec} | ${m.runMb} MB | ${m.workerMb.join(', ')} MB |`;
    console.log('| records | wall | docs/s | peak RSS run | peak RSS workers |');
    console.log('|---|---|---|---|---|');
    console.log(row(baseline));
    console.log(row(large));
    console.log(
      `ratio ${RECORDS.toLocaleString('en')} / ${BASELINE.toLocaleString('en')} records: peak RSS of run ×${(large.runMb / baseline.runMb).toFixed(2)}, ` +
        `throughput ×${(large.docsPerSec / baseline.docsPerSec).toFixed(2)}`,
    );
    const worst = Math.max(large.runMb, ...large.workerMb);
    console.log(worst < RSS_BOUND_MB ? `within the ${RSS_BOUND_MB} MB bound` : `OVER the ${RSS_BOUND_MB} MB bound: ${worst} MB`);
    if (worst >= RSS_BOUND_MB) process.exitCode = 1;
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

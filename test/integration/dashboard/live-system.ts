import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Config, loadConfig } from '../../../src/config/index.js';
import { cleanEnv, runCli, tempDir, WORKER } from '../../helpers/cli.js';
import { invoiceText } from '../../helpers/corpus.js';
import { uniqueName } from '../../helpers/redis.js';

/*
 * A small live system for dashboard tests: worker processes (the built ones, as users run
 * them) on a test pipeline that takes SLOW_PIPELINE_MS per document, batches enqueued
 * with the built CLI's `ingest`, and a dashboard config on the same broker and prefix.
 */

export const SLOW_PIPELINE = path.resolve('test/fixtures/slow-pipeline.js');

/** A queue prefix of its own, so tests never see each other's queues, batches or heartbeats. */
export function uniquePrefix(): string {
  return `{${uniqueName('dash')}}`;
}

/** The dashboard's config: this broker and prefix, an ephemeral port, nothing from the developer's environment. */
export function dashboardConfig(brokerUrl: string, prefix: string, dashboard: Record<string, unknown> = {}): Config {
  return loadConfig({ env: {}, cwd: tempDir('dash-config'), overrides: { brokerUrl, queuePrefix: prefix, dashboard: { port: 0, ...dashboard } } });
}

export interface WorkerOptions {
  brokerUrl: string;
  cacheUrl?: string;
  prefix: string;
  queue?: 'default' | 'batch';
  count: number;
  concurrency: number;
  slowMs: number;
  /** Heartbeat interval (ms); short, so the health panel follows the workers closely (TTL: 3 intervals, rounded up to seconds). */
  heartbeatMs?: number;
}

export interface WorkerGroup {
  readonly children: ChildProcess[];
  /** Everything the workers wrote to stderr so far (their logs). */
  logs(): string;
  /** SIGTERM, then SIGKILL for any worker still running after 20 s. */
  stop(): Promise<void>;
}

/** Starts `count` worker processes. They have an IPC channel, so they exit if the test process dies. */
export function startWorkers(options: WorkerOptions): WorkerGroup {
  const queue = options.queue ?? 'default';
  let logs = '';
  const env = cleanEnv({
    BATCHLINE_BROKER_URL: options.brokerUrl,
    ...(options.cacheUrl ? { BATCHLINE_CACHE_URL: options.cacheUrl } : {}),
    BATCHLINE_QUEUE_PREFIX: options.prefix,
    BATCHLINE_PIPELINE: SLOW_PIPELINE,
    BATCHLINE_LOG_LEVEL: 'info',
    SLOW_PIPELINE_MS: String(options.slowMs),
    BATCHLINE_CONFIG_JSON: JSON.stringify({
      workers: { heartbeatMs: options.heartbeatMs ?? 500, concurrency: { [queue]: options.concurrency } },
    }),
  });
  const children = Array.from({ length: options.count }, () => {
    const child = spawn(process.execPath, [WORKER(queue)], { env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    child.stderr?.on('data', (chunk) => {
      logs += chunk;
    });
    return child;
  });
  return {
    children,
    logs: () => logs,
    async stop() {
      await Promise.all(
        children.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/**
 * A JSONL file of `count` invoices numbered from `from`. Every `failEvery`-th document
 * makes the test pipeline throw (a permanent failure with a reason); every 5th repeats
 * the text of the one 4 before it, so a healthy cache serves exact hits.
 */
export function writeDocs(dir: string, name: string, options: { from?: number; count: number; failEvery?: number }): string {
  const from = options.from ?? 0;
  const lines: string[] = [];
  for (let n = from; n < from + options.count; n++) {
    const source = n % 5 === 4 ? n - 4 : n;
    const fails = options.failEvery !== undefined && n % options.failEvery === options.failEvery - 1;
    const text = fails ? `${invoiceText(n)}\nFAIL_ME` : invoiceText(source);
    lines.push(JSON.stringify({ id: `doc-${String(n).padStart(5, '0')}`, text }));
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Enqueues a file into a batch with the built CLI (`batchline ingest`), as an operator would. */
export async function ingest(options: { brokerUrl: string; prefix: string; batchId: string; file: string; queue?: string }): Promise<{ enqueued: number }> {
  const result = await runCli(['ingest', options.file, '--batch-id', options.batchId, '--queue', options.queue ?? 'default', '--json'], {
    env: cleanEnv({ BATCHLINE_BROKER_URL: options.brokerUrl, BATCHLINE_QUEUE_PREFIX: options.prefix, BATCHLINE_PIPELINE: SLOW_PIPELINE }),
    cwd: path.dirname(options.file),
  });
  if (result.code !== 0) throw new Error(`ingest failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as { enqueued: number };
}

/**
 * Polls `probe` until it returns something truthy and returns that. The deadline only
 * turns a hang into a readable failure; nothing is asserted about how long it took.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, deadlineMs = 90_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

/** An authorization header for basic auth. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

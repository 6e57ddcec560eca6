import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type CliResult, cleanEnv, readJsonl, runCli, startCli, tempDir, writeCorpus } from './cli.js';
import { uniqueName } from './redis.js';

/*
 * A batch run through `batchline run` against a broker (usually behind a FaultProxy), and
 * the checks every fault scenario ends with: one line per document, total equal to the
 * documents. Shared by test/chaos and `npm run bench -- faults`.
 */

export interface FaultBatch {
  dir: string;
  file: string;
  ids: string[];
  batchId: string;
  prefix: string;
  /** Environment for the CLI, pointing at `brokerUrl` (the proxy, or the broker itself). */
  env: (brokerUrl: string) => NodeJS.ProcessEnv;
  args: string[];
}

/**
 * A fresh batch of `docs` small documents: its own key prefix and batch id, noop pipeline,
 * no cache, small ingest chunks (so ingest makes several writes of each kind), one worker
 * process, short locks (stalled jobs come back within seconds).
 */
export function faultBatch(
  docs: number,
  options: { chunkSize?: number; workers?: number; pipeline?: string; config?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {},
): FaultBatch {
  const dir = tempDir('faults');
  const { file, ids } = writeCorpus(dir, docs);
  const batchId = uniqueName('fb');
  const prefix = `{${uniqueName('fb')}}`;
  const config = {
    ingest: { chunkSize: options.chunkSize ?? 100 },
    workers: { lockDurationMs: 2_000, stalledIntervalMs: 1_000, shutdownTimeoutMs: 2_000 },
    ...options.config,
  };
  return {
    dir,
    file,
    ids,
    batchId,
    prefix,
    env: (brokerUrl) =>
      cleanEnv({
        BATCHLINE_BROKER_URL: brokerUrl,
        BATCHLINE_QUEUE_PREFIX: prefix,
        BATCHLINE_CONFIG_JSON: JSON.stringify(config),
        ...options.env,
      }),
    args: ['run', file, '--json', '--batch-id', batchId, '--out', dir, '--workers', String(options.workers ?? 1), '--pipeline', options.pipeline ?? 'noop', '--no-cache'],
  };
}

export interface TimedResult extends CliResult {
  /** True when it had not finished within the time limit and was killed. */
  hung: boolean;
}

/** Runs the CLI; SIGKILLs it past `timeoutMs` and says so. `started` gets the child (e.g. to kill it at a chosen moment). */
export async function runWithin(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  started: (child: ReturnType<typeof startCli>['child']) => void = () => {},
): Promise<TimedResult> {
  const run = startCli(args, { env });
  started(run.child);
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    run.child.kill('SIGKILL');
  }, timeoutMs);
  const result = await run.done;
  clearTimeout(timer);
  return { ...result, hung };
}

/** What the results file says about the batch's documents. */
export interface Tally {
  lines: number;
  /** Documents with no line. */
  lost: number;
  /** Lines beyond the first for a document. */
  duplicated: number;
  /** Lines whose status is not ok. */
  failed: number;
}

export function tallyResults(batch: FaultBatch): Tally {
  const file = path.join(batch.dir, `${batch.batchId}.jsonl`);
  const lines = existsSync(file) ? readJsonl<{ id: string; status: string }>(readFileSync(file, 'utf8')) : [];
  const seen = new Map<string, number>();
  for (const line of lines) seen.set(line.id, (seen.get(line.id) ?? 0) + 1);
  return {
    lines: lines.length,
    lost: batch.ids.filter((id) => !seen.has(id)).length,
    duplicated: [...seen.values()].reduce((sum, n) => sum + n - 1, 0),
    failed: lines.filter((line) => line.status !== 'ok').length,
  };
}

/** The batch's counters as `status --json` reports them (read straight from `brokerUrl`). */
export async function batchCounters(
  batch: FaultBatch,
  brokerUrl: string,
): Promise<{ total: number; ok: number; failed: number; reprocessed: number } | undefined> {
  const result = await runCli(['status', batch.batchId, '--json'], { env: batch.env(brokerUrl) });
  return result.code === 0 ? JSON.parse(result.stdout) : undefined;
}

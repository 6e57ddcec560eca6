import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import { buildProseCorpus, PROSE_DUPLICATE_KINDS, PROSE_NEGATIVE_KINDS } from '../../../scripts/eval/prose-corpus.js';
import { canonicalText } from '../../../src/cache/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { BatchStore } from '../../../src/batches/batch-store.js';
import { resolveSemanticSettings, SemanticSigner } from '../../../src/semantic/index.js';
import { type CliResult, collect, readJsonl, runCli, WORKER } from '../../helpers/cli.js';
import { type LogLine, logLines } from '../../helpers/logs.js';
import { uniqueName } from '../../helpers/redis.js';

/*
 * Shared by the worker-level semantic tests: a labelled corpus from the accuracy harness's
 * realistic templates, an oracle that says what the lookup should decide for a pair of
 * texts (the same signer the workers build from the default config), and small wrappers
 * around the CLI and worker processes.
 */

export type Role = 'original' | 'duplicate' | 'negative';

/** One document of a labelled corpus. `base` groups an original with its variants. */
export interface LabelledDoc {
  readonly id: string;
  readonly text: string;
  readonly base: number;
  readonly role: Role;
  /** Duplicate kind (case-upper, quoted-reply, ...) or negative kind (unit, percent, ...); 'original' for originals. */
  readonly kind: string;
  readonly type?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface CorpusOptions {
  readonly seed: number;
  /** Originals per domain (8 domains of free prose). */
  readonly perDomain: number;
  /** Formatting-only duplicates per original, kinds taken in turn. @defaultValue 1 */
  readonly duplicates?: number;
  /** Hard negatives per original (one real change), kinds taken in turn. @defaultValue 1 */
  readonly negatives?: number;
}

const pad = (n: number) => String(n).padStart(4, '0');

/**
 * Originals in free prose (medical letters, lease clauses, bank notices, offers, delivery
 * updates, support replies, code reviews, product reviews: the eval's prose corpus) and, per
 * original, duplicates that differ in formatting alone (whitespace, re-wrapping with CRLF,
 * case, punctuation, curly quotes, invisible characters, a quoted reply, two paragraphs
 * swapped) and hard negatives (an antonym, a negation, a unit, a sign, `%`, a name, a date,
 * roles swapped, a sentence appended, a list item removed, punctuation that carries value…).
 */
export function labelledCorpus(options: CorpusOptions): { originals: LabelledDoc[]; duplicates: LabelledDoc[]; negatives: LabelledDoc[] } {
  const { originals: bases, variants } = buildProseCorpus(options.seed, options.perDomain);
  const originals = bases.map((b, base): LabelledDoc => ({ id: `orig-${pad(base)}`, text: b.text, base, role: 'original', kind: 'original' }));
  const duplicates: LabelledDoc[] = [];
  const negatives: LabelledDoc[] = [];
  const take = (base: number, count: number, kinds: readonly string[], role: Role, into: LabelledDoc[]) => {
    const mine = variants.filter((v) => v.base === base);
    // Kinds in turn, skipping those the original's domain has no place for (a unit, say).
    const available = [...kinds.slice(base % kinds.length), ...kinds.slice(0, base % kinds.length)].filter((kind) => mine.some((v) => v.kind === kind));
    for (const kind of available.slice(0, count)) {
      const variant = mine.find((v) => v.kind === kind)!;
      into.push({ id: `${role === 'duplicate' ? 'dup' : 'neg'}-${pad(base)}-${kind}`, text: variant.text, base, role, kind });
    }
  };
  for (let base = 0; base < bases.length; base++) {
    take(base, options.duplicates ?? 1, PROSE_DUPLICATE_KINDS, 'duplicate', duplicates);
    take(base, options.negatives ?? 1, PROSE_NEGATIVE_KINDS, 'negative', negatives);
  }
  return { originals, duplicates, negatives };
}

/** Writes documents as batchline JSONL input. */
export function writeDocs(file: string, docs: readonly LabelledDoc[]): string {
  const lines = docs.map((d) => JSON.stringify({ id: d.id, text: d.text, ...(d.type ? { type: d.type } : {}), ...(d.meta ? { meta: d.meta } : {}) }));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** A deterministic shuffle (for mixing variants into a batch reproducibly). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The signer every worker builds from the default config (same settings, same seed). */
export const signer = new SemanticSigner(resolveSemanticSettings(configSchema.parse({}).semantic));
/** Similar mode with a guard that sees nothing: similarity alone decides. */
const similarity = new SemanticSigner(resolveSemanticSettings({ ...configSchema.parse({}).semantic, mode: 'similar' }), () => []);

/** What the lookup should decide when `query` arrives with only `source` in its scope. */
export interface Oracle {
  /** Same canonical text: the same exact cache key. */
  readonly exact: boolean;
  /** A near-duplicate the default (strict) mode serves: both eligible, equal up to formatting and paragraph order. */
  readonly semantic: boolean;
  /** What a semantic hit reports as the difference. */
  readonly difference: string | undefined;
  /** The similarity a semantic hit reports. */
  readonly score: number | undefined;
  /** Would similarity alone have served it (estimated similarity ≥ the similar-mode threshold, guard aside)? */
  readonly similarEnough: boolean;
}

export function oracle(source: string, query: string): Oracle {
  const a = signer.prepare(source);
  const b = signer.prepare(query);
  const judgement = a.eligible && b.eligible && a.fingerprint === b.fingerprint ? signer.judge(b, a) : undefined;
  return {
    exact: canonicalText(source) === canonicalText(query),
    semantic: judgement !== undefined,
    difference: judgement?.difference,
    score: judgement?.score,
    similarEnough: similarity.judge(similarity.prepare(query), similarity.prepare(source)) !== undefined,
  };
}

/** One line of a batch's results (`batchline export` / `run --out`). */
export interface ResultLine {
  readonly id: string;
  readonly status: string;
  readonly cache: 'miss' | 'exact' | 'semantic';
  readonly artifact?: Record<string, unknown>;
  readonly similarity?: number;
  readonly difference?: string;
  readonly sourceId?: string;
}

export function readResults(file: string): Map<string, ResultLine> {
  const lines = readJsonl<ResultLine>(readFileSync(file, 'utf8'));
  const byId = new Map(lines.map((line) => [line.id, line]));
  expect(byId.size, 'one result line per document').toBe(lines.length);
  return byId;
}

export { type LogLine, logLines };

export interface BatchStatus {
  readonly total: number;
  readonly ok: number;
  readonly failed: number;
  readonly finishedAt?: number;
}

/**
 * A batch's counters, read straight from the broker (cheap enough to poll every 50 ms on a
 * loaded machine, unlike a `batchline status` process). Undefined until the batch exists.
 */
export async function batchStatus(env: NodeJS.ProcessEnv, batchId: string): Promise<BatchStatus | undefined> {
  const redis = new Redis(env.BATCHLINE_BROKER_URL ?? '', { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await new BatchStore(redis, env.BATCHLINE_QUEUE_PREFIX ?? '{batchline}', 3_600).get(batchId);
  } finally {
    redis.disconnect();
  }
}

export async function ingest(env: NodeJS.ProcessEnv, file: string, batchId: string, cwd: string): Promise<void> {
  const result = await runCli(['ingest', file, '--batch-id', batchId, '--json', '--out', cwd], { env, cwd });
  expect(result.code, result.stderr).toBe(0);
}

export async function exportResults(env: NodeJS.ProcessEnv, batchId: string, cwd: string): Promise<Map<string, ResultLine>> {
  const file = path.join(cwd, `${batchId}.export.jsonl`);
  const result = await runCli(['export', batchId, '--out', file], { env, cwd });
  expect(result.code, result.stderr).toBe(0);
  return readResults(file);
}

/** What one worker process did: its pid, its log and the cache counters it logged at shutdown. */
export interface WorkerRun {
  readonly pid: number;
  readonly exit: CliResult;
  readonly counters: Record<string, number>;
}

/** A `default`-queue worker process that batches are handed to one at a time. */
export interface TestWorker {
  readonly pid: number;
  /** Ingests `file` as a new batch, waits until this worker has finished it, returns its results. */
  process(file: string): Promise<Map<string, ResultLine>>;
  /** SIGTERM; resolves once the process has exited cleanly. */
  stop(): Promise<WorkerRun>;
}

/**
 * Starts one worker process (pipeline, broker and cache from `env`, which needs
 * BATCHLINE_LOG_LEVEL=info) and waits until its cache connection is up, so what the test
 * hands it is never processed before the worker can reach the cache Redis (a worker does
 * not wait for its cache by design: until it connects, it simply misses).
 */
export async function startWorker(env: NodeJS.ProcessEnv, cwd: string): Promise<TestWorker> {
  const child = spawn(process.execPath, [WORKER('default')], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = collect(child);
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const wanted = env.BATCHLINE_CACHE_URL ? 'cache redis connected' : 'worker started';
  for (let i = 0; i < 300 && !logLines(stderr).some((line) => line.msg === wanted); i++) {
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  expect(logLines(stderr).map((line) => line.msg), stderr.slice(-2_000)).toContain(wanted);
  return {
    pid: child.pid ?? -1,
    async process(file) {
      const batchId = uniqueName('sem');
      await ingest(env, file, batchId, cwd);
      let status = await batchStatus(env, batchId);
      for (let i = 0; i < 1_200 && status?.finishedAt === undefined && child.exitCode === null; i++) {
        await sleep(100);
        status = await batchStatus(env, batchId);
      }
      expect(status, stderr.slice(-2_000)).toMatchObject({ failed: 0, finishedAt: expect.any(Number) });
      return exportResults(env, batchId, cwd);
    },
    async stop() {
      child.kill('SIGTERM');
      const exit = await done;
      expect(exit.code, exit.stderr.slice(-2_000)).toBe(0);
      const counters = logLines(exit.stderr).find((line) => line.msg === 'cache counters at shutdown')?.cache ?? {};
      return { pid: child.pid ?? -1, exit, counters };
    },
  };
}

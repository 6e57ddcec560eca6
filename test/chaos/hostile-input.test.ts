import { execFileSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../src/redis/redis-server.js';
import { type CliResult, cleanEnv, readJsonl, startCli, tempDir } from '../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../helpers/redis.js';
import { hostileFile, hostileSeed } from '../unit/ingest/hostile-input.js';

/*
 * Hostile and broken input through the real CLI: `batchline run` (built), the noop
 * pipeline, no cache, two worker processes, against a broker this file starts. Every
 * bad record must land in `<out>/<batchId>.errors.jsonl` with its file, line and reason;
 * every good one must have exactly one result; no process may crash or grow unbounded.
 *
 * The generated part is seeded: a failure names its seed; `HOSTILE_SEED=<n>` replays it.
 * The tests run concurrently.
 *
 * Measured on a 2-core VM shared with other suites, peak RSS from /proc/<pid>/status VmHWM:
 *   1,000,000 tiny records (27 MB of JSONL): run 205-211 MB, workers 168-174 MB, bound by
 *     BullMQ's per-job cost (3,100-5,000 documents/s, 200-450 s). That scale is a
 *     benchmark (`npm run bench -- hostile`, figures in BENCHMARKS.md); the suite proves
 *     the same properties on 20,000 records in seconds.
 *   200 × 1 MB documents: run 288-337 MB, workers 168-216 MB. Before ingest bounded a
 *     chunk by bytes (CHUNK_MAX_BYTES) the run peaked at 998 MB on the same input.
 */

let broker: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
});

afterAll(async () => {
  await stopRedis(broker);
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true }); // the big ones hold hundreds of MB
});

const scratchDirs: string[] = [];
/** A temporary folder removed after the file's tests. */
function scratch(label: string): string {
  const dir = tempDir(label);
  scratchDirs.push(dir);
  return dir;
}

const RUN_FLAGS = ['--pipeline', 'noop', '--no-cache', '--concurrency', '50', '--workers', '2', '--json'];
const MB = 1_048_576;
/** Generous: a run holds one chunk of input at a time; far below this is expected (see the figures above). */
const RSS_BOUND_KB = 600 * 1_024;

interface ErrorLine {
  batchId: string;
  file: string;
  line: number | null;
  reason: string;
}
interface ResultLine {
  id: string;
  status: string;
  artifact?: { chars: number };
}
interface Peaks {
  /** Peak RSS of the `run` process (it does the ingest), kB. */
  run: number;
  /** Peak RSS of each worker process it started, kB. */
  workers: number[];
}
interface Run {
  result: CliResult;
  summary: { total: number; ok: number; failed: number; rejected: number };
  batchId: string;
  out: string;
  errors: ErrorLine[];
  peaks: Peaks;
}

function kilobytes(pid: number, field: 'VmHWM'): number | undefined {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // gone
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Runs `batchline run` on `inputs`, sampling the peak RSS (VmHWM, a high-water mark) of it and its workers. */
async function runBatch(label: string, inputs: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out = path.join(scratch(`${label}-out`), 'out');
  const batchId = uniqueName(label);
  const env = cleanEnv({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_QUEUE_PREFIX: `{${uniqueName('h')}}`, ...extraEnv });
  const { child, done } = startCli(['run', ...inputs, '--out', out, '--batch-id', batchId, ...RUN_FLAGS], { env });
  const pid = child.pid as number;
  const peaks = { run: 0, workers: new Map<number, number>() };
  const sample = () => {
    peaks.run = Math.max(peaks.run, kilobytes(pid, 'VmHWM') ?? 0);
    for (const worker of childrenOf(pid)) peaks.workers.set(worker, Math.max(peaks.workers.get(worker) ?? 0, kilobytes(worker, 'VmHWM') ?? 0));
  };
  const timer = setInterval(sample, 200);
  const result = await done.finally(() => clearInterval(timer));
  expectNoCrash(result);
  const errorsFile = path.join(out, `${batchId}.errors.jsonl`);
  return {
    result,
    summary: JSON.parse(result.stdout),
    batchId,
    out,
    errors: existsSync(errorsFile) ? readJsonl<ErrorLine>(readFileSync(errorsFile, 'utf8')) : [],
    peaks: { run: peaks.run, workers: [...peaks.workers.values()] },
  };
}

/** Exit 0, no error or fatal log line, and no worker process that died and was replaced. */
function expectNoCrash(result: CliResult): void {
  expect(result.signal, result.stderr).toBeNull();
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(/"level":(50|60)/);
  expect(result.stderr).not.toMatch(/worker process exited/);
}

/** Streams a results file; `onLine` sees each parsed line (a 1M-line file is never held whole). */
async function eachResult(file: string, onLine: (line: ResultLine) => void): Promise<number> {
  let count = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (text.trim() === '') continue;
    count++;
    onLine(JSON.parse(text) as ResultLine);
  }
  return count;
}

/** Every expected document exactly once, `ok`, with the whole text delivered (noop counts its characters). */
async function expectOneResultEach(run: Run, docs: readonly { id: string; text: string }[], context: string): Promise<void> {
  const expected = new Map(docs.map((doc) => [doc.id, doc.text]));
  expect(expected.size, `${context}: ids in the test data are unique`).toBe(docs.length);
  const seen = new Map<string, number>();
  const wrong: string[] = [];
  await eachResult(path.join(run.out, `${run.batchId}.jsonl`), (line) => {
    seen.set(line.id, (seen.get(line.id) ?? 0) + 1);
    const text = expected.get(line.id);
    if (text === undefined || line.status !== 'ok' || line.artifact?.chars !== text.length) wrong.push(JSON.stringify(line).slice(0, 200));
  });
  expect(wrong, context).toEqual([]);
  expect([...seen].filter(([, n]) => n !== 1), `${context}: results seen more than once`).toEqual([]);
  expect(docs.filter((doc) => !seen.has(doc.id)).map((doc) => doc.id.slice(0, 80)), `${context}: missing results`).toEqual([]);
  expect(run.summary, context).toMatchObject({ total: docs.length, ok: docs.length, failed: 0 });
}

/** The errors file holds exactly these rejections (in any order): file, line and reason. */
function expectRejections(run: Run, expected: readonly { file: string; line: number | null; reason: RegExp; label?: string }[], context: string): void {
  const key = (r: { file: string; line: number | null }) => `${r.file}:${String(r.line).padStart(9, '0')}`;
  const actual = [...run.errors].sort((a, b) => key(a).localeCompare(key(b)));
  const wanted = [...expected].sort((a, b) => key(a).localeCompare(key(b)));
  expect(actual.map(key), context).toEqual(wanted.map(key));
  for (const [i, want] of wanted.entries()) {
    expect(actual[i]?.reason, `${context}: ${key(want)} (${want.label ?? ''})`).toMatch(want.reason);
    expect(actual[i]?.batchId).toBe(run.batchId);
  }
  expect(run.summary.rejected, context).toBe(expected.length);
}

const jsonLine = (value: unknown) => JSON.stringify(value);

describe.concurrent('hostile input through `batchline run`', () => {
  it('seeded fuzz: every generated bad line is reported with file, line and reason, every good one processed once', async () => {
    const seed = hostileSeed();
    const dir = scratch('fuzz');
    // Configured limits (the defaults are exercised below): ids of more than 1,000 characters are refused.
    const limits = { maxDocBytes: 20_000, maxIdLength: 1_000 };
    const files = [1, 2].map((n) => {
      const file = path.join(dir, `fuzz-${n}.jsonl`);
      const generated = hostileFile(seed + n, 1_500, limits, `f${n}:`);
      writeFileSync(file, generated.bytes);
      return { file, generated };
    });
    const run = await runBatch('fuzz', files.map((f) => f.file), {
      BATCHLINE_MAX_DOC_BYTES: String(limits.maxDocBytes),
      BATCHLINE_MAX_ID_LENGTH: String(limits.maxIdLength),
    });
    const context = `seed ${seed} (HOSTILE_SEED=${seed} replays it)`;
    expectRejections(run, files.flatMap(({ file, generated }) => generated.rejects.map((r) => ({ ...r, file }))), context);
    await expectOneResultEach(run, files.flatMap((f) => f.generated.docs), context);
    // Path-like ids (`../../fz-1`, `/abs/fz-2`, ...) are data, never paths: the results folder holds the batch's two files only.
    expect(readdirSync(run.out).sort()).toEqual([`${run.batchId}.errors.jsonl`, `${run.batchId}.jsonl`]);
  }, 180_000);

  it('odd files at the default limits: BOM, CRLF, NUL, invalid UTF-8, empty, a 50 MB line, deep JSON, long and path-like ids, symlinks', async () => {
    const dir = scratch('odd');
    const token = uniqueName('esc');
    const write = (name: string, content: string | Buffer) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    };
    const docs: { id: string; text: string }[] = [];
    const rejects: { file: string; line: number | null; reason: RegExp }[] = [];
    const good = (id: string, text: string) => {
      docs.push({ id, text });
      return jsonLine({ id, text });
    };

    const empty = write('empty.jsonl', '');
    const bomOnly = write('bom-only.jsonl', '\uFEFF');
    const crlf = write(
      'crlf.jsonl',
      `\uFEFF${good('crlf-1', 'first')}\r\n\r\n${good('crlf-2', 'second\r\nline')}\r\n${good('crlf-3', 'last line, no newline')}`,
    );
    const nul = write(
      'nul.jsonl',
      Buffer.concat([
        Buffer.from('{"id":"nul-raw","text":"a\u0000b"}\n'), // raw NUL: not JSON
        Buffer.from(`${good('nul-escaped', 'a\u0000b')}\n`), // escaped NUL in a text: accepted
        Buffer.from('{"id":"nul\\u0000id","text":"t"}\n'), // escaped NUL in an id: control character
        Buffer.from([0, 0, 0x0a]),
      ]),
    );
    rejects.push(
      { file: nul, line: 1, reason: /^invalid JSON: Bad control character/ },
      { file: nul, line: 3, reason: /^"id" contains a control character \(U\+0000 at character 4\)$/ },
      { file: nul, line: 4, reason: /^invalid JSON/ },
    );
    const utf8 = write(
      'invalid-utf8.jsonl',
      Buffer.concat([
        Buffer.from(`${good('utf8-ok', 'naïve 日本語 🙂')}\n`),
        ...[[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80]].map((bad) => Buffer.concat([Buffer.from('{"id":"u","text":"'), Buffer.from(bad), Buffer.from('"}\n')])),
        Buffer.from('{"id":"cut","text":"'),
        Buffer.from([0xe6, 0x97]), // cut mid-character, and no newline after it
      ]),
    );
    for (const line of [2, 3, 4, 5]) rejects.push({ file: utf8, line, reason: /^line is not valid UTF-8$/ });

    // A single line of 50 MB (a valid document, were its text allowed): skipped unread, between two good lines.
    const huge = path.join(dir, 'huge-line.jsonl');
    const fd = openSync(huge, 'w');
    writeSync(fd, `${good('before-huge', 'before')}\n{"id":"huge","text":"`);
    const block = Buffer.alloc(MB, 'a');
    for (let i = 0; i < 50; i++) writeSync(fd, block);
    writeSync(fd, `"}\n${good('after-huge', 'after')}`);
    closeSync(fd);
    rejects.push({ file: huge, line: 2, reason: /^line is 524288\d\d bytes, longer than the limit of 2165760 / });

    const deep = write(
      'deep.jsonl',
      [
        `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
        `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
        `{"id":"deep-meta","text":"t","meta":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
        `{"id":"deep-ignored","text":"extra fields are dropped","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      ].join('\n'),
    );
    docs.push({ id: 'deep-ignored', text: 'extra fields are dropped' });
    rejects.push(
      { file: deep, line: 1, reason: /^expected a JSON object, got an array$/ },
      { file: deep, line: 2, reason: /^"id" must be a string, got nothing$/ },
      { file: deep, line: 3, reason: /^"meta" is nested more than 64 levels deep$/ },
    );

    // Ids are opaque: path separators and `..` are accepted and never used as paths.
    const pathIds = [`../../${token}`, `/tmp/${token}`, `a/b/${token}`, `..\\..\\${token}`, '..', '.', `${token}/../../../x`];
    const ids = write(
      'ids.jsonl',
      [
        good('i'.repeat(512), 'id at the default limit'),
        jsonLine({ id: 'j'.repeat(513), text: 't' }),
        jsonLine({ id: 'k'.repeat(1_500), text: 't' }),
        ...pathIds.map((id) => good(id, `path-like id ${id}`)),
        jsonLine({ id: 'big-text', text: 'b'.repeat(MB + 1) }),
        good('text-at-limit', 'c'.repeat(MB)),
      ].join('\n'),
    );
    rejects.push(
      { file: ids, line: 2, reason: /^"id" is 513 characters long, more than the limit of 512 \(ingest.maxIdLength\)$/ },
      { file: ids, line: 3, reason: /^"id" is 1500 characters long, more than the limit of 512/ },
      { file: ids, line: 11, reason: /^"text" is 1048577 bytes, more than the limit of 1048576 \(ingest.maxDocBytes\)$/ },
    );

    const types = write(
      'types.jsonl',
      [
        { id: 12, text: 't' },
        { id: 'obj-text', text: { text: 'x' } },
        { id: 'num-type', text: 't', type: 3 },
        { id: 'arr-meta', text: 't', meta: ['x'] },
        { id: 'crlf-1', text: 'a duplicate of an id in crlf.jsonl' },
        { id: 'lone\ud800', text: 't' },
        { id: 'tab\tid', text: 't' },
        { id: 'lf\nid', text: 't' },
        { id: 'cr\rid', text: 't' },
        { id: 'ls\u2028id', text: 't' },
        { id: 'invoice\u202etxt.exe', text: 't' },
        { id: 'scope-number', text: 't', meta: { scope: 42 } },
        { id: 'scope-empty', text: 't', meta: { scope: '' } },
      ]
        .map(jsonLine)
        .join('\n'),
    );
    rejects.push(
      { file: types, line: 1, reason: /^"id" must be a string, got a number$/ },
      { file: types, line: 2, reason: /^"text" must be a string, got an object$/ },
      { file: types, line: 3, reason: /^"type" must be a string/ },
      { file: types, line: 4, reason: /^"meta" must be an object, got an array$/ },
      { file: types, line: 5, reason: /^duplicate id "crlf-1" within the batch$/ },
      { file: types, line: 6, reason: /^"id" is not valid Unicode/ },
      { file: types, line: 7, reason: /^"id" contains a control character \(U\+0009 at character 4\)$/ },
      { file: types, line: 8, reason: /^"id" contains a control character \(U\+000A at character 3\)$/ },
      { file: types, line: 9, reason: /^"id" contains a control character \(U\+000D at character 3\)$/ },
      { file: types, line: 10, reason: /^"id" contains a line or paragraph separator \(U\+2028 at character 3\)$/ },
      { file: types, line: 11, reason: /^"id" contains a bidirectional text control \(U\+202E at character 8\)$/ },
      { file: types, line: 12, reason: /^"meta\.scope" must be a non-empty string \(it isolates cached artifacts\), got a number$/ },
      { file: types, line: 13, reason: /^"meta\.scope" is empty/ },
    );

    // A folder with symbolic links: in, out, a loop, a folder loop, a linked folder.
    const outside = scratch('odd-outside');
    writeFileSync(path.join(outside, 'secret.txt'), 'SECRET outside the input folder');
    const folder = path.join(dir, 'folder');
    mkdirSync(path.join(folder, 'sub'), { recursive: true });
    writeFileSync(path.join(folder, 'a.txt'), 'folder text a');
    writeFileSync(path.join(folder, 'sub/b.md'), 'folder text b');
    writeFileSync(path.join(folder, 'sub/c.json'), jsonLine({ text: 'folder json c', meta: { from: 'file' } }));
    writeFileSync(path.join(folder, 'binary.txt'), Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    symlinkSync('a.txt', path.join(folder, 'link-in.txt'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(folder, 'link-out.txt'));
    symlinkSync('loop.txt', path.join(folder, 'loop.txt'));
    symlinkSync('..', path.join(folder, 'sub/up'));
    symlinkSync(outside, path.join(folder, 'linked-dir'));
    // FIFOs named like documents: a blocking open would hang ingest for good; each is one line in the errors file.
    execFileSync('mkfifo', [path.join(folder, 'pipe.txt'), path.join(folder, 'sub/pipe.json')]);
    docs.push(
      { id: 'a.txt', text: 'folder text a' },
      { id: 'sub/b.md', text: 'folder text b' },
      { id: 'sub/c.json', text: 'folder json c' },
      { id: 'link-in.txt', text: 'folder text a' },
    );
    rejects.push(
      { file: path.join(folder, 'binary.txt'), line: null, reason: /^file is not valid UTF-8$/ },
      { file: path.join(folder, 'link-out.txt'), line: null, reason: /outside the input folder; not followed/ },
      { file: path.join(folder, 'loop.txt'), line: null, reason: /broken symbolic link \(missing target, or a loop\)/ },
      { file: path.join(folder, 'sub/up'), line: null, reason: /symbolic link to a folder/ },
      { file: path.join(folder, 'linked-dir'), line: null, reason: /symbolic link to a folder/ },
      { file: path.join(folder, 'pipe.txt'), line: null, reason: /^a FIFO \(named pipe\), not a regular file: skipped without reading it$/ },
      { file: path.join(folder, 'sub/pipe.json'), line: null, reason: /^a FIFO \(named pipe\), not a regular file: skipped without reading it$/ },
    );

    const run = await runBatch('odd', [empty, bomOnly, crlf, nul, utf8, huge, deep, ids, types, folder]);
    expectRejections(run, rejects, 'odd files');
    await expectOneResultEach(run, docs, 'odd files');
    expect(readFileSync(path.join(run.out, `${run.batchId}.jsonl`), 'utf8')).not.toContain('SECRET');
    // Nothing named after a path-like id appeared anywhere it could have resolved to.
    for (const id of pathIds.filter((id) => id.includes(token))) {
      for (const base of [run.out, process.cwd(), dir]) expect(existsSync(path.resolve(base, id)), `${base} ${id}`).toBe(false);
    }
    expect(readdirSync(run.out).sort()).toEqual([`${run.batchId}.errors.jsonl`, `${run.batchId}.jsonl`]);
    // Reading past a 50 MB line costs no memory: the run stays far below the bound.
    expect(run.peaks.run).toBeLessThan(RSS_BOUND_KB);
  }, 180_000);

  it('limits are configurable by environment; past BATCHLINE_MAX_BATCH_DOCS the rest is rejected with a clear reason', async () => {
    const dir = scratch('limits');
    const file = path.join(dir, 'limits.jsonl');
    writeFileSync(
      file,
      [
        { id: 'd1', text: 'x'.repeat(100) },
        { id: 'd2', text: 'é'.repeat(51) }, // 102 bytes
        { id: 'eight-ch', text: 'id of 8' },
        { id: 'nine-char', text: 'id of 9' },
        ...Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, text: `more ${i}` })),
      ]
        .map(jsonLine)
        .join('\n'),
    );
    const run = await runBatch('limits', [file], {
      BATCHLINE_MAX_DOC_BYTES: '100',
      BATCHLINE_MAX_ID_LENGTH: '8',
      BATCHLINE_MAX_BATCH_DOCS: '5',
    });
    expectRejections(
      run,
      [
        { file, line: 2, reason: /^"text" is 102 bytes, more than the limit of 100 \(ingest.maxDocBytes\)$/ },
        { file, line: 4, reason: /^"id" is 9 characters long, more than the limit of 8 \(ingest.maxIdLength\)$/ },
        ...[8, 9, 10].map((line) => ({ file, line, reason: /^batch already holds 5 documents, the most one batch may hold \(ingest.maxBatchDocs\)$/ })),
      ],
      'configured limits',
    );
    await expectOneResultEach(
      run,
      [
        { id: 'd1', text: 'x'.repeat(100) },
        { id: 'eight-ch', text: 'id of 8' },
        { id: 'm0', text: 'more 0' },
        { id: 'm1', text: 'more 1' },
        { id: 'm2', text: 'more 2' },
      ],
      'configured limits',
    );

    // A limit that makes no sense is refused before anything starts, naming the variable.
    const { done } = startCli(['run', file, '--out', path.join(dir, 'out'), ...RUN_FLAGS], { env: cleanEnv({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_MAX_BATCH_DOCS: '0' }) });
    const refused = await done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/invalid config: ingest.maxBatchDocs \(from BATCHLINE_MAX_BATCH_DOCS\)/);
  }, 120_000);

  it('200 documents of 1 MB: ingest holds a bounded chunk, not the whole input', async () => {
    const dir = scratch('big-docs');
    const file = path.join(dir, 'big.jsonl');
    const fd = openSync(file, 'w');
    const docs: { id: string; text: string }[] = [];
    const body = 'w'.repeat(MB - 16);
    for (let i = 0; i < 200; i++) {
      const text = `${String(i).padStart(8, '0')} ${body}`;
      docs.push({ id: `big-${i}`, text });
      writeSync(fd, `${jsonLine({ id: `big-${i}`, text })}\n`);
    }
    closeSync(fd);
    const run = await runBatch('big-docs', [file]);
    expectRejections(run, [], 'big documents');
    await expectOneResultEach(run, docs, 'big documents');
    console.info(`200 × 1 MB: peak RSS run ${Math.round(run.peaks.run / 1_024)} MB, workers ${run.peaks.workers.map((kb) => Math.round(kb / 1_024)).join(', ')} MB`);
    expect(run.peaks.run).toBeGreaterThan(0);
    expect(run.peaks.run).toBeLessThan(RSS_BOUND_KB);
    for (const worker of run.peaks.workers) expect(worker).toBeLessThan(RSS_BOUND_KB);
  }, 180_000);

  it('20,000 tiny records: one result each, and the run process stays within a bounded RSS', async () => {
    const dir = scratch('many');
    const file = path.join(dir, 'many.jsonl');
    // The million-record scale is `npm run bench -- hostile`; this is the fast proof.
    const count = 20_000;
    const fd = openSync(file, 'w');
    for (let start = 0; start < count; start += 10_000) {
      const lines: string[] = [];
      for (let i = start; i < start + 10_000; i++) lines.push(`{"id":"m${i}","text":"t${i % 97}"}`);
      writeSync(fd, `${lines.join('\n')}\n`);
    }
    closeSync(fd);

    const run = await runBatch('many', [file]);
    expect(run.summary).toMatchObject({ total: count, ok: count, failed: 0, rejected: 0 });
    expect(run.errors).toEqual([]);
    const seen = new Uint8Array(count);
    let bad = 0;
    const lines = await eachResult(path.join(run.out, `${run.batchId}.jsonl`), (line) => {
      const n = Number(line.id.slice(1));
      if (line.status !== 'ok' || !Number.isInteger(n) || n < 0 || n >= count || seen[n]) bad++;
      else seen[n] = 1;
    });
    expect(lines).toBe(count);
    expect(bad).toBe(0);
    expect(seen.every((v) => v === 1)).toBe(true);

    console.info(`20,000 records: peak RSS run ${Math.round(run.peaks.run / 1_024)} MB, workers ${run.peaks.workers.map((kb) => Math.round(kb / 1_024)).join(', ')} MB`);
    expect(run.peaks.run).toBeGreaterThan(0);
    expect(run.peaks.run).toBeLessThan(RSS_BOUND_KB);
    for (const worker of run.peaks.workers) expect(worker).toBeLessThan(RSS_BOUND_KB);
  }, 300_000); // a ceiling for a loaded machine, not an expectation
});

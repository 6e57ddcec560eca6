import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/index.js';
import { ErrorsFile } from '../../../src/ingest/errors-file.js';
import { CHUNK_MAX_BYTES, Ingester } from '../../../src/ingest/ingester.js';
import { silentLogger } from '../../../src/log.js';
import type { Document } from '../../../src/pipeline/types.js';
import type { BatchStore } from '../../../src/batches/batch-store.js';
import { readJsonl, tempDir } from '../../helpers/cli.js';

/** The batch store's ingest side, in memory, with the same dedup rules (first run owns an id). */
class FakeStore {
  owners = new Map<string, string>();
  rejected = new Map<string, number>();
  async open() {}
  async get() {
    return { total: this.owners.size };
  }
  async classifyDocs(_batchId: string, runId: string, ids: readonly string[]) {
    return ids.map((id) => {
      const owner = this.owners.get(id);
      return owner === undefined ? 'new' : owner === runId ? 'duplicate' : 'seen';
    });
  }
  async markEnqueued(_batchId: string, runId: string, ids: readonly string[]) {
    this.events.push(`record ${ids[0]}`);
    for (const id of ids) if (!this.owners.has(id)) this.owners.set(id, runId);
  }
  async stranded() {
    return [];
  }
  async setRejected(_batchId: string, source: string, count: number) {
    this.rejected.set(source, count);
  }
  async seal() {
    this.events.push('seal');
  }
  async markIngestFailed() {
    this.events.push('marked failed');
    return true;
  }
  events: string[] = [];
}

type AddBulk = (jobs: { data: { doc: Document; recheck?: true } }[]) => Promise<unknown>;

/** `addBulk`, when given, replaces the recording fake; it may log to the store's `events`. */
function setUp(ingest: Record<string, number> = {}, addBulk?: (events: string[]) => AddBulk) {
  const bulks: Document[][] = [];
  const store = new FakeStore();
  const queue = {
    addBulk: addBulk?.(store.events) ?? (async (jobs: { data: { doc: Document } }[]) => void bulks.push(jobs.map((job) => job.data.doc))),
    getWaitingCount: async () => 0,
    // What `openIngestQueue` gives: a connection that never re-sends a command by itself.
    opts: { connection: { autoResendUnfulfilledCommands: false } },
    getBackend: () => ({ client: Promise.resolve(new EventEmitter()) }),
  };
  const config = configSchema.parse({ ingest: { brokerRetryMs: 0, ...ingest } });
  const ingester = new Ingester(config, queue as unknown as Queue, store as unknown as BatchStore, silentLogger);
  const dir = tempDir('ingester');
  const run = async (inputs: string[]) => {
    const errors = new ErrorsFile(path.join(dir, 'b.errors.jsonl'), 'b', 'truncate');
    const report = await ingester.ingest({ batchId: 'b', queueName: 'default', inputs, pipeline: 'noop@1', errors });
    await errors.close();
    return { report, errors: errors.count > 0 ? readJsonl<{ file: string; line: number | null; reason: string }>(readFileSync(errors.file, 'utf8')) : [] };
  };
  return { bulks, store, dir, run, ingester };
}

const jsonl = (docs: object[]) => `${docs.map((doc) => JSON.stringify(doc)).join('\n')}\n`;

describe('Ingester', () => {
  it('flushes a chunk by bytes as well as by count, so big documents never pile up in memory', async () => {
    const { bulks, dir, run } = setUp();
    const file = path.join(dir, 'big.jsonl');
    const megabyte = 'm'.repeat(1_000_000);
    writeFileSync(file, jsonl(Array.from({ length: 40 }, (_, i) => ({ id: `big-${i}`, text: `${i} ${megabyte}` }))));
    const { report } = await run([file]);
    expect(report).toMatchObject({ read: 40, enqueued: 40, rejected: 0 });
    const sizes = bulks.map((docs) => docs.reduce((sum, doc) => sum + doc.text.length, 0));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(40 * 1_000_000 + 40 * 2 + 30);
    // One chunk stops at the record that crosses the bound: never more than the bound plus one document.
    for (const size of sizes) expect(size).toBeLessThan(CHUNK_MAX_BYTES + 1_100_000);
    expect(bulks.length).toBeGreaterThanOrEqual(Math.ceil((40 * 1_000_000) / (CHUNK_MAX_BYTES + 1_100_000)));
  });

  it('past ingest.maxBatchDocs every further document is rejected with a clear reason, also on a re-run', async () => {
    const { bulks, dir, run } = setUp({ maxBatchDocs: 5, chunkSize: 3 });
    const file = path.join(dir, 'eight.jsonl');
    writeFileSync(file, jsonl(Array.from({ length: 8 }, (_, i) => ({ id: `d${i}`, text: `doc ${i}` }))));
    const first = await run([file]);
    expect(first.report).toMatchObject({ read: 8, enqueued: 5, rejected: 3 });
    expect(bulks.flat().map((doc) => doc.id)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(first.errors).toEqual(
      [6, 7, 8].map((line) => ({
        batchId: 'b',
        file,
        line,
        reason: 'batch already holds 5 documents, the most one batch may hold (ingest.maxBatchDocs)',
      })),
    );
    const again = await run([file]);
    expect(again.report).toMatchObject({ read: 8, enqueued: 0, skipped: 5, rejected: 3 });
  });

  it('counts rejections per input, a folder rolling up its files, and rejects duplicate ids', async () => {
    const { store, dir, run } = setUp({ chunkSize: 2 });
    const file = path.join(dir, 'mixed.jsonl');
    writeFileSync(file, `${jsonl([{ id: 'a', text: 'x' }, { id: 'b' }, { id: 'c', text: 'y' }, { id: 'a', text: 'again' }])}{bad\n`);
    const folder = path.join(dir, 'folder');
    mkdirSync(path.join(folder, 'sub'), { recursive: true });
    writeFileSync(path.join(folder, 'sub/ok.txt'), 'fine');
    writeFileSync(path.join(folder, 'sub/empty.txt'), '');
    const { report, errors } = await run([file, folder]);
    expect(report).toMatchObject({ read: 7, enqueued: 3, rejected: 4 });
    expect(store.rejected).toEqual(new Map([[file, 3], [folder, 1]]));
    // A duplicate across chunks is found when its chunk is flushed, so the file is not in line order.
    const byLine = errors.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
    expect(byLine.map((e) => [path.basename(e.file), e.line, e.reason])).toEqual([
      ['empty.txt', null, '"text" is missing or empty'], // folder/sub/empty.txt sorts first
      ['mixed.jsonl', 2, '"text" must be a string, got nothing'],
      ['mixed.jsonl', 4, 'duplicate id "a" within the batch'],
      ['mixed.jsonl', 5, expect.stringMatching(/^invalid JSON/)],
    ]);
  });

  it('prepares the next chunk while the previous addBulk is on its way, two chunks at most, and seals after the last', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const { store, dir, run } = setUp({ chunkSize: 2 }, (events) => async (jobs) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      events.push(`send ${jobs[0]?.data.doc.id}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`added ${jobs[0]?.data.doc.id}`);
      inFlight--;
    });
    const file = path.join(dir, 'six.jsonl');
    writeFileSync(file, jsonl(Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, text: `doc ${i}` }))));
    const { report } = await run([file]);
    expect(report).toMatchObject({ read: 6, enqueued: 6, rejected: 0 });
    expect(mostInFlight).toBe(2);
    // Each chunk is recorded before its own addBulk, and the next one is recorded while it is on its way.
    expect(store.events).toEqual([
      'record d0',
      'send d0',
      'record d2',
      'send d2',
      'added d0',
      'record d4',
      'send d4',
      'added d2',
      'added d4',
      'seal',
    ]);
  });

  it('marks the jobs of every retry of an addBulk (the first try may have added them) for a result check, and none of a first try', async () => {
    const sent: { ids: string[]; recheck: (true | undefined)[] }[] = [];
    const { run, dir } = setUp({ chunkSize: 2, brokerRetryMs: 5_000 }, () => async (jobs) => {
      sent.push({ ids: jobs.map((job) => job.data.doc.id), recheck: jobs.map((job) => job.data.recheck) });
      if (sent.length === 2) throw new Error('the broker connection closed before the reply came');
    });
    const file = path.join(dir, 'four.jsonl');
    writeFileSync(file, jsonl(Array.from({ length: 4 }, (_, i) => ({ id: `d${i}`, text: `doc ${i}` }))));
    await run([file]);
    expect(sent).toEqual([
      { ids: ['d0', 'd1'], recheck: [undefined, undefined] },
      { ids: ['d2', 'd3'], recheck: [undefined, undefined] },
      { ids: ['d2', 'd3'], recheck: [true, true] },
    ]);
  });

  it('a failed addBulk fails the ingest, which is marked failed only once no addBulk is on its way', async () => {
    const { store, dir, run } = setUp({ chunkSize: 2 }, (events) => async (jobs) => {
      const first = jobs[0]?.data.doc.id;
      events.push(`send ${first}`);
      // The chunk after the failing one takes longer: without the wait for it, the ingest would be marked failed first.
      await new Promise((resolve) => setTimeout(resolve, first === 'd4' ? 50 : 10));
      events.push(`done ${first}`);
      if (first === 'd2') throw new Error("READONLY You can't write against a read only replica.");
    });
    const file = path.join(dir, 'eight.jsonl');
    writeFileSync(file, jsonl(Array.from({ length: 8 }, (_, i) => ({ id: `d${i}`, text: `doc ${i}` }))));
    await expect(run([file])).rejects.toThrow(/while enqueueing documents/);
    expect(store.events.filter((event) => !event.startsWith('record'))).toEqual([
      'send d0',
      'send d2',
      'done d0',
      'send d4',
      'done d2',
      'done d4',
      'marked failed',
    ]);
  });
});

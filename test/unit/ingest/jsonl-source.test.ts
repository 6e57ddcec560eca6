import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { InputRecord } from '../../../src/ingest/input-record.js';
import { jsonlRecords, maxLineBytes } from '../../../src/ingest/jsonl-source.js';
import { hostileFile, hostileSeed, seededRandom } from './hostile-input.js';

const limits = { maxDocBytes: 1_000, maxIdLength: 20 };

/** Feeds `bytes` in chunks of `chunkSize`, or of random sizes drawn from `rand`. */
async function collect(bytes: Buffer | string, chunkSize: number | (() => number) = 7, lim = limits): Promise<InputRecord[]> {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const size = typeof chunkSize === 'number' ? () => chunkSize : chunkSize;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; ) {
    const n = Math.max(1, size());
    chunks.push(buffer.subarray(i, i + n));
    i += n;
  }
  const records: InputRecord[] = [];
  for await (const record of jsonlRecords(Readable.from(chunks), 'in.jsonl', lim)) records.push(record);
  return records;
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;
const reasonOf = (record: InputRecord | undefined) => (record?.kind === 'reject' ? record.reason : `not rejected: ${JSON.stringify(record)}`);

describe('jsonlRecords', () => {
  it('reads documents across chunk boundaries, with CRLF, a BOM and no final newline', async () => {
    const first = line({ id: 'a', text: 'one' }).replace('\n', '\r\n');
    const second = JSON.stringify({ id: 'b', text: 'two', type: 'memo', meta: { x: 1 } });
    const records = await collect(`\uFEFF${first}\n${second}`);
    expect(records).toEqual([
      { kind: 'doc', doc: { id: 'a', text: 'one' }, origin: { file: 'in.jsonl', line: 1 }, bytes: Buffer.byteLength(`\uFEFF${first}`) - 1 },
      { kind: 'doc', doc: { id: 'b', text: 'two', type: 'memo', meta: { x: 1 } }, origin: { file: 'in.jsonl', line: 3 }, bytes: second.length },
    ]);
  });

  it('rejects each kind of bad line with its line number and reason, and keeps going', async () => {
    const input = Buffer.concat([
      Buffer.from('{not json\n'),
      Buffer.from(line({ id: 'no-text' })),
      Buffer.from(line({ id: 'empty', text: '   ' })),
      Buffer.from(line({ id: 7, text: 'numeric id' })),
      Buffer.from(line({ id: 'obj', text: { nested: true } })),
      Buffer.from(line({ id: 'x'.repeat(21), text: 'long id' })),
      Buffer.from(line({ id: 'big', text: 'y'.repeat(1_001) })),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), // invalid UTF-8
      Buffer.from(line([1, 2])),
      Buffer.from(`${'z'.repeat(100_000)}\n`), // longer than any acceptable line
      Buffer.from(line({ id: 'good', text: 'still read' })),
    ]);
    const records = await collect(input, 64);
    const rejects = records.filter((r) => r.kind === 'reject');
    expect(rejects.map((r) => r.origin.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const reasons = rejects.map((r) => (r.kind === 'reject' ? r.reason : ''));
    expect(reasons[0]).toMatch(/invalid JSON/);
    expect(reasons[1]).toMatch(/"text" must be a string, got nothing/);
    expect(reasons[2]).toMatch(/"text" is missing or empty/);
    expect(reasons[3]).toMatch(/"id" must be a string, got a number/);
    expect(reasons[4]).toMatch(/"text" must be a string, got an object/);
    expect(reasons[5]).toMatch(/more than the limit of 20 \(ingest.maxIdLength\)/);
    expect(reasons[6]).toMatch(/1001 bytes, more than the limit of 1000 \(ingest.maxDocBytes\)/);
    expect(reasons[7]).toMatch(/not valid UTF-8/);
    expect(reasons[8]).toMatch(/expected a JSON object, got an array/);
    expect(reasons[9]).toMatch(/line is 100000 bytes/);
    expect(records.at(-1)).toMatchObject({ kind: 'doc', doc: { id: 'good' }, origin: { line: 11 } });
  });

  it('yields nothing for an empty input, or one holding only a BOM and blank lines', async () => {
    expect(await collect('')).toEqual([]);
    expect(await collect('\uFEFF')).toEqual([]);
    expect(await collect('\uFEFF\r\n\n  \r\n\t')).toEqual([]);
  });

  it('NUL: raw inside a line is not JSON (rejected); escaped, it is accepted in text and rejected in ids', async () => {
    const records = await collect(
      Buffer.concat([
        Buffer.from('{"id":"raw","text":"a\u0000b"}\n'),
        Buffer.from('{"id":"escaped","text":"a\\u0000b"}\n'),
        Buffer.from('{"id":"a\\u0000b","text":"nul in id"}\n'),
        Buffer.from([0, 0, 0, 0x0a]),
      ]),
    );
    expect(reasonOf(records[0])).toMatch(/invalid JSON: Bad control character/);
    expect(records[1]).toMatchObject({ kind: 'doc', doc: { id: 'escaped', text: 'a\u0000b' } });
    expect(reasonOf(records[2])).toBe('"id" contains a control character (U+0000 at character 2)');
    expect(reasonOf(records[3])).toMatch(/invalid JSON/);
    expect(records).toHaveLength(4);
  });

  it('JSON nested 10,000 (and 1,000,000) levels deep is one rejected line, not a crash', async () => {
    const lim = { maxDocBytes: 1_048_576, maxIdLength: 20 };
    const deepMeta = (depth: number) => `{"id":"m","text":"t","meta":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    const records = await collect(
      [
        `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
        `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`,
        `${'['.repeat(10_000)}`, // unbalanced
        deepMeta(10_000),
        deepMeta(64),
        deepMeta(65),
        `{"id":"x","text":"t","ignored":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      ].join('\n'),
      65_536,
      lim,
    );
    expect(records.map((r) => (r.kind === 'doc' ? `doc ${r.doc.id}` : r.reason.slice(0, 40)))).toEqual([
      'expected a JSON object, got an array',
      'expected a JSON object, got an array',
      expect.stringMatching(/^invalid JSON/),
      '"meta" is nested more than 64 levels dee',
      'doc m',
      '"meta" is nested more than 64 levels dee',
      'doc x',
    ]);
    // What is accepted can be serialized: BullMQ stringifies every job.
    for (const record of records) if (record.kind === 'doc') expect(() => JSON.stringify(record.doc)).not.toThrow();
    expect(records[6]).toMatchObject({ doc: { id: 'x', text: 't' } });
    expect(records[6]?.kind === 'doc' && 'ignored' in records[6].doc).toBe(false);
  });

  it('unpaired surrogate escapes are rejected in ids and texts; pairs and U+FFFD are fine', async () => {
    const records = await collect(
      [
        '{"id":"a\\ud800","text":"t"}',
        '{"id":"a\\udc00","text":"t"}',
        '{"id":"\\udbff\\ud800","text":"t"}',
        '{"id":"ok","text":"end\\ud83d"}',
        '{"id":"pair\\ud83d\\ude42","text":"\\ud83d\\ude42"}',
        '{"id":"a\\ufffd","text":"t"}',
      ].join('\n'),
    );
    expect(records.map((r) => (r.kind === 'doc' ? r.doc.id : r.reason))).toEqual([
      expect.stringMatching(/"id" is not valid Unicode/),
      expect.stringMatching(/"id" is not valid Unicode/),
      expect.stringMatching(/"id" is not valid Unicode/),
      expect.stringMatching(/"text" is not valid Unicode/),
      'pair🙂',
      'a\ufffd',
    ]);
  });

  it('ids are opaque: path separators and ".." are kept exactly as given', async () => {
    const ids = ['../../etc/passwd', '/abs/path', 'C:\\windows\\x', '..', '.', 'a/../b', '~/x', 'nul.txt'];
    const records = await collect(ids.map((id) => JSON.stringify({ id, text: 'x' })).join('\n'));
    expect(records.map((r) => (r.kind === 'doc' ? r.doc.id : r.reason))).toEqual(ids);
  });

  it('wrong types where strings and objects belong are named in the reason', async () => {
    const records = await collect(
      [
        { id: 'a', text: 'x', type: 5 },
        { id: 'a', text: 'x', type: 't'.repeat(101) },
        { id: 'a', text: 'x', meta: [1] },
        { id: 'a', text: 'x', meta: null },
        { id: 'a', text: ['x'] },
        { id: true, text: 'x' },
        { text: 'x' },
      ]
        .map((value) => JSON.stringify(value))
        .join('\n'),
    );
    expect(records.map(reasonOf)).toEqual([
      '"type" must be a string of at most 100 characters, got a number',
      '"type" must be a string of at most 100 characters, got a string',
      '"meta" must be an object, got an array',
      '"meta" must be an object, got null',
      '"text" must be a string, got an array',
      '"id" must be a string, got a boolean',
      '"id" must be a string, got nothing',
    ]);
  });

  it('a line exactly at the line limit is read; one byte more is skipped unread', async () => {
    const limit = maxLineBytes(limits);
    const exact = `{"id":"e","text":"${'x'.repeat(limit - 20)}"}`;
    expect(Buffer.byteLength(exact)).toBe(limit);
    const records = await collect(`${exact}\n${exact} \n${exact}  `, 4_096);
    expect(reasonOf(records[0])).toMatch(/"text" is \d+ bytes, more than the limit of 1000/);
    expect(reasonOf(records[1])).toMatch(new RegExp(`line is ${limit + 1} bytes, longer than the limit of ${limit}`));
    expect(reasonOf(records[2])).toMatch(new RegExp(`line is ${limit + 2} bytes`)); // the last line, without a newline
  });

  it('fuzz: generated hostile lines give the same records whatever the chunking, each as expected', async () => {
    const seed = hostileSeed();
    const file = hostileFile(seed, 600, limits);
    const rand = seededRandom(seed + 1);
    const whole = await collect(file.bytes, file.bytes.length);
    const random = await collect(file.bytes, () => 1 + Math.floor(rand() * 300));
    expect(random, `seed ${seed}`).toEqual(whole);
    const small = hostileFile(seed, 40, limits);
    expect(await collect(small.bytes, 1), `seed ${seed}`).toEqual(await collect(small.bytes, small.bytes.length));

    const docs = whole.flatMap((r) => (r.kind === 'doc' ? [{ id: r.doc.id, text: r.doc.text, line: r.origin.line }] : []));
    expect(docs, `seed ${seed}`).toEqual(file.docs);
    const rejects = whole.flatMap((r) => (r.kind === 'reject' ? [r] : []));
    expect(rejects.map((r) => r.origin.line), `seed ${seed}`).toEqual(file.rejects.map((r) => r.line));
    for (const [i, expected] of file.rejects.entries()) {
      expect(rejects[i]?.reason, `seed ${seed}, line ${expected.line} (${expected.label})`).toMatch(expected.reason);
    }
    expect(new Set(file.rejects.map((r) => r.label)).size, 'the generator covers most kinds').toBeGreaterThan(20);
  });
});

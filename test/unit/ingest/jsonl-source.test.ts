import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { InputRecord } from '../../../src/ingest/input-record.js';
import { jsonlRecords } from '../../../src/ingest/jsonl-source.js';

const limits = { maxDocBytes: 1_000, maxIdLength: 20 };

async function collect(bytes: Buffer | string, chunkSize = 7): Promise<InputRecord[]> {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  const records: InputRecord[] = [];
  for await (const record of jsonlRecords(Readable.from(chunks), 'in.jsonl', limits)) records.push(record);
  return records;
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

describe('jsonlRecords', () => {
  it('reads documents across chunk boundaries, with CRLF, a BOM and no final newline', async () => {
    const text = `\uFEFF${line({ id: 'a', text: 'one' }).replace('\n', '\r\n')}\n${JSON.stringify({ id: 'b', text: 'two', type: 'memo', meta: { x: 1 } })}`;
    const records = await collect(text);
    expect(records).toEqual([
      { kind: 'doc', doc: { id: 'a', text: 'one' }, origin: { file: 'in.jsonl', line: 1 } },
      { kind: 'doc', doc: { id: 'b', text: 'two', type: 'memo', meta: { x: 1 } }, origin: { file: 'in.jsonl', line: 3 } },
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
    expect(reasons[5]).toMatch(/more than the limit of 20/);
    expect(reasons[6]).toMatch(/1001 bytes, more than the limit of 1000/);
    expect(reasons[7]).toMatch(/not valid UTF-8/);
    expect(reasons[8]).toMatch(/expected a JSON object, got an array/);
    expect(reasons[9]).toMatch(/line is 100000 bytes/);
    expect(records.at(-1)).toMatchObject({ kind: 'doc', doc: { id: 'good' }, origin: { line: 11 } });
  });

  it('yields nothing for an empty input', async () => {
    expect(await collect('')).toEqual([]);
  });
});

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderRecords } from '../../../src/ingest/folder-source.js';
import type { InputRecord } from '../../../src/ingest/input-record.js';
import { tempDir } from '../../helpers/cli.js';

const limits = { maxDocBytes: 1_000, maxIdLength: 100 };

async function collect(root: string): Promise<InputRecord[]> {
  const records: InputRecord[] = [];
  for await (const record of folderRecords(root, limits)) records.push(record);
  return records;
}

describe('folderRecords', () => {
  it('reads .txt/.md/.json files recursively with relative ids, follows links only inside the folder', async () => {
    const outside = tempDir('outside');
    writeFileSync(path.join(outside, 'secret.txt'), 'not yours');
    const root = tempDir('folder');
    mkdirSync(path.join(root, 'sub/deeper'), { recursive: true });
    writeFileSync(path.join(root, 'b.txt'), 'second file');
    writeFileSync(path.join(root, 'a.md'), '# first file');
    writeFileSync(path.join(root, 'sub/deeper/c.json'), JSON.stringify({ text: 'from json', type: 'memo' }));
    writeFileSync(path.join(root, 'sub/bad.json'), '{"text": 5}');
    writeFileSync(path.join(root, 'sub/empty.txt'), '  ');
    writeFileSync(path.join(root, 'image.png'), 'ignored');
    symlinkSync(path.join(root, 'b.txt'), path.join(root, 'link-inside.txt'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link-outside.txt'));
    symlinkSync(outside, path.join(root, 'linked-dir'));

    const records = await collect(root);
    const docs = records.flatMap((r) => (r.kind === 'doc' ? [r.doc] : []));
    expect(docs).toEqual([
      { id: 'a.md', text: '# first file' },
      { id: 'b.txt', text: 'second file' },
      { id: 'link-inside.txt', text: 'second file' },
      { id: 'sub/deeper/c.json', text: 'from json', type: 'memo' },
    ]);
    const rejects = records.flatMap((r) => (r.kind === 'reject' ? [[path.relative(root, r.origin.file), r.reason]] : []));
    expect(rejects).toEqual([
      ['link-outside.txt', expect.stringMatching(/outside the input folder/)],
      ['sub/bad.json', expect.stringMatching(/"text" must be a string/)],
      ['sub/empty.txt', expect.stringMatching(/"text" is missing or empty/)],
    ]);
    expect(JSON.stringify(records)).not.toContain('not yours');
  });
});

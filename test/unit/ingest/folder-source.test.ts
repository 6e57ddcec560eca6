import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileRecord, folderRecords } from '../../../src/ingest/folder-source.js';
import type { InputRecord } from '../../../src/ingest/input-record.js';
import { tempDir } from '../../helpers/cli.js';

const limits = { maxDocBytes: 1_000, maxIdLength: 100 };

async function collect(root: string, lim = limits): Promise<InputRecord[]> {
  const records: InputRecord[] = [];
  for await (const record of folderRecords(root, lim)) records.push(record);
  return records;
}

const docsOf = (records: InputRecord[]) => records.flatMap((r) => (r.kind === 'doc' ? [r.doc] : []));
const rejectsOf = (records: InputRecord[], root: string) =>
  records.flatMap((r) => (r.kind === 'reject' ? [[path.relative(root, r.origin.file), r.reason]] : []));

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
    expect(docsOf(records)).toEqual([
      { id: 'a.md', text: '# first file' },
      { id: 'b.txt', text: 'second file' },
      { id: 'link-inside.txt', text: 'second file' },
      { id: 'sub/deeper/c.json', text: 'from json', type: 'memo' },
    ]);
    expect(rejectsOf(records, root)).toEqual([
      ['link-outside.txt', expect.stringMatching(/outside the input folder/)],
      ['linked-dir', expect.stringMatching(/symbolic link to a folder; folders behind links are not walked/)],
      ['sub/bad.json', expect.stringMatching(/"text" must be a string/)],
      ['sub/empty.txt', expect.stringMatching(/"text" is missing or empty/)],
    ]);
    expect(JSON.stringify(records)).not.toContain('not yours');
  });

  it('symlink loops, links to folders inside or above, dangling links and relative escapes: reported, never followed', async () => {
    const root = tempDir('links');
    const outside = tempDir('links-outside');
    writeFileSync(path.join(outside, 'o.txt'), 'outside text');
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'sub/real.txt'), 'the only document');
    symlinkSync('loop.txt', path.join(root, 'loop.txt')); // links to itself
    symlinkSync('ping.md', path.join(root, 'pong.md'));
    symlinkSync('pong.md', path.join(root, 'ping.md'));
    symlinkSync('..', path.join(root, 'sub/up')); // a folder loop: sub/up/sub/up/...
    symlinkSync('sub', path.join(root, 'alias')); // the same files under other ids
    symlinkSync('/', path.join(root, 'rootfs'));
    symlinkSync('missing.txt', path.join(root, 'dangling.txt'));
    symlinkSync('missing', path.join(root, 'dangling-no-extension')); // not a document: ignored
    symlinkSync(`../${path.basename(outside)}/o.txt`, path.join(root, 'escape.txt'));
    symlinkSync('sub/real.txt', path.join(root, 'readme')); // a file without a document extension: ignored
    symlinkSync(path.join(outside), path.join(root, 'sub/out.json')); // a folder named like a document

    const records = await collect(root);
    expect(docsOf(records)).toEqual([{ id: 'sub/real.txt', text: 'the only document' }]);
    expect(rejectsOf(records, root)).toEqual([
      ['alias', expect.stringMatching(/link to a folder/)],
      ['dangling.txt', expect.stringMatching(/broken symbolic link/)],
      ['escape.txt', expect.stringMatching(/outside the input folder/)],
      ['loop.txt', expect.stringMatching(/broken symbolic link \(missing target, or a loop\)/)],
      ['ping.md', expect.stringMatching(/broken symbolic link/)],
      ['pong.md', expect.stringMatching(/broken symbolic link/)],
      ['rootfs', expect.stringMatching(/link to a folder/)],
      ['sub/out.json', expect.stringMatching(/link to a folder/)],
      ['sub/up', expect.stringMatching(/link to a folder/)],
    ]);
    expect(JSON.stringify(records)).not.toContain('outside text');
  });

  it('files: a BOM is dropped, invalid UTF-8 and bad JSON are rejected, NUL is text, deep meta is rejected', async () => {
    const root = tempDir('files');
    writeFileSync(path.join(root, 'bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('with a BOM\r\n')]));
    writeFileSync(path.join(root, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]));
    writeFileSync(path.join(root, 'nul.txt'), 'a\u0000b');
    writeFileSync(path.join(root, 'deep.json'), `{"text":"t","meta":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);
    writeFileSync(path.join(root, 'array.json'), `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    writeFileSync(path.join(root, 'truncated.json'), '{"text":');
    writeFileSync(path.join(root, 'id-ignored.json'), JSON.stringify({ id: '../../elsewhere', text: 'json text' }));
    writeFileSync(path.join(root, 'big.md'), 'b'.repeat(100_001));
    writeFileSync(path.join(root, 'huge.md'), 'h'.repeat(200_001));
    writeFileSync(path.join(root, `${'n'.repeat(101)}.txt`), 'long name');
    writeFileSync(path.join(root, 'ctrl\u0001name.txt'), 'control character in the name');

    const records = await collect(root, { maxDocBytes: 100_000, maxIdLength: 100 });
    expect(docsOf(records)).toEqual([
      { id: 'bom.txt', text: 'with a BOM\r\n' },
      { id: 'id-ignored.json', text: 'json text' },
      { id: 'nul.txt', text: 'a\u0000b' },
    ]);
    expect(rejectsOf(records, root)).toEqual([
      ['array.json', expect.stringMatching(/expected a JSON object, got an array/)],
      ['big.md', expect.stringMatching(/"text" is 100001 bytes, more than the limit of 100000/)],
      ['binary.txt', 'file is not valid UTF-8'],
      ['ctrl\u0001name.txt', '"id" contains a control character (U+0001 at character 5)'],
      ['deep.json', '"meta" is nested more than 64 levels deep'],
      ['huge.md', expect.stringMatching(/file is 200001 bytes, more than twice the limit of 100000/)],
      [`${'n'.repeat(101)}.txt`, expect.stringMatching(/"id" is 105 characters long, more than the limit of 100/)],
      ['truncated.json', expect.stringMatching(/invalid JSON/)],
    ]);
  });

  it('FIFOs and sockets named like documents: one reject each saying what they are, never opened (no writer would block it)', async () => {
    const root = tempDir('fifo');
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'a.txt'), 'a real document');
    execFileSync('mkfifo', [path.join(root, 'pipe.txt'), path.join(root, 'sub/pipe.json'), path.join(root, 'pipe.md'), path.join(root, 'pipe-not-a-doc')]);
    symlinkSync('pipe.txt', path.join(root, 'link-to-pipe.txt'));
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(path.join(root, 'sock.json'), resolve));
    try {
      const records = await collect(root);
      expect(docsOf(records)).toEqual([{ id: 'a.txt', text: 'a real document' }]);
      expect(rejectsOf(records, root)).toEqual([
        ['link-to-pipe.txt', 'symbolic link to something that is not a regular file; not followed'],
        ['pipe.md', 'a FIFO (named pipe), not a regular file: skipped without reading it'],
        ['pipe.txt', 'a FIFO (named pipe), not a regular file: skipped without reading it'],
        ['sock.json', 'a socket, not a regular file: skipped without reading it'],
        ['sub/pipe.json', 'a FIFO (named pipe), not a regular file: skipped without reading it'],
      ]);
      // Given as a file on the command line, or swapped in after the folder was listed: the same answer, no blocking open.
      const direct = await fileRecord(path.join(root, 'pipe.txt'), 'pipe.txt', { file: 'pipe.txt' }, limits);
      expect(direct).toEqual({ kind: 'reject', origin: { file: 'pipe.txt' }, reason: 'a FIFO (named pipe), not a regular file: skipped without reading it' });
      const device = await fileRecord('/dev/null', 'null.txt', { file: 'null.txt' }, limits);
      expect(device).toMatchObject({ kind: 'reject', reason: 'a character device, not a regular file: skipped without reading it' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an empty folder yields nothing', async () => {
    expect(await collect(tempDir('empty'))).toEqual([]);
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPORT_CHUNK_BYTES, writeLinesAtomically } from '../../../src/batches/jsonl-export.js';

describe('writeLinesAtomically', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-export-'));
    dirs.push(dir);
    return dir;
  };

  it('writes byte lines one per line, over several chunks (every newline kept, in order)', async () => {
    const file = path.join(tempDir(), 'out.jsonl');
    const line = (i: number) => JSON.stringify({ id: `d-${i}`, text: 'x'.repeat(900) });
    const count = Math.ceil((3 * EXPORT_CHUNK_BYTES) / 900) + 7; // three chunks and a partial one
    async function* lines() {
      for (let i = 0; i < count; i++) yield i % 2 === 0 ? Buffer.from(line(i)) : line(i);
    }
    expect(await writeLinesAtomically(file, lines())).toBe(count);
    const written = readFileSync(file, 'utf8').split('\n');
    expect(written.pop()).toBe('');
    expect(written).toHaveLength(count);
    expect(written.map((text) => (JSON.parse(text) as { id: string }).id)).toEqual(Array.from({ length: count }, (_, i) => `d-${i}`));
  });

  it('keeps the previous file and leaves no temporary file when reading the lines fails midway', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'out.jsonl');
    writeFileSync(file, 'previous\n');
    async function* lines() {
      for (let i = 0; i < 5_000; i++) yield Buffer.from(JSON.stringify({ id: `d-${i}`, text: 'x'.repeat(900) }));
      throw new Error('broker went away');
    }
    await expect(writeLinesAtomically(file, lines())).rejects.toMatchObject({ code: 'E_SINK', message: expect.stringContaining('broker went away') });
    expect(readFileSync(file, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
  });

  it('fails with E_SINK when the folder cannot take the file', async () => {
    const dir = tempDir();
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    async function* lines() {
      yield 'a';
    }
    await expect(writeLinesAtomically(path.join(blocker, 'out.jsonl'), lines())).rejects.toMatchObject({ code: 'E_SINK' });
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeLinesAtomically } from '../../../src/sinks/jsonl-export.js';

describe('writeLinesAtomically', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes byte lines one per line, past the stream buffer (every newline kept)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-export-'));
    dirs.push(dir);
    const file = path.join(dir, 'out.jsonl');
    const line = (i: number) => JSON.stringify({ id: `d-${i}`, text: 'x'.repeat(900) });
    async function* lines() {
      for (let i = 0; i < 5_000; i++) yield i % 2 === 0 ? Buffer.from(line(i)) : line(i);
    }
    expect(await writeLinesAtomically(file, lines())).toBe(5_000);
    const written = readFileSync(file, 'utf8').split('\n');
    expect(written.pop()).toBe('');
    expect(written).toHaveLength(5_000);
    expect(written.map((text) => (JSON.parse(text) as { id: string }).id)).toEqual(Array.from({ length: 5_000 }, (_, i) => `d-${i}`));
  });
});

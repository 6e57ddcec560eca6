import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasCode } from '../../../src/errors.js';
import { extractDocument, extractPipeline } from '../../../src/pipeline/extract/index.js';
import type { Document } from '../../../src/pipeline/types.js';
import * as fixtures from './fixtures.js';

const documents: Document[] = Object.entries(fixtures).map(([id, text]) => ({ id, text }));
const serialise = (docs: readonly Document[]): string => JSON.stringify(docs.map((doc) => extractDocument(doc)));

describe('extract pipeline', () => {
  it('is named and versioned', () => {
    expect(extractPipeline.name).toBe('extract');
    expect(extractPipeline.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('returns the same bytes for the same input, with a fixed key order', () => {
    expect(serialise(documents)).toBe(serialise(documents));
    expect(Object.keys(extractDocument(documents[0]!))).toEqual([
      'type', 'emails', 'phones', 'urls', 'dates', 'amounts', 'total', 'percentages', 'ids', 'labels',
      'keywords', 'summary', 'fingerprint', 'stats',
    ]);
  });

  it('returns the same bytes in another process with another time zone and locale', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'batchline-extract-'));
    try {
      const entry = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/pipeline/extract/index.ts')).href;
      const script = path.join(dir, 'run.mts');
      writeFileSync(
        script,
        `import { readFileSync } from 'node:fs';\nimport { extractDocument } from ${JSON.stringify(entry)};\n` +
          `const docs = JSON.parse(readFileSync(0, 'utf8'));\nprocess.stdout.write(JSON.stringify(docs.map((d) => extractDocument(d))));\n`,
      );
      const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
        input: JSON.stringify(documents),
        env: { ...process.env, TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'tr_TR.UTF-8' },
        encoding: 'utf8',
      });
      expect(output).toBe(serialise(documents));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the type the input gives instead of guessing', () => {
    const signal = new AbortController().signal;
    const given = extractPipeline.run({ id: 'a', text: fixtures.US_INVOICE, type: 'receipt' }, { signal });
    expect(given).toMatchObject({ type: 'receipt' });
    const blank = extractPipeline.run({ id: 'a', text: fixtures.US_INVOICE, type: '  ' }, { signal });
    expect(blank).toMatchObject({ type: 'invoice' });
  });

  it('handles an empty document', () => {
    const a = extractDocument({ id: 'empty', text: '' });
    expect(a).toMatchObject({ type: 'other', emails: [], dates: [], labels: [], keywords: [], summary: '', total: null });
    expect(a.stats).toEqual({ chars: 0, words: 0, lines: 0 });
  });

  it('fails a document without text with E_BAD_INPUT', () => {
    const run = (): unknown => extractDocument({ id: 'broken' } as unknown as Document);
    expect(run).toThrow(/broken has no text/);
    try {
      run();
    } catch (error) {
      expect(hasCode(error, 'E_BAD_INPUT')).toBe(true);
    }
  });

  it('stops when the job is aborted', () => {
    const controller = new AbortController();
    controller.abort(new Error('job timed out'));
    expect(() => extractPipeline.run(documents[0]!, { signal: controller.signal })).toThrow('job timed out');
  });
});

describe('extract on 1 MiB documents', () => {
  const MiB = 1024 * 1024;
  const fill = (unit: string): string => unit.repeat(Math.ceil(MiB / unit.length)).slice(0, MiB);

  it('runs a realistic batch-sized document and bounds the artifact', () => {
    const all = Object.values(fixtures).join('\n');
    const once = extractDocument({ id: 'once', text: all });
    const a = extractDocument({ id: 'big', text: fill(all) });
    // Repetition adds no new distinct values.
    expect(a.emails).toEqual(once.emails);
    expect(a.amounts).toEqual(once.amounts);
    expect(a.ids).toEqual(once.ids);
    expect(a.stats.chars).toBe(MiB);
    expect(a.labels.length).toBeLessThanOrEqual(200);
    expect(a.summary.length).toBeLessThanOrEqual(300);
    expect(JSON.stringify(a).length).toBeLessThan(64 * 1024);
  });

  // Inputs built to make a backtracking regex engine explode if any pattern allowed it.
  it.each([
    ['letters', 'a'],
    ['digits', '1'],
    ['spaced digits', '1 '],
    ['dashed digits', '12-'],
    ['dotted digits', '1.'],
    ['plus signs', '+1 '],
    ['at signs', 'a@b.'],
    ['dollar groups', '$1,'],
    ['month names', '5 March '],
    ['id keywords', 'Invoice No. '],
    ['colons', 'a:'],
    ['sentences', 'This is a sentence. '],
    ['newlines', '\n'],
    ['punctuation soup', 'Ab1.,-/:#@$€% \n'],
  ])('runs %s', (_name, unit) => {
    const a = extractDocument({ id: 'hostile', text: fill(unit) });
    expect(a.stats.chars).toBe(MiB);
  });

  it('runs a URL that never ends', () => {
    const a = extractDocument({ id: 'url', text: `https://${fill('a')}` });
    expect(a.urls).toHaveLength(1);
    expect(a.urls[0]!.length).toBeLessThanOrEqual(2048 + 8);
  });
});

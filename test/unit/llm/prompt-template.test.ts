import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErrorCode, hasCode } from '../../../src/errors.js';
import { defaultPromptFile, loadPromptTemplate, renderPrompt } from '../../../src/llm/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-prompt-'));
const write = (name: string, text: string) => {
  writeFileSync(path.join(dir, name), text);
  return name;
};
const errorOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('prompt templates', () => {
  it('defaults to the bundled examples/prompts/extract.txt', () => {
    expect(defaultPromptFile()).toBe(path.resolve('examples/prompts/extract.txt'));
    const template = loadPromptTemplate(undefined, dir);
    expect(template.text).toBe(readFileSync('examples/prompts/extract.txt', 'utf8'));
    expect(template.text).toContain('{{document}}');
    expect(template.text).toContain('{{fields}}');
  });

  it('reads llm.promptFile relative to the working directory', () => {
    const name = write('mine.txt', 'Reply in JSON about {{document}}');
    expect(loadPromptTemplate(name, dir)).toEqual({ file: path.join(dir, name), text: 'Reply in JSON about {{document}}' });
  });

  it('refuses at start-up a template that cannot work (E_CONFIG)', () => {
    const missing = errorOf(() => loadPromptTemplate('nope.txt', dir));
    expect(hasCode(missing, ErrorCode.CONFIG)).toBe(true);
    expect((missing as Error).message).toBe(`invalid config: llm.promptFile: cannot read ${path.join(dir, 'nope.txt')}`);
    const noPlaceholder = errorOf(() => loadPromptTemplate(write('a.txt', 'Reply in JSON.'), dir));
    expect((noPlaceholder as Error).message).toMatch(/has no \{\{document\}\} placeholder$/);
    const noJson = errorOf(() => loadPromptTemplate(write('b.txt', 'Summarise {{document}}'), dir));
    expect((noJson as Error).message).toMatch(/must ask for JSON/);
  });

  it('renders in one pass: placeholders inside the document stay as written', () => {
    const out = renderPrompt('F={{fields}} D={{document}} again {{document}}', { document: 'has {{fields}}', fields: { a: 1 } });
    expect(out).toBe('F={\n  "a": 1\n} D=has {{fields}} again has {{fields}}');
  });
});

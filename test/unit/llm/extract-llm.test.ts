import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandIn, startStandIn } from '../../../scripts/llm-stand-in.js';
import { configSchema } from '../../../src/config/schema.js';
import { llmVersionHash } from '../../../src/llm/index.js';
import { createExtractPipeline, type ExtractLlmArtifact, extractPipeline } from '../../../src/pipeline/extract/index.js';
import { loadPipeline } from '../../../src/pipeline/load-pipeline.js';
import { US_INVOICE } from '../extract/fixtures.js';
import { live, llmConfig } from './helpers.js';

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn({ promptTokens: 321, completionTokens: 45 });
});
afterAll(() => standIn.close());

const RULE_KEYS = ['type', 'emails', 'phones', 'urls', 'dates', 'amounts', 'total', 'percentages', 'ids', 'labels', 'keywords', 'summary', 'fingerprint', 'stats'];

describe('extract without an LLM endpoint', () => {
  it('is the rule-based pipeline itself: same object, version 1.0.0, byte-identical artifacts', async () => {
    const defaults = configSchema.parse({}).llm;
    expect(defaults.baseUrl).toBeUndefined();
    expect(createExtractPipeline({ llm: defaults })).toBe(extractPipeline);
    expect(createExtractPipeline()).toBe(extractPipeline);
    const loaded = await loadPipeline('extract', { llm: defaults });
    expect(loaded).toBe(extractPipeline);
    expect(loaded.version).toBe('1.0.0');
    const doc = { id: 'a', text: US_INVOICE };
    expect(JSON.stringify(await loaded.run(doc, { signal: live() }))).toBe(JSON.stringify(await extractPipeline.run(doc, { signal: live() })));
  });
});

describe('extract with the LLM step', () => {
  it('versions itself by model and prompt template: 1.0.0+llm.<12 hex>', () => {
    const template = readFileSync('examples/prompts/extract.txt', 'utf8');
    const pipeline = createExtractPipeline({ llm: llmConfig(standIn.url) });
    expect(pipeline.name).toBe('extract');
    expect(pipeline.version).toBe(`1.0.0+llm.${llmVersionHash('stand-in', template)}`);
    expect(pipeline.version).toMatch(/^1\.0\.0\+llm\.[0-9a-f]{12}$/);

    const otherModel = createExtractPipeline({ llm: llmConfig(standIn.url, { model: 'stand-in-2' }) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'batchline-prompt-'));
    writeFileSync(path.join(dir, 'p.txt'), `${template}\nBe brief.`);
    const otherPrompt = createExtractPipeline({ llm: llmConfig(standIn.url, { promptFile: 'p.txt' }), cwd: dir });
    const sameAgain = createExtractPipeline({ llm: llmConfig(`${standIn.url}/`, { apiKey: 'another-key', timeoutMs: 9_999 }) });
    expect(new Set([pipeline.version, otherModel.version, otherPrompt.version]).size).toBe(3);
    // Endpoint, key and timings do not change what the model is asked: same version.
    expect(sameAgain.version).toBe(pipeline.version);
  });

  it('adds `llm` and `usage` after the rule-based keys, which are unchanged', async () => {
    const pipeline = await loadPipeline('extract', { llm: llmConfig(standIn.url) });
    const doc = { id: 'inv', text: US_INVOICE };
    const artifact = (await pipeline.run(doc, { signal: live() })) as ExtractLlmArtifact;
    const ruleBased = await extractPipeline.run(doc, { signal: live() });
    expect(Object.keys(ruleBased).slice(0, RULE_KEYS.length)).toEqual(RULE_KEYS);
    expect(Object.keys(artifact)).toEqual([...Object.keys(ruleBased), 'llm', 'usage']);
    const { llm, usage, ...rules } = artifact;
    expect(JSON.stringify(rules)).toBe(JSON.stringify(ruleBased));
    // Templates are learned from the rule-based part, with the same hook as without the model.
    expect(pipeline.patterns).toBe(extractPipeline.patterns);
    expect(pipeline.patterns?.observe(artifact)).toEqual(extractPipeline.patterns?.observe(ruleBased));
    expect(Object.keys(llm)).toEqual(['model', 'documentType', 'summary', 'entities', 'fields']);
    expect(usage).toEqual({ calls: 1, tokensIn: 321, tokensOut: 45 });
    expect(JSON.parse(JSON.stringify(artifact))).toEqual(artifact);
  });

  it('fails the document with E_BAD_INPUT before any call when it has no text', async () => {
    const before = standIn.stats().requests;
    const pipeline = createExtractPipeline({ llm: llmConfig(standIn.url) });
    await expect(pipeline.run({ id: 'x' } as never, { signal: live() })).rejects.toMatchObject({ code: 'E_BAD_INPUT' });
    expect(standIn.stats().requests).toBe(before);
  });
});

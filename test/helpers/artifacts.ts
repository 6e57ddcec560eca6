import { readFileSync } from 'node:fs';
import { extractPipeline } from '../../src/pipeline/index.js';
import { readJsonl } from './cli.js';

/**
 * The ids of result lines whose artifact is not exactly what the built-in `extract`
 * pipeline makes of that document: whether an artifact came from the pipeline or from the
 * cache, it must be the same.
 */
export async function wrongArtifacts(inputFile: string, resultsFile: string): Promise<string[]> {
  const docs = new Map(readJsonl<{ id: string; text: string }>(readFileSync(inputFile, 'utf8')).map((doc) => [doc.id, doc]));
  const lines = readJsonl<{ id: string; artifact: unknown }>(readFileSync(resultsFile, 'utf8'));
  const signal = new AbortController().signal;
  const wrong: string[] = [];
  for (const line of lines) {
    const doc = docs.get(line.id);
    const expected = doc ? JSON.stringify(await extractPipeline.run(doc, { signal })) : undefined;
    if (JSON.stringify(line.artifact) !== expected) wrong.push(line.id);
  }
  return wrong;
}

import { type ExtractArtifact, extractPipeline } from '../../../src/pipeline/extract/index.js';

/** Runs the pipeline the way a worker does, with a live signal. */
export function extract(text: string, type?: string): ExtractArtifact {
  const doc = type === undefined ? { id: 'doc-1', text } : { id: 'doc-1', text, type };
  return extractPipeline.run(doc, { signal: new AbortController().signal }) as ExtractArtifact;
}

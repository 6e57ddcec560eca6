/**
 * The pipeline area's public face: what a pipeline is (documents in, artifacts out), how
 * one is loaded by name, and the built-in `extract` pipeline's template observation.
 */
export { createExtractPipeline, extractDocument, extractPipeline, templateFingerprint } from './extract/index.js';
export { observeTemplate } from './extract/pattern-hints.js';
export { loadPipeline } from './load-pipeline.js';
export type { Artifact, Document, PatternHint, PatternLookup, Pipeline, PipelineContext } from './types.js';

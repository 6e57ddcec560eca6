/**
 * The pipeline area's public face: what a pipeline is (documents in, artifacts out, and
 * optionally a pattern hook through which its templates are learned), how one is loaded by
 * name or found by the id its results carry, and the built-in `extract` pipeline.
 */
export { createExtractPipeline, extractDocument, extractPipeline, templateFingerprint } from './extract/index.js';
export { type PipelineFinder, pipelineFinder } from './find-pipeline.js';
export { loadPipeline } from './load-pipeline.js';
export type { Artifact, Document, PatternHint, PatternHook, PatternLookup, Pipeline, PipelineContext, TemplateObservation } from './types.js';

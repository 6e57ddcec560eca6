/** The built-in `extract` pipeline: what other areas import from here. */
export { type ExtractArtifact, extractDocument, extractPipeline } from './extract-pipeline.js';
export { createExtractPipeline, type ExtractLlmArtifact, type ExtractPipelineOptions } from './create-extract-pipeline.js';
export type { FoundDate } from './dates.js';
export type { DocumentKind } from './doc-type.js';
export { templateFingerprint } from './fingerprint.js';
export type { Identifier, IdKind } from './identifiers.js';
export type { LabelPair } from './labels.js';
export type { Money } from './money.js';
export type { Percentage } from './percentages.js';

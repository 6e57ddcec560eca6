/**
 * The patterns area's public face: learning document templates after each batch (a
 * `learn-patterns` job queued on the batch store's "batch finished" event, run on the
 * `patterns` queue through the pipeline's pattern hook), keeping them in the cache
 * (PATTERN tier) and handing them to the pipeline as hints.
 */
export type { ResultSource } from './batch-templates.js';
export { type LearnDeps, type LearnOutcome, type LearnSettings, learnPatterns } from './learn-patterns.js';
export { LEARN_PATTERNS_JOB, type LearnJobData, learnJobId, learnsPatterns, learnWhenBatchesFinish, waitForLearning } from './learn-trigger.js';
export { FINGERPRINT_RE, type PatternScope, parsePipelineId, patternIndexKey, patternKey } from './pattern-keys.js';
export { createPatternLookup, type PatternLookupOptions } from './pattern-lookup.js';
export { comparePatterns, formatPattern, formatPatternList, type PatternSummary, summarizePattern } from './pattern-report.js';
export { PatternStore } from './pattern-store.js';
export {
  deriveView,
  MAX_PATTERN_BATCHES,
  MAX_PATTERN_LABELS,
  mergePattern,
  PATTERN_FORMAT,
  type PatternThresholds,
  parseStoredPattern,
  type StoredPattern,
  type TemplateCounts,
  toHint,
} from './stored-pattern.js';
export { patternLookupForWorker } from './worker-patterns.js';

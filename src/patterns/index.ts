/**
 * The patterns area's public face: learning document templates after each batch (the
 * `patterns` queue), keeping them in the cache (PATTERN tier) and handing them to the
 * pipeline as hints.
 */
export { type LearnDeps, type LearnOutcome, type LearnSettings, learnPatterns, type ResultSource } from './learn-patterns.js';
export {
  LEARN_PATTERNS_JOB,
  type LearnJobData,
  LearnTrigger,
  learnJobId,
  learnsPatterns,
  queueLearning,
  waitForLearning,
} from './learn-trigger.js';
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
export { patternsForWorker, type WorkerPatterns } from './worker-patterns.js';

import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Cache } from '../cache/index.js';
import type { PipelineFinder } from '../pipeline/index.js';
import type { Clock } from '../time.js';
import { BatchTemplates, type ResultSource } from './batch-templates.js';
import { type PatternScope, parsePipelineId } from './pattern-keys.js';
import { PatternStore } from './pattern-store.js';
import { addObservation, emptyCounts, mergePattern, type PatternThresholds, type TemplateCounts } from './stored-pattern.js';

/** What learning needs from the config (`patterns.*`). */
export interface LearnSettings extends PatternThresholds {
  /** Documents of one template a batch must hold before its first pattern is learned. */
  readonly minDocuments: number;
}

export interface LearnDeps {
  readonly results: ResultSource;
  /** The pipelines by the id their results carry: each one's pattern hook reads its artifacts. */
  readonly pipelines: PipelineFinder;
  readonly cache: Cache;
  /** `cache.namespace`. */
  readonly namespace: string;
  readonly settings: LearnSettings;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What a `learn-patterns` job did; kept as the job's return value. */
export interface LearnOutcome {
  status: 'learned' | 'skipped';
  /** Why nothing (more) was stored, when skipped. */
  reason?: string;
  /** Successful results with a template fingerprint. */
  documents: number;
  /** Templates whose counts were stored (new or merged). */
  created: number;
  updated: number;
  /** Templates this batch had already been merged into (a re-run job): not counted again. */
  unchanged: number;
}

/** A batch can hold millions of distinct fingerprints (free text): past this many, new ones are not tracked. */
const MAX_TRACKED = 200_000;
/** How long one learner holds a template's merge lock, and waits for another's. */
const LOCK_MS = 5_000;

type Groups<T> = Map<string, Map<string, T>>;

/**
 * One `learn-patterns` job: group the batch's successful artifacts by pipeline and template
 * fingerprint, learn each template seen at least `minDocuments` times (or already known),
 * and merge it into the stored pattern under the PATTERN tier. What an artifact shows is
 * read by its pipeline's pattern hook (`Pipeline.patterns`); a pipeline without one
 * teaches nothing. Reads the results twice (counting, then observing only the templates
 * kept) so memory stays bounded by the number of templates, not documents. Patterns are
 * optional: when the cache cannot be reached the job stops and says so, it never fails for it.
 */
export async function learnPatterns(batchId: string, deps: LearnDeps): Promise<LearnOutcome> {
  const outcome: LearnOutcome = { status: 'learned', documents: 0, created: 0, updated: 0, unchanged: 0 };
  const skip = (reason: string): LearnOutcome => {
    deps.logger.warn({ batchId, reason }, 'patterns: learning stopped');
    return { ...outcome, status: 'skipped', reason };
  };
  if (deps.cache.mode !== 'l1+l2') return { ...outcome, status: 'skipped', reason: 'no cache Redis to keep patterns in' };

  const templates = new BatchTemplates(deps.results, deps.pipelines, batchId, deps.logger);
  const sizes: Groups<number> = new Map();
  let tracked = 0;
  for await (const { pipelineId, fingerprint } of templates.fingerprints()) {
    outcome.documents++;
    const group = sizes.get(pipelineId) ?? new Map<string, number>();
    sizes.set(pipelineId, group);
    const seen = group.get(fingerprint);
    if (seen === undefined && tracked >= MAX_TRACKED) continue;
    if (seen === undefined) tracked++;
    group.set(fingerprint, (seen ?? 0) + 1);
  }

  // Templates to learn: frequent enough in this batch, or already known (their counts add up).
  const stores = new Map<string, PatternStore>();
  const counts: Groups<TemplateCounts> = new Map();
  for (const [pipelineId, group] of sizes) {
    const identity = parsePipelineId(pipelineId);
    if (!identity) continue;
    const scope: PatternScope = { namespace: deps.namespace, ...identity };
    const store = new PatternStore(deps.cache, scope);
    stores.set(pipelineId, store);
    const rare = [...group].filter(([, n]) => n < deps.settings.minDocuments).map(([fingerprint]) => fingerprint);
    const known = rare.length > 0 ? await store.known(rare) : new Set<string>();
    if (known === undefined) return skip('the cache Redis did not answer');
    const kept = new Map<string, TemplateCounts>();
    for (const [fingerprint, n] of group) if (n >= deps.settings.minDocuments || known.has(fingerprint)) kept.set(fingerprint, emptyCounts());
    if (kept.size > 0) counts.set(pipelineId, kept);
  }
  if (counts.size === 0) return outcome;

  for await (const { pipelineId, observation } of templates.observations()) {
    const into = counts.get(pipelineId)?.get(observation.fingerprint);
    if (into) addObservation(into, observation);
  }

  const token = randomBytes(8).toString('hex');
  for (const [pipelineId, group] of counts) {
    const store = stores.get(pipelineId)!;
    for (const [fingerprint, batchCounts] of group) {
      const locked = await lockTemplate(store, fingerprint, token);
      if (locked === undefined) return skip('the cache Redis did not answer');
      try {
        const existing = await store.latest(fingerprint);
        if (existing === undefined) return skip('the cache Redis did not answer');
        if (existing?.batches.includes(batchId)) {
          outcome.unchanged++;
          continue;
        }
        // Known by the index but gone since (expired, evicted): a first pattern needs enough documents.
        if (!existing && batchCounts.documents < deps.settings.minDocuments) continue;
        const identity = { fingerprint, pipeline: store.scope.pipeline, version: store.scope.version, batchId };
        const merged = mergePattern(existing ?? undefined, batchCounts, identity, deps.settings, deps.clock.now());
        if (!(await store.save(merged, `patterns.${batchId}`))) return skip('the cache Redis did not answer');
        if (existing) outcome.updated++;
        else outcome.created++;
      } finally {
        if (locked) await store.unlock(fingerprint, token);
      }
    }
  }
  deps.logger.info({ batchId, ...outcome }, 'patterns: learned');
  return outcome;
}

/**
 * Takes a template's merge lock, waiting for another learner's to be released or to
 * expire. True when taken; false when it could not be (the merge goes ahead: a lost update
 * costs one batch's counts of a hint); undefined when the cache did not answer.
 */
async function lockTemplate(store: PatternStore, fingerprint: string, token: string): Promise<boolean | undefined> {
  const deadline = Date.now() + LOCK_MS + 500;
  for (;;) {
    const taken = await store.lock(fingerprint, token, LOCK_MS);
    if (taken !== false || Date.now() >= deadline) return taken;
    await sleep(50);
  }
}

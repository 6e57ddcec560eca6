import { z } from 'zod';
import type { PatternHint, TemplateObservation } from '../pipeline/index.js';

/**
 * A learned pattern as stored in the cache: the counts it was learned from (so batches
 * merge by adding them up) and the view derived from them with the thresholds of the last
 * learner (what the pipeline gets). Bump {@link PATTERN_FORMAT} when the shape changes;
 * stored patterns of another format then read as absent and are learned again.
 */
export const PATTERN_FORMAT = 1;
/** Most labels counted per template (the most frequent are kept): bounds a pattern's size. */
export const MAX_PATTERN_LABELS = 200;
/** Batches remembered per pattern, newest first: a batch already in the list is not counted twice. */
export const MAX_PATTERN_BATCHES = 20;

/** Thresholds of the derived view (`patterns.*` in the config). */
export interface PatternThresholds {
  /** Share of documents a label must appear in to join the vocabulary. */
  readonly minLabelShare: number;
  /** Share of documents in which a field must be non-empty to join the layout. */
  readonly minFieldShare: number;
  /** Share of documents the dominant type needs to be the pattern's type. */
  readonly minTypeShare: number;
}

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

const storedPatternSchema = z.object({
  format: z.literal(PATTERN_FORMAT),
  fingerprint: z.string().min(1),
  pipeline: z.string().min(1),
  version: z.string().min(1),
  /** Documents counted, over every batch merged. */
  documents: z.number().int().positive(),
  counts: z.object({
    /** Label → documents holding it. */
    labels: counts,
    /** Field (`emails`, `total`, `ids.invoice`, ...) → documents where it was non-empty. */
    fields: counts,
    /** Type (built-in kinds and `other`) → documents the rules gave it. */
    types: counts,
    /** Label → field → documents whose value of that label fed that field. */
    labelFields: z.record(z.string(), counts),
  }),
  learned: z.object({
    /** Dominant type when its share reaches `minTypeShare`, else null. */
    type: z.string().nullable(),
    /** Share of documents of the most common type other than `other` (0-1). */
    typeShare: z.number().min(0).max(1),
    /** The label vocabulary, most frequent first. */
    labels: z.array(z.string()),
    /** The field layout: fields usually non-empty. */
    fields: z.array(z.string()),
    /** Vocabulary label → the field its value usually feeds. */
    labelFields: z.record(z.string(), z.string()),
  }),
  /** Batch ids merged, newest first (at most MAX_PATTERN_BATCHES). */
  batches: z.array(z.string()),
  /** When the pattern was first learned and last updated (epoch ms). */
  firstLearnedAt: count,
  updatedAt: count,
});

export type StoredPattern = z.infer<typeof storedPatternSchema>;

/** A value read from the cache as a pattern; undefined when it is anything else. */
export function parseStoredPattern(value: unknown): StoredPattern | undefined {
  const parsed = storedPatternSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** What the pipeline is handed (`context.patterns.get`). */
export function toHint(pattern: StoredPattern): PatternHint {
  const { learned } = pattern;
  return {
    fingerprint: pattern.fingerprint,
    documents: pattern.documents,
    type: learned.type,
    labels: learned.labels,
    fields: learned.fields,
    labelFields: learned.labelFields,
  };
}

/** Counts of one template in one batch (or several), before they are stored. */
export interface TemplateCounts {
  documents: number;
  readonly labels: Map<string, number>;
  readonly fields: Map<string, number>;
  readonly types: Map<string, number>;
  readonly labelFields: Map<string, Map<string, number>>;
}

export function emptyCounts(): TemplateCounts {
  return { documents: 0, labels: new Map(), fields: new Map(), types: new Map(), labelFields: new Map() };
}

/** One document's contribution, as its pipeline's pattern hook observed it. */
export type Observation = Omit<TemplateObservation, 'fingerprint'>;

export function addObservation(into: TemplateCounts, observation: Observation): void {
  into.documents++;
  if (observation.type !== undefined) bump(into.types, observation.type, 1);
  for (const label of new Set(observation.labels)) bump(into.labels, label, 1);
  for (const field of new Set(observation.fields)) bump(into.fields, field, 1);
  for (const [label, field] of observation.labelFields) {
    const fields = into.labelFields.get(label) ?? new Map<string, number>();
    into.labelFields.set(label, fields);
    bump(fields, field, 1);
  }
}

/**
 * `existing` (may be undefined) plus one batch's counts, with the derived view recomputed
 * from the sums. Counts add up; labels beyond MAX_PATTERN_LABELS are dropped, least frequent first.
 */
export function mergePattern(
  existing: StoredPattern | undefined,
  batch: TemplateCounts,
  identity: { fingerprint: string; pipeline: string; version: string; batchId: string },
  thresholds: PatternThresholds,
  now: number,
): StoredPattern {
  const sum = emptyCounts();
  sum.documents = (existing?.documents ?? 0) + batch.documents;
  const add = (into: Map<string, number>, from: Iterable<readonly [string, number]>) => {
    for (const [key, n] of from) bump(into, key, n);
  };
  add(sum.labels, Object.entries(existing?.counts.labels ?? {}));
  add(sum.labels, batch.labels);
  add(sum.fields, Object.entries(existing?.counts.fields ?? {}));
  add(sum.fields, batch.fields);
  add(sum.types, Object.entries(existing?.counts.types ?? {}));
  add(sum.types, batch.types);
  const keptLabels = byCount(sum.labels).slice(0, MAX_PATTERN_LABELS);
  const kept = new Set(keptLabels.map(([label]) => label));
  const labelFields = new Map<string, Map<string, number>>();
  const addLabelFields = (from: Iterable<readonly [string, Iterable<readonly [string, number]>]>) => {
    for (const [label, fields] of from) {
      if (!kept.has(label)) continue;
      const into = labelFields.get(label) ?? new Map<string, number>();
      labelFields.set(label, into);
      add(into, fields);
    }
  };
  addLabelFields(Object.entries(existing?.counts.labelFields ?? {}).map(([label, fields]) => [label, Object.entries(fields)] as const));
  addLabelFields(batch.labelFields);
  const stored: Omit<StoredPattern, 'learned'> = {
    format: PATTERN_FORMAT,
    fingerprint: identity.fingerprint,
    pipeline: identity.pipeline,
    version: identity.version,
    documents: sum.documents,
    counts: {
      labels: Object.fromEntries(keptLabels),
      fields: Object.fromEntries(byCount(sum.fields)),
      types: Object.fromEntries(byCount(sum.types)),
      labelFields: Object.fromEntries([...labelFields].sort(([a], [b]) => compare(a, b)).map(([label, fields]) => [label, Object.fromEntries(byCount(fields))])),
    },
    batches: [identity.batchId, ...(existing?.batches ?? []).filter((id) => id !== identity.batchId)].slice(0, MAX_PATTERN_BATCHES),
    firstLearnedAt: existing?.firstLearnedAt ?? now,
    updatedAt: now,
  };
  return { ...stored, learned: deriveView(stored, thresholds) };
}

/** The vocabulary, layout, label → field map and type that `counts` support at these thresholds. */
export function deriveView(pattern: Pick<StoredPattern, 'documents' | 'counts'>, thresholds: PatternThresholds): StoredPattern['learned'] {
  const { documents, counts: c } = pattern;
  const reaches = (n: number, share: number) => n >= share * documents - 1e-9;
  const labels = byCount(new Map(Object.entries(c.labels)))
    .filter(([, n]) => reaches(n, thresholds.minLabelShare))
    .map(([label]) => label);
  const fields = byCount(new Map(Object.entries(c.fields)))
    .filter(([, n]) => reaches(n, thresholds.minFieldShare))
    .map(([field]) => field);
  const labelFields: [string, string][] = [];
  for (const label of [...labels].sort(compare)) {
    const seen = c.labels[label] ?? 0;
    const best = byCount(new Map(Object.entries(c.labelFields[label] ?? {})))[0];
    // A label maps to a field when most documents holding it fed that field with its value.
    if (best && seen > 0 && best[1] >= thresholds.minLabelShare * seen - 1e-9) labelFields.push([label, best[0]]);
  }
  const [dominant] = byCount(new Map(Object.entries(c.types).filter(([type]) => type !== 'other')));
  const typeShare = dominant ? Math.round((dominant[1] / documents) * 1_000) / 1_000 : 0;
  const type = dominant && reaches(dominant[1], thresholds.minTypeShare) ? dominant[0] : null;
  return { type, typeShare: Math.min(1, typeShare), labels, fields, labelFields: Object.fromEntries(labelFields) };
}

function bump(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

/** Most frequent first, then by name: the same counts always give the same order. */
function byCount(map: ReadonlyMap<string, number>): [string, number][] {
  return [...map].sort(([a, x], [b, y]) => y - x || compare(a, b));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

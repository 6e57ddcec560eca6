import { describe, expect, it } from 'vitest';
import { parsePipelineId, patternIndexKey, patternKey } from '../../../src/patterns/index.js';
import {
  addObservation,
  deriveView,
  emptyCounts,
  MAX_PATTERN_BATCHES,
  MAX_PATTERN_LABELS,
  mergePattern,
  type Observation,
  parseStoredPattern,
  type TemplateCounts,
  toHint,
} from '../../../src/patterns/stored-pattern.js';

const thresholds = { minLabelShare: 0.8, minFieldShare: 0.8, minTypeShare: 0.6 };
const identity = (batchId: string) => ({ fingerprint: 'f00dfacecafebeef', pipeline: 'extract', version: '1.0.0', batchId });

function observation(overrides: Partial<Observation> = {}): Observation {
  return {
    type: 'invoice',
    labels: ['invoice no', 'customer', 'amount due'],
    fields: ['emails', 'total', 'ids.invoice'],
    labelFields: [
      ['invoice no', 'ids.invoice'],
      ['amount due', 'total'],
    ],
    ...overrides,
  };
}

function countsOf(observations: readonly Observation[]): TemplateCounts {
  const counts = emptyCounts();
  for (const o of observations) addObservation(counts, o);
  return counts;
}

describe('learned patterns', () => {
  it('count documents per label, field, type and label → field', () => {
    const counts = countsOf([observation(), observation(), observation({ type: 'other', labels: ['customer'], fields: [], labelFields: [] })]);
    expect(counts.documents).toBe(3);
    expect(Object.fromEntries(counts.labels)).toEqual({ 'invoice no': 2, customer: 3, 'amount due': 2 });
    expect(Object.fromEntries(counts.types)).toEqual({ invoice: 2, other: 1 });
    expect(Object.fromEntries(counts.labelFields.get('amount due')!)).toEqual({ total: 2 });
  });

  it('derive the vocabulary, layout, label → field map and dominant type from the thresholds', () => {
    const docs = [
      ...Array.from({ length: 8 }, () => observation()),
      observation({ type: 'other', labels: ['customer', 'note'], fields: ['emails'], labelFields: [] }),
      observation({ type: 'contract', labels: ['customer', 'invoice no', 'amount due'], labelFields: [['amount due', 'amounts']] }),
    ];
    const pattern = mergePattern(undefined, countsOf(docs), identity('b1'), thresholds, 1_000);
    expect(pattern.documents).toBe(10);
    expect(pattern.learned).toEqual({
      type: 'invoice',
      typeShare: 0.8,
      labels: ['customer', 'amount due', 'invoice no'], // most frequent first, then by name; `note` (10 %) is out
      fields: ['emails', 'ids.invoice', 'total'],
      labelFields: { 'amount due': 'total', 'invoice no': 'ids.invoice' },
    });
    expect(deriveView(pattern, { ...thresholds, minTypeShare: 0.9, minLabelShare: 0.95 })).toMatchObject({
      type: null,
      typeShare: 0.8,
      labels: ['customer'],
      labelFields: {},
    });
  });

  it('never make `other` the dominant type', () => {
    const pattern = mergePattern(undefined, countsOf(Array.from({ length: 6 }, () => observation({ type: 'other' }))), identity('b1'), thresholds, 0);
    expect(pattern.learned).toMatchObject({ type: null, typeShare: 0 });
  });

  it('merge by adding counts up, newest batch first, first-learned time kept', () => {
    const first = mergePattern(undefined, countsOf([observation(), observation()]), identity('b1'), thresholds, 1_000);
    const second = mergePattern(first, countsOf([observation({ type: 'email', labels: ['subject'], fields: [], labelFields: [] })]), identity('b2'), thresholds, 2_000);
    expect(second.documents).toBe(3);
    expect(second.counts.labels).toEqual({ customer: 2, 'amount due': 2, 'invoice no': 2, subject: 1 });
    expect(second.counts.types).toEqual({ invoice: 2, email: 1 });
    expect(second.batches).toEqual(['b2', 'b1']);
    expect(second).toMatchObject({ firstLearnedAt: 1_000, updatedAt: 2_000 });
    expect(second.learned.type).toBe('invoice');
  });

  it('stay bounded: most frequent labels and the latest batches only', () => {
    const labels = Array.from({ length: MAX_PATTERN_LABELS + 50 }, (_, i) => `label ${String(i).padStart(3, '0')}`);
    let pattern = mergePattern(undefined, countsOf([observation({ labels })]), identity('b0'), thresholds, 0);
    for (let i = 1; i <= MAX_PATTERN_BATCHES + 5; i++) pattern = mergePattern(pattern, countsOf([observation()]), identity(`b${i}`), thresholds, i);
    expect(Object.keys(pattern.counts.labels)).toHaveLength(MAX_PATTERN_LABELS);
    expect(pattern.counts.labels['invoice no']).toBe(MAX_PATTERN_BATCHES + 5);
    expect(pattern.batches).toHaveLength(MAX_PATTERN_BATCHES);
    expect(pattern.batches[0]).toBe(`b${MAX_PATTERN_BATCHES + 5}`);
  });

  it('read back only in their own format', () => {
    const pattern = mergePattern(undefined, countsOf([observation()]), identity('b1'), thresholds, 5);
    expect(parseStoredPattern(JSON.parse(JSON.stringify(pattern)))).toEqual(pattern);
    expect(parseStoredPattern({ ...pattern, format: 2 })).toBeUndefined();
    expect(parseStoredPattern({ ...pattern, documents: 0 })).toBeUndefined();
    expect(parseStoredPattern({ ...pattern, learned: { ...pattern.learned, labels: 'x' } })).toBeUndefined();
    expect(parseStoredPattern('pattern')).toBeUndefined();
    expect(toHint(pattern)).toEqual({
      fingerprint: 'f00dfacecafebeef',
      documents: 1,
      type: 'invoice',
      labels: pattern.learned.labels,
      fields: pattern.learned.fields,
      labelFields: pattern.learned.labelFields,
    });
  });

  it('live under the cache namespace, pipeline name and version', () => {
    const scope = { namespace: 'ns', pipeline: 'extract', version: '1.0.0+llm.ab12' };
    expect(patternKey(scope, 'f00d')).toBe('ns:extract:1.0.0%2Bllm.ab12:-:pat:f00d');
    expect(patternIndexKey(scope)).toBe('ns:extract:1.0.0%2Bllm.ab12:-:pat-index');
    expect(parsePipelineId('extract@1.0.0@x')).toEqual({ pipeline: 'extract', version: '1.0.0@x' });
    expect(parsePipelineId('extract')).toBeUndefined();
  });
});

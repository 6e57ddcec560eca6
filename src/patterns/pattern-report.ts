import { type StoredPattern, toHint } from './stored-pattern.js';

/** One line of `patterns list --json`: what was learned, without the raw counts. */
export interface PatternSummary {
  pipeline: string;
  version: string;
  fingerprint: string;
  documents: number;
  type: string | null;
  typeShare: number;
  labels: string[];
  fields: string[];
  labelFields: Record<string, string>;
  batches: number;
  firstLearnedAt: string;
  updatedAt: string;
}

/** What the pipeline is handed (`toHint`), with where it came from and when. */
export function summarizePattern(pattern: StoredPattern): PatternSummary {
  const { labels, fields, labelFields, ...hint } = toHint(pattern);
  return {
    pipeline: pattern.pipeline,
    version: pattern.version,
    ...hint,
    typeShare: pattern.learned.typeShare,
    labels: [...labels],
    fields: [...fields],
    labelFields: { ...labelFields },
    batches: pattern.batches.length,
    firstLearnedAt: new Date(pattern.firstLearnedAt).toISOString(),
    updatedAt: new Date(pattern.updatedAt).toISOString(),
  };
}

/** Pipeline, version, then most documents first: the order `list` prints. */
export function comparePatterns(a: StoredPattern, b: StoredPattern): number {
  return cmp(a.pipeline, b.pipeline) || cmp(a.version, b.version) || b.documents - a.documents || cmp(a.fingerprint, b.fingerprint);
}

/** `patterns list` as text: one table per pipeline version. */
export function formatPatternList(patterns: readonly StoredPattern[]): string {
  if (patterns.length === 0) return 'no patterns learned yet (they are learned after each batch, for templates seen at least patterns.minDocuments times)\n';
  const out: string[] = [];
  let scope = '';
  for (const pattern of patterns) {
    const id = `${pattern.pipeline}@${pattern.version}`;
    if (id !== scope) {
      scope = id;
      const count = patterns.filter((p) => `${p.pipeline}@${p.version}` === id).length;
      if (out.length > 0) out.push('');
      out.push(`${id}: ${count} pattern${count === 1 ? '' : 's'}`);
      out.push(row('fingerprint', 'docs', 'type', 'labels', 'fields', 'updated'));
    }
    const { learned } = pattern;
    out.push(
      row(
        pattern.fingerprint,
        String(pattern.documents),
        learned.type ?? '-',
        String(learned.labels.length),
        String(learned.fields.length),
        new Date(pattern.updatedAt).toISOString().replace(/\.\d+Z$/, 'Z'),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

/** `patterns show` as text. */
export function formatPattern(pattern: StoredPattern): string {
  const { learned, counts, documents } = pattern;
  const share = (fraction: number) => `${Math.round(fraction * 100)}%`;
  const pct = (n: number) => share(n / documents);
  const lines = [
    `pattern ${pattern.fingerprint} (${pattern.pipeline}@${pattern.version})`,
    `documents   ${documents}, from ${pattern.batches.length} batch${pattern.batches.length === 1 ? '' : 'es'} (latest ${pattern.batches[0] ?? '-'})`,
    `type        ${learned.type === null ? `none dominates (the most common covers ${share(learned.typeShare)})` : `${learned.type} (${share(learned.typeShare)} of documents)`}`,
    `learned     ${new Date(pattern.firstLearnedAt).toISOString()}, updated ${new Date(pattern.updatedAt).toISOString()}`,
    `labels      ${learned.labels.map((label) => `${label} ${pct(counts.labels[label] ?? 0)}`).join(', ') || '-'}`,
    `fields      ${learned.fields.map((field) => `${field} ${pct(counts.fields[field] ?? 0)}`).join(', ') || '-'}`,
  ];
  const mapped = Object.entries(learned.labelFields);
  lines.push(`label → field${mapped.length === 0 ? '  -' : ''}`);
  for (const [label, field] of mapped) lines.push(`  ${label} → ${field}`);
  return `${lines.join('\n')}\n`;
}

function row(...cells: string[]): string {
  const widths = [18, 7, 16, 7, 7, 20];
  return `  ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' ').trimEnd()}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

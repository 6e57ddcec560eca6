import { parseArgs } from 'node:util';
import { configSchema } from '../../src/config/schema.js';
import { resolveSemanticSettings, SemanticIndex, type SemanticMode, SemanticSigner } from '../../src/semantic/index.js';
import { buildCorpus, DUPLICATE_KINDS, BEYOND_GUARD_KIND, NEGATIVE_KINDS } from './corpus.js';
import { buildProseCorpus, PROSE_DUPLICATE_KINDS, PROSE_NEGATIVE_KINDS } from './prose-corpus.js';

/**
 * Accuracy harness of the semantic lookup, through the real index (canonical form, MinHash,
 * banding, fingerprints), in both modes, on two corpora:
 *   - free prose of eight domains (prose-corpus.ts): duplicates that differ in formatting
 *     alone, and hard negatives that change one word, sign, symbol, value or sentence;
 *   - labelled forms (corpus.ts): the `Label: value` documents the similar-mode guard was
 *     designed on, including reworded boilerplate and reordered label lines.
 * Every served negative is a wrong artifact delivered. Exit code 1 when strict mode misses
 * its targets: 0 negatives served, ≥ 97 % of the prose duplicates served.
 *
 *   npm run eval -- semantic [--per-domain 60] [--per-template 100] [--seed 1] [--similar-thresholds 0.75,0.9,0.98]
 */

const SCOPE = { pipeline: 'eval', version: '1' };
const TARGET_DUPLICATES_SERVED = 0.97;

interface Labelled {
  readonly base: number;
  readonly kind: string;
  readonly duplicate: boolean;
  readonly text: string;
}

interface Corpus {
  readonly name: string;
  readonly originals: readonly string[];
  readonly variants: readonly Labelled[];
  readonly duplicateKinds: readonly string[];
  readonly negativeKinds: readonly string[];
}

/** Served counts per kind: `right` = the variant's own original served (duplicates); `served` = anything served. */
interface Tally {
  total: number;
  served: number;
  right: number;
}

function evaluate(corpus: Corpus, mode: SemanticMode, threshold: number): Map<string, Tally> {
  const defaults = configSchema.parse({}).semantic;
  const signer = new SemanticSigner(resolveSemanticSettings({ ...defaults, mode, threshold }));
  const index = new SemanticIndex({ signer, maxEntries: corpus.originals.length + 1 });
  for (const [i, text] of corpus.originals.entries()) index.add(text, SCOPE, { key: `base:${i}`, docId: String(i), ttlMs: 3_600_000 });
  const tallies = new Map<string, Tally>();
  for (const variant of corpus.variants) {
    const hit = index.query(variant.text, SCOPE);
    const tally = tallies.get(variant.kind) ?? { total: 0, served: 0, right: 0 };
    tally.total++;
    if (hit) tally.served++;
    if (hit?.key === `base:${variant.base}`) tally.right++;
    tallies.set(variant.kind, tally);
  }
  return tallies;
}

const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(1)}%`);

function sum(tallies: Map<string, Tally>, kinds: readonly string[], field: 'served' | 'right' | 'total'): number {
  return kinds.reduce((acc, kind) => acc + (tallies.get(kind)?.[field] ?? 0), 0);
}

interface Column {
  readonly label: string;
  readonly tallies: Map<string, Tally>;
}

function printTable(corpus: Corpus, columns: readonly Column[]): void {
  const header = `${'kind'.padEnd(22)} ${'count'.padStart(6)}  ${columns.map((c) => c.label.padStart(16)).join('  ')}`;
  console.log(`\n${corpus.name}: ${corpus.originals.length} originals indexed, ${corpus.variants.length} variants queried`);
  console.log(`\nduplicates (served with their own original's artifact; higher is better)\n${header}`);
  const row = (kind: string, field: 'right' | 'served') => {
    const total = columns[0]!.tallies.get(kind)?.total ?? 0;
    const cells = columns.map((c) => `${c.tallies.get(kind)?.[field] ?? 0} ${pct(c.tallies.get(kind)?.[field] ?? 0, total).padStart(6)}`.padStart(16));
    console.log(`${kind.padEnd(22)} ${String(total).padStart(6)}  ${cells.join('  ')}`);
  };
  for (const kind of corpus.duplicateKinds) row(kind, 'right');
  const totalRow = (kinds: readonly string[], field: 'right' | 'served') => {
    const total = sum(columns[0]!.tallies, kinds, 'total');
    const cells = columns.map((c) => `${sum(c.tallies, kinds, field)} ${pct(sum(c.tallies, kinds, field), total).padStart(6)}`.padStart(16));
    console.log(`${'all'.padEnd(22)} ${String(total).padStart(6)}  ${cells.join('  ')}`);
  };
  totalRow(corpus.duplicateKinds, 'right');
  console.log(`\nhard negatives (served anything: a wrong artifact; must be 0)\n${header}`);
  for (const kind of corpus.negativeKinds) row(kind, 'served');
  totalRow(corpus.negativeKinds, 'served');
}

/** Runs the harness, prints per-category tables for both modes and checks strict mode's targets. */
export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'per-domain': { type: 'string', default: '60' },
      'per-template': { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
      'similar-thresholds': { type: 'string', default: '0.75,0.9,0.98' },
    },
  });
  const perDomain = Number(values['per-domain']);
  const perTemplate = Number(values['per-template']);
  const seed = Number(values.seed);
  const thresholds = values['similar-thresholds'].split(',').map(Number);
  if (![perDomain, perTemplate, seed].every((n) => Number.isInteger(n) && n >= 1) || thresholds.some((t) => !(t > 0 && t <= 1))) {
    throw new RangeError('usage: eval semantic [--per-domain N] [--per-template N] [--seed N] [--similar-thresholds 0.75,0.9]');
  }
  const defaults = configSchema.parse({}).semantic;

  const prose = buildProseCorpus(seed, perDomain);
  const forms = buildCorpus(seed, perTemplate);
  const corpora: Corpus[] = [
    {
      name: 'free prose (8 domains, 150–190 words)',
      originals: prose.originals.map((o) => o.text),
      variants: prose.variants,
      duplicateKinds: PROSE_DUPLICATE_KINDS,
      negativeKinds: PROSE_NEGATIVE_KINDS,
    },
    {
      name: 'labelled forms (5 templates; "reworded" and "reordered-labels" change more than formatting)',
      originals: forms.bases.map((b) => b.text),
      variants: forms.queries,
      duplicateKinds: DUPLICATE_KINDS,
      negativeKinds: [...NEGATIVE_KINDS, BEYOND_GUARD_KIND],
    },
  ];
  console.log(
    `semantic lookup accuracy — seed ${seed}; strict mode (the default) against similar mode ` +
      `(salient-token guard) at thresholds ${thresholds.join(', ')}; shingles ${defaults.shingleSize}, permutations ${defaults.permutations}.`,
  );
  let strictProse: Map<string, Tally> | undefined;
  for (const corpus of corpora) {
    const started = performance.now();
    const strict = evaluate(corpus, 'strict', defaults.threshold);
    const columns: Column[] = [{ label: 'strict', tallies: strict }, ...thresholds.map((t) => ({ label: `similar ${t}`, tallies: evaluate(corpus, 'similar', t) }))];
    printTable(corpus, columns);
    console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
    strictProse ??= strict;
  }

  const tallies = strictProse!;
  const proseCorpus = corpora[0]!;
  const negativesServed = sum(tallies, proseCorpus.negativeKinds, 'served') + sum(evaluate(corpora[1]!, 'strict', defaults.threshold), corpora[1]!.negativeKinds, 'served');
  const negatives = sum(tallies, proseCorpus.negativeKinds, 'total');
  const duplicatesRate = sum(tallies, proseCorpus.duplicateKinds, 'right') / sum(tallies, proseCorpus.duplicateKinds, 'total');
  const worstKind = Math.min(...proseCorpus.duplicateKinds.map((k) => (tallies.get(k)?.right ?? 0) / (tallies.get(k)?.total ?? 1)));
  const ok = negativesServed === 0 && duplicatesRate >= TARGET_DUPLICATES_SERVED;
  console.log(
    `\nstrict mode: ${negativesServed} hard negatives served (of ${negatives} prose + the forms' negatives; target 0), ` +
      `${pct(duplicatesRate, 1)} of prose duplicates served (worst kind ${pct(worstKind, 1)}; target ≥ ${pct(TARGET_DUPLICATES_SERVED, 1)}): ${ok ? 'targets met' : 'TARGETS MISSED'}`,
  );
  if (!ok) process.exitCode = 1;
}

import { parseArgs } from 'node:util';
import { configSchema } from '../../src/config/schema.js';
import type { PreparedText } from '../../src/semantic/index.js';
import { resolveSemanticSettings, SemanticIndex, SemanticSigner } from '../../src/semantic/index.js';
import { BEYOND_GUARD_KIND, buildCorpus, DUPLICATE_KINDS, NEGATIVE_KINDS, type Query } from './corpus.js';

/**
 * Accuracy harness of the semantic lookup: a seeded, labelled corpus through the real
 * index (real canonicalisation, MinHash, banding and guard), for a sweep of thresholds.
 *
 *   npm run eval -- semantic [--per-template 200] [--seed 1] [--thresholds 0.6,0.7,...]
 */

const TARGET_PRECISION = 0.999;
const TARGET_HIT_RATE = 0.9;
const SCOPE = { pipeline: 'eval', version: '1' };

interface Row {
  readonly threshold: number;
  readonly bands: number;
  readonly rows: number;
  readonly hits: number;
  readonly correct: number;
  readonly precision: number;
  readonly hitRate: number;
  readonly hardNegativeHits: number;
  readonly beyondGuardHits: number;
  readonly bandingMisses: number;
  readonly byKind: ReadonlyMap<string, number>;
  readonly queryMicros: number;
}

interface Prepared {
  readonly seed: number;
  readonly bases: readonly PreparedText[];
  readonly queries: readonly { query: Query; prepared: PreparedText }[];
}

function evaluate(threshold: number, guarded: boolean, { seed, bases, queries }: Prepared): Row {
  const defaults = configSchema.parse({}).semantic;
  const signer = new SemanticSigner(resolveSemanticSettings({ ...defaults, threshold, seed }));
  const index = new SemanticIndex({ signer, maxEntries: bases.length + 1 });
  // Unguarded: every text gets the same fingerprint, so only similarity decides.
  const strip = (p: PreparedText): PreparedText => (guarded ? p : { ...p, fingerprint: '' });
  for (const [i, prepared] of bases.entries()) {
    index.add(strip(prepared), SCOPE, { key: `base:${i}`, docId: String(i), ttlMs: 3_600_000 });
  }
  let hits = 0;
  let correct = 0;
  let hardNegativeHits = 0;
  let beyondGuardHits = 0;
  let bandingMisses = 0;
  const byKind = new Map<string, number>();
  const started = performance.now();
  for (const { query, prepared } of queries) {
    const hit = index.query(strip(prepared), SCOPE);
    if (query.duplicate) {
      const right = hit?.key === `base:${query.base}`;
      if (right) byKind.set(query.kind, (byKind.get(query.kind) ?? 0) + 1);
      // Would a full scan have found it? Then banding lost it.
      const base = bases[query.base]!;
      const eligible = guarded ? base.fingerprint === prepared.fingerprint : true;
      if (!right && eligible && signer.agreement(prepared.signature, base.signature) >= 0) bandingMisses++;
    }
    if (!hit) continue;
    if (query.kind === BEYOND_GUARD_KIND) {
      beyondGuardHits++;
      continue;
    }
    hits++;
    if (query.duplicate && hit.key === `base:${query.base}`) correct++;
    if (!query.duplicate) hardNegativeHits++;
  }
  const queryMicros = ((performance.now() - started) * 1000) / queries.length;
  const duplicates = queries.filter((q) => q.query.duplicate).length;
  return {
    threshold, ...signer.banding, hits, correct, precision: hits === 0 ? 1 : correct / hits,
    hitRate: correct / duplicates, hardNegativeHits, beyondGuardHits, bandingMisses, byKind, queryMicros,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`.padStart(8);

function printTable(title: string, rows: readonly Row[], queriesPerKind: number): void {
  console.log(`\n${title}`);
  console.log('threshold  b×r     hits  precision  dup hit rate  hard-neg false hits  meaning-flip hits  banding misses  µs/query*');
  for (const r of rows) {
    console.log(
      `${r.threshold.toFixed(2).padStart(9)}  ${`${r.bands}×${r.rows}`.padEnd(6)} ${String(r.hits).padStart(5)}  ${pct(r.precision)}   ${pct(r.hitRate)}     ${String(r.hardNegativeHits).padStart(8)}             ${`${r.beyondGuardHits}/${queriesPerKind}`.padStart(9)}  ${String(r.bandingMisses).padStart(14)}  ${r.queryMicros.toFixed(1).padStart(8)}`,
    );
  }
}

/** Runs the harness and prints the sweep, the per-kind breakdown and the recommended threshold. */
export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'per-template': { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      thresholds: { type: 'string', default: '0.5,0.55,0.6,0.65,0.7,0.75,0.8,0.85,0.9,0.95' },
      'minhash-seeds': { type: 'string', default: '1,2,3,4,5' },
    },
  });
  const perTemplate = Number(values['per-template']);
  const thresholds = values.thresholds.split(',').map(Number);
  const minhashSeeds = values['minhash-seeds'].split(',').map(Number);
  if (!Number.isInteger(perTemplate) || perTemplate < 1 || thresholds.some((t) => !(t > 0 && t <= 1)) || minhashSeeds.some((n) => !Number.isInteger(n))) {
    throw new RangeError('usage: eval semantic [--per-template N] [--seed N] [--thresholds 0.6,0.7,...] [--minhash-seeds 1,2,3]');
  }
  const defaults = configSchema.parse({}).semantic;
  const corpus = buildCorpus(Number(values.seed), perTemplate);
  const prepare = (seed: number): Prepared => {
    const signer = new SemanticSigner(resolveSemanticSettings({ ...defaults, seed }));
    const bases = corpus.bases.map((b) => signer.prepare(b.text));
    return { seed, bases, queries: corpus.queries.map((query) => ({ query, prepared: signer.prepare(query.text) })) };
  };
  const primary = prepare(defaults.seed);
  const perKind = corpus.bases.length;
  console.log(
    `semantic lookup accuracy — ${corpus.bases.length} indexed documents (5 templates), ${corpus.queries.length} queries: ` +
      `${perKind} per kind; duplicates: ${DUPLICATE_KINDS.join(', ')}; hard negatives: ${NEGATIVE_KINDS.join(', ')}; ` +
      `plus ${BEYOND_GUARD_KIND} (one ordinary word flips the meaning). shingles ${defaults.shingleSize}, ` +
      `permutations ${defaults.permutations}, corpus seed ${values.seed}, MinHash seed ${defaults.seed} (configured).`,
  );
  const guarded = thresholds.map((t) => evaluate(t, true, primary));
  printTable('WITH the salient-token guard (what batchline does):', guarded, perKind);
  printTable('WITHOUT the guard (similarity only, for comparison):', thresholds.map((t) => evaluate(t, false, primary)), perKind);
  console.log(
    '\n* index query on an already prepared text; preparing (canonicalise, shingle, sign, extract salient tokens) adds ~0.1–0.2 ms.' +
      '\n  banding misses: true duplicates a full scan would have served but LSH did not propose.' +
      `\n  meaning-flip: one ordinary word flips the meaning ("approved"/"declined") — no token guard can see it; not counted in precision.`,
  );

  // Near the threshold the hit rate depends on which permutations were drawn (the corpus
  // repeats a few reworded sentences, so estimates are correlated): judge every threshold on
  // its worst MinHash seed, not on a lucky one.
  const bySeed = [guarded, ...minhashSeeds.filter((n) => n !== defaults.seed).map((n) => { const p = prepare(n); return thresholds.map((t) => evaluate(t, true, p)); })];
  console.log(`\nacross MinHash seeds ${[defaults.seed, ...minhashSeeds.filter((n) => n !== defaults.seed)].join(', ')} (guarded):`);
  console.log('threshold  worst precision  most hard-neg false hits  dup hit rate (min – max)');
  const meets = thresholds.map((threshold, i) => {
    const rows = bySeed.map((seedRows) => seedRows[i]!);
    const precision = Math.min(...rows.map((r) => r.precision));
    const falseHits = Math.max(...rows.map((r) => r.hardNegativeHits));
    const rates = rows.map((r) => r.hitRate);
    console.log(`${threshold.toFixed(2).padStart(9)}  ${pct(precision).padStart(15)}  ${String(falseHits).padStart(24)}  ${pct(Math.min(...rates))} – ${pct(Math.max(...rates)).trim()}`);
    return precision >= TARGET_PRECISION && falseHits === 0 && Math.min(...rates) >= TARGET_HIT_RATE;
  });
  // The strictest threshold passing on every seed: the further a hit must be from "merely
  // similar", the less room for differences the guard cannot see.
  const bestIndex = meets.lastIndexOf(true);
  const best = guarded[bestIndex];
  console.log('\nduplicate hit rate by kind (configured seed):');
  for (const r of best ? [best] : guarded) {
    const parts = DUPLICATE_KINDS.map((k) => `${k} ${pct((r.byKind.get(k) ?? 0) / perKind).trim()}`);
    console.log(`  threshold ${r.threshold.toFixed(2)}: ${parts.join(', ')}`);
  }
  const targets = `precision ≥ ${pct(TARGET_PRECISION).trim()}, 0 hard-negative hits, hit rate ≥ ${pct(TARGET_HIT_RATE).trim()}`;
  if (!best) {
    console.log(`\nno threshold meets the targets (${targets}) on every MinHash seed`);
    process.exitCode = 1;
    return;
  }
  console.log(
    `\nrecommended threshold: ${best.threshold} — the highest meeting ${targets} on every MinHash seed; ` +
      `b×r ${best.bands}×${best.rows}; configured default ${defaults.threshold}`,
  );
}

import type { Clock } from '../time.js';
import type { SalientExtractor } from './guard.js';
import { RedisSemanticStore, type SemanticHashes } from './redis-semantic-store.js';
import { SemanticIndex } from './semantic-index.js';
import { SemanticLookup } from './semantic-lookup.js';
import { resolveSemanticSettings, type SemanticSettingsInput } from './settings.js';
import { SemanticSigner } from './signer.js';

/** What a worker hands over to get its semantic lookup. */
export interface CreateSemanticLookupOptions {
  /** The validated `semantic` config block. */
  readonly settings: SemanticSettingsInput & { readonly l1MaxEntries: number; readonly maxBucketEntries: number };
  /** The cache Redis's guarded hash operations (`cache.l2`). Absent: L1 only. */
  readonly hashes?: SemanticHashes | undefined;
  /** Key namespace of the cache Redis (`cache.namespace`). */
  readonly namespace: string;
  /** Longest an L1 entry lives (`cache.l1.ttlCapMs`). */
  readonly l1TtlCapMs: number;
  /** A pipeline's own salient tokens instead of the default extractor. */
  readonly extractor?: SalientExtractor;
  readonly clock?: Clock;
}

/** Wires signer, L1 index, optional Redis L2 and the two-tier lookup from configuration. */
export function createSemanticLookup(options: CreateSemanticLookupOptions): SemanticLookup {
  const settings = resolveSemanticSettings(options.settings);
  const signer = new SemanticSigner(settings, options.extractor);
  const clock = options.clock ? { clock: options.clock } : {};
  const l1 = new SemanticIndex({ signer, maxEntries: options.settings.l1MaxEntries, ...clock });
  const l2 = options.hashes
    ? new RedisSemanticStore({
        hashes: options.hashes,
        namespace: options.namespace,
        signatureLength: signer.signatureLength,
        maxBucketEntries: options.settings.maxBucketEntries,
        ...clock,
      })
    : undefined;
  return new SemanticLookup({ l1, ...(l2 ? { l2 } : {}), l1TtlCapMs: options.l1TtlCapMs, ...clock });
}

/**
 * The semantic lookup: near-duplicates that differ only in formatting (strict mode), or by
 * MinHash/LSH similarity with a salient-token guard (similar mode).
 * This is what other areas import; everything else in src/semantic is internal.
 */

export { canonicalForSimilarity, similarityWords } from './canonical.js';
export {
  defaultGuard,
  fingerprintText,
  guardFromExtractor,
  type SalientExtractor,
  type SemanticGuard,
  salientDifference,
  salientFingerprint,
} from './guard.js';
export { type Banding, type BandingWeights, chooseBanding, DEFAULT_BANDING_WEIGHTS } from './lsh.js';
export { estimateJaccard, MinHasher } from './minhash.js';
export { extractSalient, type SalientTokens } from './salient.js';
export {
  type CandidateCheck,
  type SemanticEntryInput,
  type SemanticHit,
  SemanticIndex,
  type SemanticIndexOptions,
} from './semantic-index.js';
export {
  indexIdOf,
  resolveSemanticSettings,
  SIGNATURE_FORMAT,
  type SemanticMode,
  type SemanticScope,
  type SemanticSettings,
  type SemanticSettingsInput,
} from './settings.js';
export { type Candidate, type Judgement, type PreparedText, SemanticSigner } from './signer.js';
export { type SemanticDifference, type StrictForm, strictForm, strictParagraphs } from './strict-form.js';
export {
  RedisSemanticStore,
  type RedisSemanticStoreOptions,
  type SemanticHashes,
} from './redis-semantic-store.js';
export { SemanticLookup, type SemanticLookupOptions, type TieredSemanticHit } from './semantic-lookup.js';
export { bandKeyStrings, type SemanticStore, type StoredEntry, type StoreProbe } from './semantic-store.js';
export { type CreateSemanticLookupOptions, createSemanticLookup } from './create-semantic-lookup.js';

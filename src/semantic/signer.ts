import { classifyLines, similarityWords } from './canonical.js';
import { type SalientExtractor, salientFingerprint } from './guard.js';
import { murmur3String } from './hash.js';
import { type Banding, bandKeys, chooseBanding } from './lsh.js';
import { MinHasher } from './minhash.js';
import { extractSalient } from './salient.js';
import { indexIdOf, type SemanticScope, type SemanticSettings } from './settings.js';

/** Everything the index needs from one text, computed once per document and reused for query and add. */
export interface PreparedText {
  /** Words of the canonical text. */
  readonly wordCount: number;
  /** False for empty or short texts (fewer than `minWords` words): never matched, never indexed. */
  readonly eligible: boolean;
  /** MinHash signature (`permutations` slots). */
  readonly signature: Uint32Array;
  /** Fingerprint of the salient tokens (the guard). */
  readonly fingerprint: string;
}

const INDEX_SEED = 0x1b873593;
const MAX_MEMO = 1_024;

/**
 * Turns texts into signatures, fingerprints and band keys under one set of settings. Shared
 * by both tiers so L1 and L2 always agree on what a band key is.
 */
export class SemanticSigner {
  readonly banding: Banding;
  /** Slots that must agree for a hit: ⌈threshold × permutations⌉, computed in integers to dodge 0.7 × 128 rounding. */
  readonly requiredEqual: number;
  private readonly hasher: MinHasher;
  private readonly indexIds = new Map<string, string>();

  /**
   * @param settings resolved settings (see `resolveSemanticSettings`)
   * @param extractor salient-token extractor; a pipeline may supply its own
   */
  constructor(
    readonly settings: SemanticSettings,
    private readonly extractor: SalientExtractor = extractSalient,
  ) {
    this.hasher = new MinHasher(settings.permutations, settings.shingleSize, settings.seed);
    this.banding = chooseBanding(settings.threshold, settings.permutations, settings.bandingWeights);
    this.requiredEqual = Math.ceil(settings.threshold * settings.permutations - 1e-9);
  }

  /** Canonicalises, signs and fingerprints `text`. */
  prepare(text: string): PreparedText {
    const lines = classifyLines(text);
    const words = similarityWords(lines);
    const eligible = words.length >= this.settings.minWords;
    if (!eligible) {
      // Short texts skip the work: they can never match, so their signature is never read.
      return { wordCount: words.length, eligible, signature: new Uint32Array(this.settings.permutations), fingerprint: '' };
    }
    const signature = this.hasher.signatureOfWords(words);
    const salient = this.extractor === extractSalient ? extractSalient(lines) : this.extractor(text);
    return { wordCount: words.length, eligible, signature, fingerprint: salientFingerprint(salient) };
  }

  /** The id of the index `scope` maps to under these settings (memoised: few scopes per process). */
  indexId(scope: SemanticScope): string {
    const memoKey = `${scope.pipeline}\u0000${scope.version}\u0000${scope.scope ?? ''}`;
    let id = this.indexIds.get(memoKey);
    if (id === undefined) {
      id = indexIdOf(scope, this.settings);
      if (this.indexIds.size >= MAX_MEMO) this.indexIds.clear();
      this.indexIds.set(memoKey, id);
    }
    return id;
  }

  /**
   * One 32-bit key per band, salted with the index id and the guard fingerprint: only
   * documents of the same index with the same salient tokens can ever share a bucket, so
   * the buckets hold (almost) nothing the guard would reject.
   */
  bandKeys(prepared: PreparedText, indexId: string): Uint32Array {
    const salt = murmur3String(indexId, INDEX_SEED) ^ murmur3String(prepared.fingerprint, INDEX_SEED);
    return bandKeys(prepared.signature, this.banding, salt);
  }

  /**
   * Slots of `a` and `b` that agree, or -1 as soon as `requiredEqual` is out of reach: most
   * candidates are rejected after a fraction of the signature.
   */
  agreement(a: Uint32Array, b: Uint32Array): number {
    const n = a.length;
    if (n !== b.length) return -1;
    const allowedMisses = n - this.requiredEqual;
    let misses = 0;
    for (let i = 0; i < n; i++) {
      if (a[i] !== b[i] && ++misses > allowedMisses) return -1;
    }
    return n - misses;
  }
}

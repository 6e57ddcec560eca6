import { classifyLines, similarityWords } from './canonical.js';
import { type SalientExtractor, salientFingerprint } from './guard.js';
import { murmur3String } from './hash.js';
import { type Banding, bandKeys, chooseBanding } from './lsh.js';
import { MinHasher } from './minhash.js';
import { extractSalient } from './salient.js';
import { indexIdOf, type SemanticScope, type SemanticSettings } from './settings.js';
import { reorder, type SemanticDifference, shingleJaccard, strictForm, strictParagraphs } from './strict-form.js';

/** Everything the index needs from one text, computed once per document and reused for query and add. */
export interface PreparedText {
  /** Words of the canonical text. */
  readonly wordCount: number;
  /** False for empty or short texts (fewer than `minWords` words): never matched, never indexed. */
  readonly eligible: boolean;
  /** Similar mode: MinHash signature (`permutations` slots). Strict mode: empty (the form decides). */
  readonly signature: Uint32Array;
  /**
   * What a hit must share with the query. Strict mode: the digest of the text's paragraphs in
   * strict canonical form (as a multiset). Similar mode: the digest of its salient tokens.
   */
  readonly fingerprint: string;
  /** Strict mode: the order of the paragraphs (see `StrictForm.order`). Similar mode: ''. */
  readonly order: string;
  /** Strict mode, texts prepared here: the paragraphs in strict form, in order. Otherwise empty. */
  readonly paragraphs: readonly string[];
}

/** What an index entry holds that a candidate is judged on. */
export interface Candidate {
  readonly signature: Uint32Array;
  readonly order: string;
}

/** A candidate accepted for a query: its similarity and the kind of difference accepted. */
export interface Judgement {
  readonly score: number;
  readonly difference: SemanticDifference;
}

const NO_SIGNATURE = new Uint32Array(0);

const INDEX_SEED = 0x1b873593;
const MAX_MEMO = 1_024;

/**
 * Turns texts into signatures, fingerprints and band keys under one set of settings. Shared
 * by both tiers so L1 and L2 always agree on what a band key is.
 */
export class SemanticSigner {
  /**
   * Slots that must agree for a hit (similar mode): ⌈threshold × permutations⌉, computed in
   * integers to dodge 0.7 × 128 rounding.
   */
  readonly requiredEqual: number;
  private readonly hasher: MinHasher;
  private readonly indexIds = new Map<string, string>();
  private plan: Banding | undefined;

  /**
   * @param settings resolved settings (see `resolveSemanticSettings`)
   * @param extractor salient-token extractor; a pipeline may supply its own
   */
  constructor(
    readonly settings: SemanticSettings,
    private readonly extractor: SalientExtractor = extractSalient,
  ) {
    this.hasher = new MinHasher(settings.permutations, settings.shingleSize, settings.seed);
    this.requiredEqual = Math.ceil(settings.threshold * settings.permutations - 1e-9);
  }

  /**
   * The LSH plan of similar mode, chosen on first use: strict mode never reads it, and
   * choosing it (two integrals per plan over all b·r ≤ permutations) costs a worker ~65 ms
   * at start-up on a 2-core VM.
   */
  get banding(): Banding {
    this.plan ??= chooseBanding(this.settings.threshold, this.settings.permutations, this.settings.bandingWeights);
    return this.plan;
  }

  /** Slots of a stored signature: none in strict mode, where no MinHash is computed. */
  get signatureLength(): number {
    return this.settings.mode === 'strict' ? 0 : this.settings.permutations;
  }

  /** Canonicalises, signs and fingerprints `text`. */
  prepare(text: string): PreparedText {
    return this.settings.mode === 'strict' ? this.prepareStrict(text) : this.prepareSimilar(text);
  }

  private prepareStrict(text: string): PreparedText {
    const paragraphs = strictParagraphs(text);
    let wordCount = 0;
    for (const paragraph of paragraphs) wordCount += paragraph.split(' ').length;
    if (wordCount < this.settings.minWords) return this.ineligible(wordCount);
    const { content, order } = strictForm(paragraphs);
    return { wordCount, eligible: true, signature: NO_SIGNATURE, fingerprint: content, order, paragraphs };
  }

  private prepareSimilar(text: string): PreparedText {
    const lines = classifyLines(text);
    const words = similarityWords(lines);
    const eligible = words.length >= this.settings.minWords;
    if (!eligible) return this.ineligible(words.length);
    const signature = this.hasher.signatureOfWords(words);
    const salient = this.extractor === extractSalient ? extractSalient(lines) : this.extractor(text);
    return { wordCount: words.length, eligible, signature, fingerprint: salientFingerprint(salient), order: '', paragraphs: [] };
  }

  /** Short texts skip the work: they can never match, so their signature is never read. */
  private ineligible(wordCount: number): PreparedText {
    return { wordCount, eligible: false, signature: new Uint32Array(this.signatureLength), fingerprint: '', order: '', paragraphs: [] };
  }

  /**
   * Whether a candidate with the query's fingerprint may be served, and with what similarity.
   * Strict mode: always (the fingerprint is the whole canonical content); similarity 1 for a
   * formatting difference, else the exact shingle Jaccard of the two paragraph orders.
   * Similar mode: when enough signature slots agree.
   */
  judge(prepared: PreparedText, candidate: Candidate): Judgement | undefined {
    if (this.settings.mode === 'similar') {
      const equal = this.agreement(prepared.signature, candidate.signature);
      return equal < 0 ? undefined : { score: equal / prepared.signature.length, difference: 'similar' };
    }
    if (candidate.order === prepared.order) return { score: 1, difference: 'formatting' };
    const other = reorder(prepared.paragraphs, candidate.order);
    if (!other) return undefined;
    const tokens = (paragraphs: readonly string[]) => paragraphs.join(' ').split(' ');
    return { score: shingleJaccard(tokens(prepared.paragraphs), tokens(other), this.settings.shingleSize), difference: 'paragraph-order' };
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
   * Similar mode: one 32-bit key per band, salted with the index id and the guard
   * fingerprint: only documents of the same index with the same salient tokens can ever share
   * a bucket, so the buckets hold (almost) nothing the guard would reject. Strict mode: one
   * key, the salt itself: the candidates are exactly the entries with the query's fingerprint.
   */
  bandKeys(prepared: PreparedText, indexId: string): Uint32Array {
    const salt = murmur3String(indexId, INDEX_SEED) ^ murmur3String(prepared.fingerprint, INDEX_SEED);
    if (this.settings.mode === 'strict') return Uint32Array.of(salt >>> 0);
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

import { type BandingWeights, DEFAULT_BANDING_WEIGHTS } from './lsh.js';

/**
 * Resolved settings of the semantic index. They come from the validated `semantic` config
 * block; this module only re-checks them (RangeError at once) and names the index they
 * define, so signatures made with different settings never meet.
 */
export interface SemanticSettings {
  /**
   * `strict`: serve a near-duplicate only when the two texts are equal once formatting is
   * removed (see strict-form.ts). `similar`: serve one above `threshold` with the same
   * salient tokens; its false-hit rate is measured in BENCHMARKS.md.
   */
  readonly mode: SemanticMode;
  /** Least estimated Jaccard similarity for a hit in `similar` mode, in (0, 1]. */
  readonly threshold: number;
  /** Words per shingle. */
  readonly shingleSize: number;
  /** Signature length. */
  readonly permutations: number;
  /** Texts with fewer words (after canonicalisation) are never indexed nor matched. */
  readonly minWords: number;
  /** Seed of the MinHash permutations; fixed so every process computes the same signatures. */
  readonly seed: number;
  /** Weights used to choose bands × rows. @defaultValue {@link DEFAULT_BANDING_WEIGHTS} */
  readonly bandingWeights?: BandingWeights;
}

/** How near a near-duplicate must be to be served. */
export type SemanticMode = 'strict' | 'similar';

/** Where a lookup may look: never across pipelines, versions or user scopes. */
export interface SemanticScope {
  /** Pipeline name. */
  readonly pipeline: string;
  /** Pipeline version: a new version never sees signatures of the old one. */
  readonly version: string;
  /** User-supplied scope (e.g. a tenant id from `meta.scope`); empty and absent are the same. */
  readonly scope?: string | undefined;
}

/**
 * Bump whenever canonicalisation, hashing, salient extraction or banding changes: it is part
 * of every index id, so signatures stored in Redis by older code are simply never found.
 */
export const SIGNATURE_FORMAT = 2;

/** Settings as the `semantic` config block holds them (extra fields are ignored). */
export type SemanticSettingsInput = Omit<SemanticSettings, 'bandingWeights'> & { readonly bandingWeights?: BandingWeights };

/** Checks and freezes settings; throws RangeError on values that would make the index meaningless. */
export function resolveSemanticSettings(input: SemanticSettingsInput): SemanticSettings {
  const { mode, threshold, shingleSize, permutations, minWords, seed } = input;
  if (mode !== 'strict' && mode !== 'similar') throw new RangeError(`semantic mode must be "strict" or "similar", got ${String(mode)}`);
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`semantic threshold must be in (0, 1], got ${threshold}`);
  if (!Number.isInteger(shingleSize) || shingleSize < 1) throw new RangeError('semantic shingleSize must be a positive integer');
  if (!Number.isInteger(permutations) || permutations < 1 || permutations > 1024) {
    throw new RangeError('semantic permutations must be an integer in [1, 1024]');
  }
  if (!Number.isInteger(minWords) || minWords < 1) throw new RangeError('semantic minWords must be a positive integer');
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError('semantic seed must be a uint32');
  const weights = input.bandingWeights ?? DEFAULT_BANDING_WEIGHTS;
  return Object.freeze({ mode, threshold, shingleSize, permutations, minWords, seed, bandingWeights: weights });
}

/**
 * The id of one index: pipeline, version, user scope, the mode and every setting that shapes a
 * signature or its band keys. Parts are URI-encoded so no two part lists give one id.
 */
export function indexIdOf(scope: SemanticScope, settings: SemanticSettings): string {
  const weights = settings.bandingWeights ?? DEFAULT_BANDING_WEIGHTS;
  return [
    `f${SIGNATURE_FORMAT}`,
    settings.mode,
    encodeURIComponent(scope.pipeline),
    encodeURIComponent(scope.version),
    // 's' marks a scope, so no scope string (not even '-') can name the unscoped index.
    scope.scope ? `s${encodeURIComponent(scope.scope)}` : '-',
    `t${settings.threshold}k${settings.shingleSize}p${settings.permutations}s${settings.seed}` +
      `w${weights.falsePositive}/${weights.falseNegative}`,
  ].join(':');
}

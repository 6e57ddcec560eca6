import { z } from 'zod';
import type { Artifact } from '../pipeline/types.js';

/**
 * The stored value: an envelope with a schema version around the artifact. Bump
 * {@link CACHE_SCHEMA_VERSION} whenever the envelope changes; values of any other version
 * then fail validation, so they are counted misses and deleted, never served.
 */
export const CACHE_SCHEMA_VERSION = 1;

const cachedValueSchema = z.object({
  v: z.literal(CACHE_SCHEMA_VERSION),
  artifact: z.record(z.string(), z.unknown()),
  docId: z.string(),
  createdAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
});

/** One cached artifact as stored in both tiers (L1 keeps it parsed and frozen). */
export interface CachedValue {
  readonly v: typeof CACHE_SCHEMA_VERSION;
  readonly artifact: Artifact;
  /** The id of the document whose pipeline run produced the artifact. */
  readonly docId: string;
  /** When it was produced (epoch ms, from the cache's clock). */
  readonly createdAt: number;
  /** When it expires (epoch ms); an L2 hit fills L1 with what remains. */
  readonly expiresAt: number;
}

/** A validated value with its JSON text and that text's UTF-8 size (the L1 size measure). */
export interface EncodedValue {
  readonly value: CachedValue;
  readonly json: string;
  readonly bytes: number;
}

/**
 * Validates a value read from L2. Anything that is not a string of JSON in the current
 * envelope — garbage bytes, another shape, an older schema version — is `undefined`.
 */
export function decodeValue(raw: unknown): EncodedValue | undefined {
  if (typeof raw !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const result = cachedValueSchema.safeParse(parsed);
  if (!result.success) return undefined;
  return { value: deepFreeze(result.data as CachedValue), json: raw, bytes: Buffer.byteLength(raw, 'utf8') };
}

/**
 * Serialises a value for both tiers. L1 then holds the JSON round-trip of it, not the
 * caller's object: L1 hits return exactly what an L2 hit would, and a caller mutating its
 * artifact later cannot change what the cache serves. `undefined` when it cannot be
 * serialised (BigInt, cycles) or is not a plain-object artifact.
 */
export function encodeValue(value: CachedValue): EncodedValue | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined;
  }
  return decodeValue(json);
}

/** Freezes an object graph, so values shared by every L1 hit cannot be mutated by one caller. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

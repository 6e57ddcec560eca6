import { z } from 'zod';

/**
 * The stored value: an envelope with a schema version around the artifact. Bump
 * {@link CACHE_SCHEMA_VERSION} whenever the envelope changes; values of any other version
 * then fail validation, so they are counted misses and deleted, never served.
 *
 * Version 2 ties every value to its key: it names the key it was written under and what
 * it was made from, and readers check both, so a value copied or renamed under another
 * key (by a bug, a migration script or a person) is a counted miss, not another
 * document's artifact. Version 1 values carry neither and are misses.
 */
export const CACHE_SCHEMA_VERSION = 2;

const valueOriginSchema = z.object({
  pipeline: z.string(),
  version: z.string(),
  scope: z.string().nullable(),
  input: z.string(),
});

const cachedValueSchema = z.object({
  v: z.literal(CACHE_SCHEMA_VERSION),
  key: z.string(),
  made: valueOriginSchema,
  artifact: z.record(z.string(), z.unknown()),
  docId: z.string(),
  createdAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
});

/** What a cached value was made from: the parts of its key, as the writer knew them. */
export interface ValueOrigin {
  /** Pipeline name and version. */
  readonly pipeline: string;
  readonly version: string;
  /** The scope string (`encodeScope`), or null when unscoped. */
  readonly scope: string | null;
  /** What it was computed from: the input hash of an artifact, the template fingerprint of a pattern. */
  readonly input: string;
}

/** A stored payload: a JSON object (what the envelope checks before any codec runs). */
export type StoredPayload = { readonly [key: string]: unknown };

/**
 * How one type of value is read back. The cache stores every value as JSON in its
 * envelope; `decode` turns a stored payload into the value its readers expect, or answers
 * undefined for one that is not (counted as corrupt and deleted, never served). It runs
 * once per value in L1, not per hit: as the value enters (a write, an L2 hit), or, for
 * `anyPayload`, which has nothing to refuse, at its first L1 read. One codec per key space:
 * L1 hands back what the codec of the key's writes and L2 reads made.
 */
export interface ValueCodec<V> {
  decode(payload: StoredPayload): V | undefined;
}

/** The codec of callers that take any JSON object as it is. */
export const anyPayload: ValueCodec<StoredPayload> = Object.freeze({ decode: (payload: StoredPayload) => payload });

/** One cached value as stored in both tiers (L1 keeps it decoded and frozen). */
export interface CachedValue<V = StoredPayload> {
  readonly v: typeof CACHE_SCHEMA_VERSION;
  /** The key it was written under; a value read under any other key is corrupt. */
  readonly key: string;
  readonly made: ValueOrigin;
  /**
   * The payload, as the key space's codec decoded it. (Named for the first kind of value,
   * pipeline artifacts; renaming it would change the stored envelope.)
   */
  readonly artifact: V;
  /** Who produced it: the document whose pipeline run made an artifact, the learner that wrote a pattern. */
  readonly docId: string;
  /** When it was produced (epoch ms, from the cache's clock). */
  readonly createdAt: number;
  /** When it expires (epoch ms); an L2 hit fills L1 with what remains. */
  readonly expiresAt: number;
}

/**
 * Whether `value` is the one `key` should hold and was made from what the reader expects
 * (each part of `expected` that is given must be equal).
 */
export function valueMatches(value: CachedValue<unknown>, key: string, expected: Partial<ValueOrigin> = {}): boolean {
  if (value.key !== key) return false;
  for (const part of ['pipeline', 'version', 'scope', 'input'] as const) {
    if (expected[part] !== undefined && expected[part] !== value.made[part]) return false;
  }
  return true;
}

/** A validated value with its JSON text and that text's UTF-8 size (the L1 size measure). */
export interface EncodedValue<V = StoredPayload> {
  readonly value: CachedValue<V>;
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
 * The JSON of a value for both tiers, and its size. Caches keep this text, never the
 * caller's object: a hit is parsed from it, so L1 hits return exactly what an L2 hit would,
 * and a caller mutating its artifact later cannot change what the cache serves.
 * `undefined` when it cannot be serialised (BigInt, cycles) or its artifact is not a
 * plain object (what `decodeValue` checks when the text is read back).
 */
export function serialiseValue(value: CachedValue<unknown>): { json: string; bytes: number } | undefined {
  const artifact = value.artifact as { toJSON?: unknown } | null;
  if (typeof artifact !== 'object' || artifact === null || Array.isArray(artifact) || typeof artifact.toJSON === 'function') return undefined;
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined;
  }
  return { json, bytes: Buffer.byteLength(json, 'utf8') };
}

/** Serialises a value and reads it back at once (see `serialiseValue`, `decodeValue`). */
export function encodeValue(value: CachedValue<unknown>): EncodedValue | undefined {
  const serialised = serialiseValue(value);
  return serialised && decodeValue(serialised.json);
}

/**
 * The value with its payload run through `codec`: what L1 keeps and readers get. Undefined
 * when the codec refuses the payload.
 */
export function decodePayload<V>(encoded: EncodedValue, codec: ValueCodec<V>): EncodedValue<V> | undefined {
  const payload = codec.decode(encoded.value.artifact);
  if (payload === undefined) return undefined;
  if ((payload as unknown) === encoded.value.artifact) return encoded as unknown as EncodedValue<V>;
  return { ...encoded, value: deepFreeze({ ...encoded.value, artifact: payload }) };
}

/** What reading a stored value under `key` found. */
export type StoredRead<V> =
  | { readonly kind: 'value'; readonly value: EncodedValue<V> }
  /** Garbage, another shape, an old schema version, a payload the codec refuses, a value of another key. */
  | { readonly kind: 'corrupt' }
  /** Past its expiry by the reader's clock (Redis expires it by PX; this guards against clocks that differ). */
  | { readonly kind: 'expired' }
  /** Right for its key, but not made from what the reader expects (a stale or corrupt pointer). */
  | { readonly kind: 'unexpected' };

/** The one check of a raw L2 value, for every read of values from the cache Redis. */
export function readStored<V>(raw: unknown, key: string, expected: Partial<ValueOrigin> | undefined, codec: ValueCodec<V>, now: number): StoredRead<V> {
  const envelope = decodeValue(raw);
  const decoded = envelope && envelope.value.key === key ? decodePayload(envelope, codec) : undefined;
  if (decoded === undefined) return { kind: 'corrupt' };
  if (decoded.value.expiresAt <= now) return { kind: 'expired' };
  if (!valueMatches(decoded.value, key, expected)) return { kind: 'unexpected' };
  return { kind: 'value', value: decoded };
}

/** Freezes an object graph, so values shared by every L1 hit cannot be mutated by one caller. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

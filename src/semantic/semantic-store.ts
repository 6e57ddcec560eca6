/**
 * The storage-facing side of an index tier that lives outside the process (L2). Each call
 * may fail; failing means "nothing", never an error: `candidates` answers [] and writes
 * answer false. Implementations: `RedisSemanticStore`; others (another KV) need only this.
 */

/** One indexed document as a store holds it. */
export interface StoredEntry {
  /** Exact cache key of the artifact. */
  readonly key: string;
  /** Id of the document the artifact was computed from. */
  readonly docId: string;
  readonly signature: Uint32Array;
  /** What a hit must share with the query (see `PreparedText.fingerprint`). */
  readonly fingerprint: string;
  /** Strict mode: the paragraph order (`StrictForm.order`); '' in similar mode. */
  readonly order: string;
  /** Epoch ms after which the entry must not be served. */
  readonly expiresAt: number;
}

/** What a lookup knows about its query; a store uses whichever part suits its layout. */
export interface StoreProbe {
  /** The query's fingerprint: an entry can only be served if it has the same one. */
  readonly fingerprint: string;
  /** LSH band keys of the query's signature (already salted with the index and fingerprint). */
  readonly bandKeys: readonly string[];
}

/** An out-of-process tier of the semantic index. */
export interface SemanticStore {
  /**
   * Entries that may match the probe (same fingerprint at least), bounded in number. Stale
   * entries met on the way are skipped and cleaned up lazily by the store.
   */
  candidates(indexId: string, probe: StoreProbe): Promise<readonly StoredEntry[]>;
  /** Indexes an entry for `ttlMs` (the artifact's TTL tier). */
  add(indexId: string, entry: StoredEntry, probe: StoreProbe, ttlMs: number): Promise<boolean>;
  /** Removes the entry for artifact `key`. */
  remove(indexId: string, key: string, probe: StoreProbe): Promise<boolean>;
}

/** Band keys as strings, for stores whose keys are strings. */
export function bandKeyStrings(keys: Uint32Array): string[] {
  return Array.from(keys, (key) => key.toString(36));
}

/** A signature as base64 of its little-endian bytes (the same on every platform). */
export function encodeSignature(signature: Uint32Array): string {
  const bytes = Buffer.allocUnsafe(signature.length * 4);
  for (let i = 0; i < signature.length; i++) bytes.writeUInt32LE(signature[i]!, i * 4);
  return bytes.toString('base64');
}

/** Inverse of {@link encodeSignature}; undefined unless it decodes to exactly `length` slots. */
export function decodeSignature(text: string, length: number): Uint32Array | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length * 4) return undefined;
  const signature = new Uint32Array(length);
  for (let i = 0; i < length; i++) signature[i] = bytes.readUInt32LE(i * 4);
  return signature;
}

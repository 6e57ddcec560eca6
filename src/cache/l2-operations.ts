import type { Clock } from '../time.js';
import type { CacheGateway } from './cache-gateway.js';
import { type CachedValue, readStored, type ValueCodec, type ValueOrigin } from './value.js';

/** How an operation is judged; see `RunOptions` of the gateway. */
export interface L2OperationOptions {
  /** Nobody waits for it: its failure is counted but not charged to the breaker. */
  readonly background?: boolean;
}

/** What a server says about itself, for `doctor`. */
/** What doctor reads from one node of a cluster cache; a field is undefined when that node did not answer it. */
export interface CacheClusterNode {
  readonly address: string;
  readonly role: 'master' | 'replica';
  readonly clusterInfo: string | undefined;
  readonly info: string | undefined;
  /** undefined also when the node refuses CONFIG (managed services often do). */
  readonly maxMemoryPolicy: string | undefined;
}

/** The node-redis cluster client as it really is: the cache store types it as one client. */
interface NodeRedisCluster {
  masters?: { host: string; port: number }[];
  replicas?: { host: string; port: number }[];
  nodeClient(node: { host: string; port: number }): Promise<{
    clusterInfo(): Promise<unknown>;
    info(): Promise<string>;
    configGet(parameter: string): Promise<Record<string, string>>;
  }>;
}

export interface CacheServerFacts {
  /** The INFO reply. */
  readonly info: string;
  /** CONFIG GET maxmemory-policy, when the server allows it (ACLs may not). */
  readonly maxMemoryPolicy: string | undefined;
}

/**
 * The named operations on the cache Redis beyond values, for the stores that live there —
 * the semantic index (hashes), the pattern index (sets) with its merge lock, in-flight
 * claims (locks) — and for `doctor`. There is no raw client: each operation goes through
 * the gateway like every cache operation (breaker, time budget, errors caught), so each
 * answers `undefined` (or false) on any failure, never throws and never waits past the
 * budget. Without L2 every operation answers `undefined` (or false) at once.
 */
export interface L2Operations {
  /**
   * Values read from the cache Redis past this process's L1 (another process may have
   * replaced them since): each checked like a `get` (its key, expiry, `expected(key, i)`, the
   * codec), undefined where absent or refused. Undefined when the cache did not answer.
   */
  readLatest<V>(
    keys: readonly string[],
    expected: (key: string, index: number) => Partial<ValueOrigin>,
    codec: ValueCodec<V>,
  ): Promise<(CachedValue<V> | undefined)[] | undefined>;
  /** Adds each member to its set and sets that set's lifetime, one transaction per set (sets may sit in different cluster slots). */
  addToSets(entries: readonly { readonly set: string; readonly member: string }[], ttlMs: number): Promise<boolean>;
  /** Members of a set, at most `limit` (SSCAN). */
  setMembers(set: string, limit: number): Promise<string[] | undefined>;
  /** Which of `members` are in the set, in order. */
  setContains(set: string, members: readonly string[]): Promise<boolean[] | undefined>;
  removeFromSet(set: string, members: readonly string[]): Promise<boolean>;
  /** Every field of a hash ({} when there is none). */
  hashEntries(hash: string): Promise<Record<string, string> | undefined>;
  /** Sets one field and the hash's lifetime, all or nothing (MULTI). */
  hashPut(hash: string, field: string, value: string, ttlMs: number, options?: L2OperationOptions): Promise<boolean>;
  hashRemove(hash: string, fields: readonly string[], options?: L2OperationOptions): Promise<boolean>;
  /** Takes `lock` for `ttlMs` under `token` (SET NX PX): true if taken, false if another holds it. */
  acquireLock(lock: string, token: string, ttlMs: number): Promise<boolean | undefined>;
  /** Releases `lock` if `token` still holds it (compare-and-delete). */
  releaseLock(lock: string, token: string, options?: L2OperationOptions): Promise<boolean>;
  /** Whether a key (a lock, say) exists now. */
  exists(key: string): Promise<boolean | undefined>;
  /** CONFIG GET maxmemory-policy (undefined also when the server refuses CONFIG). */
  maxMemoryPolicy(): Promise<string | undefined>;
  serverFacts(): Promise<CacheServerFacts | undefined>;
  /** For a cluster cache, what doctor reads of every node; undefined for a single node or no answer. */
  clusterNodes(): Promise<CacheClusterNode[] | undefined>;
}

const releaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/** The operations over the gateway (the cache's one choke point). */
export class GatewayL2Operations implements L2Operations {
  constructor(
    private readonly gateway: CacheGateway,
    private readonly clock: Clock,
  ) {}

  async readLatest<V>(keys: readonly string[], expected: (key: string, index: number) => Partial<ValueOrigin>, codec: ValueCodec<V>) {
    if (keys.length === 0) return [];
    // One GET per key, not MGET: on a Redis Cluster the keys sit in different slots (node-redis pipelines the GETs).
    const raws = await this.gateway.run('l2.readLatest', (io) => Promise.all(keys.map((key) => io.redis.get(key))));
    if (raws === undefined) return undefined;
    const now = this.clock.now();
    return keys.map((key, i) => {
      const read = readStored(raws[i], key, expected(key, i), codec, now);
      return read.kind === 'value' ? read.value.value : undefined;
    });
  }

  async addToSets(entries: readonly { readonly set: string; readonly member: string }[], ttlMs: number): Promise<boolean> {
    // One transaction per set: on a Redis Cluster the sets sit in different slots.
    const done = await this.gateway.run('l2.addToSets', (io) =>
      Promise.all(entries.map(({ set, member }) => io.redis.multi().sAdd(set, member).pExpire(set, ttlMs).exec())),
    );
    return done !== undefined;
  }

  setMembers(set: string, limit: number): Promise<string[] | undefined> {
    return this.gateway.run('l2.setMembers', async (io) => {
      // SSCAN by hand, not sScanIterator: a Redis Cluster client has no iterators.
      const found: string[] = [];
      let cursor = '0';
      do {
        const page = await io.redis.sScan(set, cursor, { COUNT: 1_000 });
        cursor = String(page.cursor);
        found.push(...page.members);
      } while (cursor !== '0' && found.length < limit);
      return found.slice(0, limit);
    });
  }

  async setContains(set: string, members: readonly string[]): Promise<boolean[] | undefined> {
    if (members.length === 0) return [];
    const flags = await this.gateway.run('l2.setContains', (io) => io.redis.smIsMember(set, [...members]));
    return flags?.map((flag) => Number(flag) === 1);
  }

  async removeFromSet(set: string, members: readonly string[]): Promise<boolean> {
    if (members.length === 0) return true;
    return (await this.gateway.run('l2.removeFromSet', (io) => io.redis.sRem(set, [...members]))) !== undefined;
  }

  async hashEntries(hash: string): Promise<Record<string, string> | undefined> {
    const record = await this.gateway.run('l2.hashEntries', (io) => io.redis.hGetAll(hash));
    return typeof record === 'object' && record !== null ? (record as Record<string, string>) : undefined;
  }

  async hashPut(hash: string, field: string, value: string, ttlMs: number, options?: L2OperationOptions): Promise<boolean> {
    const lifetime = Math.max(1, Math.floor(ttlMs));
    const done = await this.gateway.run('l2.hashPut', (io) => io.redis.multi().hSet(hash, field, value).pExpire(hash, lifetime).exec(), options);
    return done !== undefined;
  }

  async hashRemove(hash: string, fields: readonly string[], options?: L2OperationOptions): Promise<boolean> {
    if (fields.length === 0) return true;
    return (await this.gateway.run('l2.hashRemove', (io) => io.redis.hDel(hash, [...fields]), options)) !== undefined;
  }

  async acquireLock(lock: string, token: string, ttlMs: number): Promise<boolean | undefined> {
    const reply = await this.gateway.run('l2.acquireLock', (io) =>
      io.redis.set(lock, token, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } }),
    );
    return reply === undefined ? undefined : reply === 'OK';
  }

  async releaseLock(lock: string, token: string, options?: L2OperationOptions): Promise<boolean> {
    const reply = await this.gateway.run('l2.releaseLock', (io) => io.redis.eval(releaseScript, { keys: [lock], arguments: [token] }), options);
    return reply !== undefined;
  }

  async exists(key: string): Promise<boolean | undefined> {
    const count = await this.gateway.run('l2.exists', (io) => io.redis.exists(key));
    return count === undefined ? undefined : Number(count) > 0;
  }

  async maxMemoryPolicy(): Promise<string | undefined> {
    const reply = await this.gateway.run('l2.maxMemoryPolicy', (io) => io.redis.configGet('maxmemory-policy'));
    const policy = reply?.['maxmemory-policy'];
    return typeof policy === 'string' ? policy : undefined;
  }

  async serverFacts(): Promise<CacheServerFacts | undefined> {
    const info = await this.gateway.run('l2.info', (io) => io.redis.info());
    if (typeof info !== 'string') return undefined;
    return { info, maxMemoryPolicy: await this.maxMemoryPolicy() };
  }

  async clusterNodes(): Promise<CacheClusterNode[] | undefined> {
    return this.gateway.run('l2.clusterNodes', async (io) => {
      const cluster = io.redis as unknown as NodeRedisCluster;
      if (!Array.isArray(cluster.masters)) return undefined;
      const answer = async <T>(ask: () => Promise<T>): Promise<T | undefined> => ask().catch(() => undefined);
      const read = async (node: { host: string; port: number }, role: 'master' | 'replica'): Promise<CacheClusterNode> => {
        const client = await answer(() => cluster.nodeClient(node));
        return {
          address: `${node.host}:${node.port}`,
          role,
          clusterInfo: await answer(async () => String(await client?.clusterInfo())),
          info: await answer(async () => client?.info()),
          maxMemoryPolicy: await answer(async () => (await client?.configGet('maxmemory-policy'))?.['maxmemory-policy']),
        };
      };
      return Promise.all([
        ...cluster.masters.map((node) => read(node, 'master')),
        ...(cluster.replicas ?? []).map((node) => read(node, 'replica')),
      ]);
    });
  }
}

/** Without L2 (off, or L1 only): every operation answers "no answer" at once. */
export const noL2Operations: L2Operations = Object.freeze({
  readLatest: async () => undefined,
  addToSets: async () => false,
  setMembers: async () => undefined,
  setContains: async () => undefined,
  removeFromSet: async () => false,
  hashEntries: async () => undefined,
  hashPut: async () => false,
  hashRemove: async () => false,
  acquireLock: async () => undefined,
  releaseLock: async () => false,
  exists: async () => undefined,
  maxMemoryPolicy: async () => undefined,
  serverFacts: async () => undefined,
  clusterNodes: async () => undefined,
});

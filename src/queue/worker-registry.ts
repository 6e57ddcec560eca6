import os from 'node:os';
import type { Redis } from 'ioredis';
import type { CacheHealth, CacheStats } from '../cache/index.js';
import type { QueueName } from '../config/index.js';

/** What a worker process publishes about itself, every few seconds, to the broker. */
export interface WorkerHeartbeat {
  /** `<host>:<pid>:<random>`: unique per process lifetime. */
  id: string;
  host: string;
  pid: number;
  queue: QueueName;
  pipeline: string;
  concurrency: number;
  startedAt: number;
  /** When this heartbeat was written (ms). */
  at: number;
  /** Jobs this process finished since it started, by outcome. */
  jobs: { ok: number; failed: number };
  /**
   * Processing time of this process's completed jobs: cumulative counts per upper bound
   * (`le`, seconds, as Prometheus histograms), their sum (seconds) and count.
   */
  durations: { buckets: Record<string, number>; sum: number; count: number };
  cache: { health: CacheHealth; stats: CacheStats };
}

/**
 * Worker heartbeats in the broker, never in the cache Redis, so an operator sees a dead
 * cache from the workers' own reports. Each heartbeat is a key with a TTL: a worker that
 * stops sending disappears by itself; the index is cleaned lazily by readers.
 */
export class WorkerRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get indexKey(): string {
    return `${this.prefix}:bl:workers`;
  }

  private key(id: string): string {
    return `${this.prefix}:bl:worker:${id}`;
  }

  async publish(heartbeat: WorkerHeartbeat, ttlSeconds: number): Promise<void> {
    await this.redis
      .multi()
      .set(this.key(heartbeat.id), JSON.stringify(heartbeat), 'EX', ttlSeconds)
      .zadd(this.indexKey, heartbeat.at, heartbeat.id)
      .exec();
  }

  async remove(id: string): Promise<void> {
    await this.redis.multi().del(this.key(id)).zrem(this.indexKey, id).exec();
  }

  /** Live workers (those whose heartbeat has not expired), oldest first. */
  async live(): Promise<WorkerHeartbeat[]> {
    const ids = await this.redis.zrange(this.indexKey, 0, -1);
    if (ids.length === 0) return [];
    const values = await this.redis.mget(...ids.map((id) => this.key(id)));
    const gone = ids.filter((_, i) => values[i] === null);
    if (gone.length > 0) await this.redis.zrem(this.indexKey, ...gone);
    return values.flatMap((value) => (value === null ? [] : [JSON.parse(value) as WorkerHeartbeat]));
  }
}

export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

import os from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Cache } from '../cache/index.js';
import type { QueueName } from '../config/index.js';
import { messageOf } from '../errors.js';
import { newWorkerId, type WorkerHeartbeat, WorkerRegistry } from '../queue/index.js';
import { settleWithin } from '../time.js';

/** Upper bounds (seconds) of the job duration histogram; `+Inf` is implied by `count`. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const;

export interface HeartbeatOptions {
  redis: Redis;
  prefix: string;
  queue: QueueName;
  pipeline: string;
  concurrency: number;
  cache: Cache;
  intervalMs: number;
  logger: Logger;
}

/**
 * Publishes this worker's heartbeat to the broker every `intervalMs` (TTL three
 * intervals). Failures are logged once until the next success: the broker may be
 * restarting, and the worker carries on regardless.
 */
export class Heartbeat {
  readonly id = newWorkerId();
  readonly jobs = { ok: 0, failed: 0 };
  /** Cumulative counts per bucket, in DURATION_BUCKETS' order (named only when published). */
  private readonly bucketCounts: number[] = DURATION_BUCKETS.map(() => 0);
  private readonly durations = { sum: 0, count: 0 };
  private readonly registry: WorkerRegistry;
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(private readonly options: HeartbeatOptions) {
    this.registry = new WorkerRegistry(options.redis, options.prefix);
  }

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Counts a completed job's processing time. */
  recordDuration(ms: number): void {
    const seconds = ms / 1000;
    // Runs once per job: buckets are counted by index, with no string keys on this path.
    for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= (DURATION_BUCKETS[i] as number)) this.bucketCounts[i] = (this.bucketCounts[i] as number) + 1;
    this.durations.sum += seconds;
    this.durations.count++;
  }

  /** Stops beating and removes the heartbeat, waiting at most 1 s: the key expires by itself anyway. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await settleWithin(this.registry.remove(this.id), 1_000);
  }

  snapshot(): WorkerHeartbeat {
    const { queue, pipeline, concurrency, cache } = this.options;
    return {
      id: this.id,
      host: os.hostname(),
      pid: process.pid,
      queue,
      pipeline,
      concurrency,
      startedAt: this.startedAt,
      at: Date.now(),
      jobs: { ...this.jobs },
      durations: {
        buckets: Object.fromEntries(DURATION_BUCKETS.map((le, i) => [String(le), this.bucketCounts[i] as number])),
        sum: this.durations.sum,
        count: this.durations.count,
      },
      cache: { health: cache.health(), stats: cache.stats() },
    };
  }

  private async beat(): Promise<void> {
    try {
      await this.registry.publish(this.snapshot(), Math.ceil((this.options.intervalMs * 3) / 1000));
      if (this.failing) this.options.logger.info('heartbeat published again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.options.logger.warn({ err: messageOf(error) }, 'heartbeat could not be published; retrying');
      this.failing = true;
    }
  }
}

import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import { messageOf } from '../errors.js';
import { type CountableQueue } from '../metrics/index.js';
import { within } from '../time.js';

/** Queue depth at one moment: per queue, jobs waiting to run and jobs running. */
export interface QueueSample {
  /** Start of the sample's interval (ms). */
  at: number;
  queues: Record<string, { waiting: number; active: number }>;
}

export interface QueueSamplerOptions {
  redis: Redis;
  prefix: string;
  queues: readonly CountableQueue[];
  /** Time between samples (ms). */
  intervalMs: number;
  /** False while the broker connection is down: the sample is skipped instead of waiting for it. */
  brokerConnected: () => boolean;
  /** How far back samples are kept (ms). @defaultValue 6 hours */
  retentionMs?: number;
  logger: Logger;
}

const SIX_HOURS_MS = 6 * 3_600_000;

/** Jobs that are ready and not yet taken: BullMQ keeps prioritized and paused ones apart from `wait`. */
export function waitingOf(counts: Record<string, number>): number {
  return (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0);
}

/**
 * Samples queue depth every interval into a capped sorted set in the broker (the cache
 * Redis is disposable and may be gone), so the charts survive dashboard restarts and
 * several dashboards share one history. Each sample is filed under the start of its
 * interval and replaces any other sample for that interval, so two dashboards sampling
 * at once do not double the points. Older samples are trimmed by age and by count.
 */
export class QueueSampler {
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private readonly retentionMs: number;

  constructor(private readonly options: QueueSamplerOptions) {
    this.retentionMs = options.retentionMs ?? SIX_HOURS_MS;
  }

  /** The sorted set: score = interval start (ms), member = the sample as JSON. */
  get key(): string {
    return `${this.options.prefix}:bl:queue-samples`;
  }

  start(): void {
    void this.sampleNow();
    this.timer = setInterval(() => void this.sampleNow(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample now. Never throws: a broker outage leaves a gap in the chart, logged once. */
  async sampleNow(now = Date.now()): Promise<void> {
    const { redis, queues, intervalMs, logger } = this.options;
    try {
      if (!this.options.brokerConnected()) throw new Error('broker not connected');
      const counts = await within(
        Promise.all(queues.map(async (queue) => [queue.name, await queue.getJobCounts()] as const)),
        intervalMs,
        'queue counts',
      );
      const at = Math.floor(now / intervalMs) * intervalMs;
      const sample: QueueSample = {
        at,
        queues: Object.fromEntries(counts.map(([name, c]) => [name, { waiting: waitingOf(c), active: c.active ?? 0 }])),
      };
      const maxSamples = Math.ceil(this.retentionMs / intervalMs) + 1;
      await redis
        .multi()
        .zremrangebyscore(this.key, at, at)
        .zadd(this.key, at, JSON.stringify(sample))
        .zremrangebyscore(this.key, '-inf', `(${at - this.retentionMs}`)
        .zremrangebyrank(this.key, 0, -(maxSamples + 1))
        .pexpire(this.key, this.retentionMs)
        .exec();
      if (this.failing) logger.info('queue samples recorded again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) logger.warn({ err: messageOf(error) }, 'queue sample could not be recorded; retrying each interval');
      this.failing = true;
    }
  }

  /** Samples of the retention window, oldest first. */
  async history(now = Date.now()): Promise<QueueSample[]> {
    const members = await this.options.redis.zrangebyscore(this.key, now - this.retentionMs, '+inf');
    return members.flatMap((member) => {
      try {
        return [JSON.parse(member) as QueueSample];
      } catch {
        return [];
      }
    });
  }
}

import type { Redis } from 'ioredis';
import { type BatchStore, jobIdFor, type ResultLine, type TimelinePoint } from '../batches/index.js';
import type { WorkerRegistry } from '../queue/index.js';
import { type BatchView, batchView } from './batch-view.js';
import { type QueueSample, type QueueSampler, waitingOf } from './queue-sampler.js';
import { recentTimeline } from './recent-timeline.js';
import { scrubSecrets } from './scrub-secrets.js';
import { type WorkerView, workerView } from './worker-view.js';

/** A queue the dashboard reads: counts, and the ids of its running jobs. */
export interface DashboardQueue {
  readonly name: string;
  getJobCounts(): Promise<Record<string, number>>;
  /** Job ids in the given states (BullMQ's `Queue#getRanges`). */
  getRanges(types: 'active'[], start?: number, end?: number): Promise<string[]>;
}

/** A failed document with its reason and where to find its job in Bull Board. */
export interface FailureView {
  id: string;
  code: string;
  message: string;
  jobId: string;
  jobUrl: string;
}

export interface BatchDetail {
  batch: BatchView;
  timeline: TimelinePoint[];
  failures: FailureView[];
  links: { queue: string; failed: string; active: string };
}

export interface QueueView {
  name: string;
  counts: Record<string, number>;
  waiting: number;
  active: number;
  url: string;
}

/** Where Bull Board is mounted; the pages link into it. */
export const BULL_BOARD_PATH = '/queues';

const queueUrl = (queue: string) => `${BULL_BOARD_PATH}/queue/${encodeURIComponent(queue)}`;

/**
 * What the pages and JSON APIs show, read from the broker (`redis`, with the queue
 * `prefix`) on each request: batch counters and timelines (BatchStore), worker
 * heartbeats (WorkerRegistry), queue counts and the sampled queue history. Nothing here
 * reads the cache Redis.
 */
export class DashboardData {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly store: BatchStore,
    private readonly registry: WorkerRegistry,
    private readonly queues: ReadonlyMap<string, DashboardQueue>,
    private readonly sampler: QueueSampler,
    private readonly now: () => number = Date.now,
  ) {}

  /** The most recent batches, newest first. */
  async batches(limit: number): Promise<BatchView[]> {
    const ids = await this.store.list(limit);
    const [infos, active] = await Promise.all([Promise.all(ids.map((id) => this.store.get(id))), this.activeJobIds()]);
    const now = this.now();
    return Promise.all(
      infos
        .filter((info) => info !== undefined)
        .map(async (info) => {
          const recent = info.finishedAt === undefined ? await recentTimeline(this.redis, this.prefix, info.batchId, now) : undefined;
          return batchView(info, countForBatch(active.get(info.queue), info.batchId), recent, now);
        }),
    );
  }

  /** One batch with its per-minute timeline and failed documents; undefined if the broker has no such batch. */
  async batch(batchId: string, failureLimit = 200): Promise<BatchDetail | undefined> {
    const info = await this.store.get(batchId);
    if (!info) return undefined;
    const [timeline, failures, active] = await Promise.all([
      this.store.timeline(batchId),
      this.store.failures(batchId, failureLimit),
      this.activeJobIds(info.queue),
    ]);
    const queue = queueUrl(info.queue);
    return {
      batch: batchView(info, countForBatch(active.get(info.queue), batchId), timeline, this.now()),
      timeline,
      failures: failures.sort(byId).map((line) => failureView(batchId, line, queue)),
      links: { queue, failed: `${queue}?status=failed`, active: `${queue}?status=active` },
    };
  }

  /** Live workers with their cache health. */
  async workers(): Promise<WorkerView[]> {
    return (await this.registry.live()).map(workerView);
  }

  /** Every queue's counts now, and the sampled history of waiting/active. */
  async queueOverview(): Promise<{ queues: QueueView[]; history: QueueSample[] }> {
    const [queues, history] = await Promise.all([
      Promise.all(
        [...this.queues.values()].map(async (queue) => {
          const counts = await queue.getJobCounts();
          return { name: queue.name, counts, waiting: waitingOf(counts), active: counts.active ?? 0, url: queueUrl(queue.name) };
        }),
      ),
      this.sampler.history(this.now()),
    ]);
    return { queues, history };
  }

  /** Running job ids per queue. The active list is short (at most the workers' total concurrency). */
  private async activeJobIds(only?: string): Promise<Map<string, string[]>> {
    const queues = [...this.queues.values()].filter((queue) => only === undefined || queue.name === only);
    const entries = await Promise.all(queues.map(async (queue) => [queue.name, await queue.getRanges(['active'], 0, -1)] as const));
    return new Map(entries);
  }
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A failed document's reason (scrubbed of credentials, bounded) and its job's page in Bull Board. */
function failureView(batchId: string, line: ResultLine, queue: string): FailureView {
  const jobId = jobIdFor(batchId, line.id);
  return {
    id: line.id,
    code: line.error?.code ?? 'E_UNKNOWN',
    message: scrubSecrets(line.error?.message ?? '').slice(0, 500),
    jobId,
    jobUrl: `${queue}/${encodeURIComponent(jobId)}`,
  };
}

/**
 * Job ids are `<batchId>.<hash>` (see `jobIdFor`) and the hash has no dot, so a batch's
 * running jobs are those whose id is its id, a dot, and no further dot (batch `a` must
 * not count the jobs of batch `a.b`).
 */
function countForBatch(ids: readonly string[] | undefined, batchId: string): number {
  const prefix = `${batchId}.`;
  return ids?.filter((id) => id.startsWith(prefix) && !id.includes('.', prefix.length)).length ?? 0;
}

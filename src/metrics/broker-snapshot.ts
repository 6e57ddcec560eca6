import type { BatchInfo, BatchStore } from '../batches/index.js';
import type { WorkerHeartbeat, WorkerRegistry } from '../queue/index.js';
import { within } from '../time.js';

/** A queue whose job counts can be read (a BullMQ `Queue` is one). */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(): Promise<Record<string, number>>;
}

/** Where metrics come from: the broker only, never the cache Redis. */
export interface MetricsSources {
  queues: readonly CountableQueue[];
  store: BatchStore;
  workers: WorkerRegistry;
  /** Most recent batches exported (labels stay bounded). @defaultValue 50 */
  batchLimit?: number;
  /** False while the broker connection is down: the scrape then reports so at once instead of waiting. */
  brokerConnected?: () => boolean;
  /** Longest a scrape waits for the broker (ms). @defaultValue 5000 */
  timeoutMs?: number;
}

/** Everything one scrape reports, read from the broker in one go so the figures agree with each other. */
export interface BrokerSnapshot {
  brokerUp: boolean;
  queues: { name: string; counts: Record<string, number> }[];
  workers: WorkerHeartbeat[];
  batches: BatchInfo[];
}

const EMPTY: Omit<BrokerSnapshot, 'brokerUp'> = { queues: [], workers: [], batches: [] };

/**
 * Reads queue counts, live worker heartbeats and the most recent batches. An unreachable
 * broker is a scrape that says so (`brokerUp: false`), not a failed scrape: Prometheus
 * should see the outage as a value it can alert on.
 */
export async function readBrokerSnapshot(sources: MetricsSources): Promise<BrokerSnapshot> {
  if (sources.brokerConnected && !sources.brokerConnected()) return { brokerUp: false, ...EMPTY };
  const read = async () => {
    const [queues, workers, ids] = await Promise.all([
      Promise.all(sources.queues.map(async (queue) => ({ name: queue.name, counts: await queue.getJobCounts() }))),
      sources.workers.live(),
      sources.store.list(sources.batchLimit ?? 50),
    ]);
    const batches = (await Promise.all(ids.map((id) => sources.store.get(id)))).filter((batch) => batch !== undefined);
    return { brokerUp: true, queues, workers, batches };
  };
  try {
    return await within(read(), sources.timeoutMs ?? 5_000, 'metrics scrape');
  } catch {
    return { brokerUp: false, ...EMPTY };
  }
}

import { Counter, Gauge, Registry } from 'prom-client';
import { BreakerState } from '../breaker/index.js';
import { type BrokerSnapshot, type MetricsSources, readBrokerSnapshot } from './broker-snapshot.js';
import { SummedHistogram } from './summed-histogram.js';

/** `/metrics` for batchline: its own registry, filled from the broker on each scrape. */
export interface BatchlineMetrics {
  readonly registry: Registry;
  /** The `Content-Type` of `render()`'s text. */
  readonly contentType: string;
  /** Reads the broker once and returns every metric in Prometheus text format. */
  render(): Promise<string>;
}

const BREAKER_STATES = [...Object.values(BreakerState), 'OFF'] as const;

/**
 * Builds the metrics. Nothing is counted in this process: each scrape reads one snapshot
 * of the broker (queue counts, live worker heartbeats, recent batch counters) and the
 * metrics' `collect()` callbacks copy it, so any number of dashboards report the same
 * figures and a restart loses nothing. Worker counters carry a `worker` label: each
 * process's series is monotonic, and `sum by (queue)` is correct across restarts.
 */
export function createMetrics(sources: MetricsSources): BatchlineMetrics {
  const registry = new Registry();
  let snapshot: BrokerSnapshot = { brokerUp: false, queues: [], workers: [], batches: [] };

  new Gauge({
    name: 'batchline_broker_up',
    help: '1 when the broker Redis answered this scrape, 0 otherwise (then no other figure is reported).',
    registers: [registry],
    collect() {
      this.set(snapshot.brokerUp ? 1 : 0);
    },
  });

  new Gauge({
    name: 'batchline_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, as getJobCounts reports them (completed and failed are those still retained).',
    labelNames: ['queue', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const queue of snapshot.queues) for (const [state, count] of Object.entries(queue.counts)) this.set({ queue: queue.name, state }, count);
    },
  });

  new Gauge({
    name: 'batchline_workers',
    help: 'Live worker processes (heartbeat not expired) per queue.',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of snapshot.workers) this.inc({ queue: worker.queue });
    },
  });

  type Worker = BrokerSnapshot['workers'][number];
  type Batch = BrokerSnapshot['batches'][number];

  /** A counter with one series per live worker and value of `label`, copied from its heartbeat on scrape. */
  const perWorker = (name: string, help: string, label: string, values: (worker: Worker) => Record<string, number>) =>
    new Counter({
      name,
      help,
      labelNames: ['queue', 'worker', label],
      registers: [registry],
      collect() {
        this.reset();
        for (const worker of snapshot.workers) {
          for (const [key, value] of Object.entries(values(worker))) this.inc({ queue: worker.queue, worker: worker.id, [label]: key }, value);
        }
      },
    });

  /** A gauge with one series per recent batch and value of `label`, copied from its counters on scrape. */
  const perBatch = (name: string, help: string, label: string | undefined, values: (batch: Batch) => Record<string, number>) =>
    new Gauge({
      name,
      help,
      labelNames: ['batch', 'queue', ...(label ? [label] : [])],
      registers: [registry],
      collect() {
        this.reset();
        for (const batch of snapshot.batches) {
          for (const [key, value] of Object.entries(values(batch))) {
            this.set({ batch: batch.batchId, queue: batch.queue, ...(label ? { [label]: key } : {}) }, value);
          }
        }
      },
    });

  perWorker(
    'batchline_worker_jobs_total',
    'Jobs a live worker process finished since it started, by outcome (ok = completed, failed = failed attempt).',
    'outcome',
    (worker) => ({ ok: worker.jobs.ok, failed: worker.jobs.failed }),
  );

  const durations = new SummedHistogram(
    'batchline_job_duration_seconds',
    "Processing time of completed jobs, summed over the live workers' own histograms, per queue.",
    () => {
      const byQueue = new Map<string, BrokerSnapshot['workers']>();
      for (const worker of snapshot.workers) byQueue.set(worker.queue, [...(byQueue.get(worker.queue) ?? []), worker]);
      return [...byQueue].map(([queue, workers]) => ({ labels: { queue }, data: workers.map((worker) => worker.durations) }));
    },
  );
  registry.registerMetric(durations.asMetric());

  perWorker(
    'batchline_cache_lookups_total',
    'Cache lookups of a live worker by result: hit in L1 (in-process), hit in L2 (Redis), or miss.',
    'result',
    ({ cache: { stats } }) => ({ hit_l1: stats.hitsL1, hit_l2: stats.hitsL2, miss: stats.misses }),
  );

  perWorker(
    'batchline_cache_failures_total',
    'L2 cache operations of a live worker that did not reach Redis: timeout, error, or short_circuit (breaker open).',
    'kind',
    ({ cache: { stats } }) => ({ timeout: stats.timeouts, error: stats.errors, short_circuit: stats.shortCircuits }),
  );

  new Counter({
    name: 'batchline_cache_corrupt_values_total',
    help: 'Cache values a live worker refused as corrupt: unreadable, of an old format, under a key not their own, or made from something else than the reader expected (each was a miss).',
    labelNames: ['queue', 'worker'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of snapshot.workers) this.inc({ queue: worker.queue, worker: worker.id }, worker.cache.stats.invalidValues);
    },
  });

  new Gauge({
    name: 'batchline_cache_breaker_state',
    help: "Cache breaker state of each live worker: 1 for the current state, 0 for the others (OFF: no L2 cache, so no breaker).",
    labelNames: ['queue', 'worker', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of snapshot.workers) {
        const current = worker.cache.health.breaker?.state ?? 'OFF';
        for (const state of BREAKER_STATES) this.set({ queue: worker.queue, worker: worker.id, state }, state === current ? 1 : 0);
      }
    },
  });

  perBatch(
    'batchline_batch_documents',
    'Documents of each recent batch by status: total (accepted), ok, failed, rejected (refused at ingest).',
    'status',
    (batch) => ({ total: batch.total, ok: batch.ok, failed: batch.failed, rejected: batch.rejected }),
  );

  perBatch(
    'batchline_batch_cache_documents',
    'Documents of each recent batch by how their artifact was obtained: exact cache hit, semantic (near-duplicate) hit, or miss (pipeline ran).',
    'kind',
    (batch) => ({ exact: batch.cache.exact, semantic: batch.cache.semantic, miss: batch.cache.miss }),
  );

  perBatch(
    'batchline_batch_llm_tokens',
    "LLM tokens of each recent batch: spent (in, out) by pipeline runs, and saved by cache hits (the served artifacts' original cost).",
    'kind',
    (batch) => ({ in: batch.llm.tokensIn, out: batch.llm.tokensOut, saved: batch.llm.tokensSaved }),
  );

  perBatch('batchline_batch_llm_calls', 'LLM calls made for each recent batch.', undefined, (batch) => ({ calls: batch.llm.calls }));

  perBatch(
    'batchline_batch_finished',
    '1 when every accepted document of the batch has a result and no more are coming, else 0.',
    undefined,
    (batch) => ({ finished: batch.finishedAt === undefined ? 0 : 1 }),
  );

  return {
    registry,
    contentType: registry.contentType,
    async render() {
      const next = await readBrokerSnapshot(sources);
      // No await between setting the snapshot and `metrics()`: prom-client calls every
      // collect() synchronously at its start, so one scrape never mixes two snapshots.
      snapshot = next;
      return registry.metrics();
    },
  };
}

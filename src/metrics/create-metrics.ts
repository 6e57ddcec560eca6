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

  new Counter({
    name: 'batchline_worker_jobs_total',
    help: 'Jobs a live worker process finished since it started, by outcome (ok = completed, failed = failed attempt).',
    labelNames: ['queue', 'worker', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of snapshot.workers) {
        this.inc({ queue: worker.queue, worker: worker.id, outcome: 'ok' }, worker.jobs.ok);
        this.inc({ queue: worker.queue, worker: worker.id, outcome: 'failed' }, worker.jobs.failed);
      }
    },
  });

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

  new Counter({
    name: 'batchline_cache_lookups_total',
    help: 'Cache lookups of a live worker by result: hit in L1 (in-process), hit in L2 (Redis), or miss.',
    labelNames: ['queue', 'worker', 'result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of snapshot.workers) {
        const { stats } = worker.cache;
        const labels = { queue: worker.queue, worker: worker.id };
        this.inc({ ...labels, result: 'hit_l1' }, stats.hitsL1);
        this.inc({ ...labels, result: 'hit_l2' }, stats.hitsL2);
        this.inc({ ...labels, result: 'miss' }, stats.misses);
      }
    },
  });

  new Counter({
    name: 'batchline_cache_failures_total',
    help: 'L2 cache operations of a live worker that did not reach Redis: timeout, error, or short_circuit (breaker open).',
    labelNames: ['queue', 'worker', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of snapshot.workers) {
        const { stats } = worker.cache;
        const labels = { queue: worker.queue, worker: worker.id };
        this.inc({ ...labels, kind: 'timeout' }, stats.timeouts);
        this.inc({ ...labels, kind: 'error' }, stats.errors);
        this.inc({ ...labels, kind: 'short_circuit' }, stats.shortCircuits);
      }
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

  new Gauge({
    name: 'batchline_batch_documents',
    help: 'Documents of each recent batch by status: total (accepted), ok, failed, rejected (refused at ingest).',
    labelNames: ['batch', 'queue', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const batch of snapshot.batches) {
        const labels = { batch: batch.batchId, queue: batch.queue };
        this.set({ ...labels, status: 'total' }, batch.total);
        this.set({ ...labels, status: 'ok' }, batch.ok);
        this.set({ ...labels, status: 'failed' }, batch.failed);
        this.set({ ...labels, status: 'rejected' }, batch.rejected);
      }
    },
  });

  new Gauge({
    name: 'batchline_batch_llm_tokens',
    help: 'LLM tokens of each recent batch: spent (in, out) by pipeline runs, and saved by cache hits (the served artifacts\' original cost).',
    labelNames: ['batch', 'queue', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const batch of snapshot.batches) {
        const labels = { batch: batch.batchId, queue: batch.queue };
        this.set({ ...labels, kind: 'in' }, batch.llm.tokensIn);
        this.set({ ...labels, kind: 'out' }, batch.llm.tokensOut);
        this.set({ ...labels, kind: 'saved' }, batch.llm.tokensSaved);
      }
    },
  });

  new Gauge({
    name: 'batchline_batch_llm_calls',
    help: 'LLM calls made for each recent batch.',
    labelNames: ['batch', 'queue'],
    registers: [registry],
    collect() {
      this.reset();
      for (const batch of snapshot.batches) this.set({ batch: batch.batchId, queue: batch.queue }, batch.llm.calls);
    },
  });

  new Gauge({
    name: 'batchline_batch_cache_documents',
    help: 'Documents of each recent batch by how their artifact was obtained: exact cache hit, semantic (near-duplicate) hit, or miss (pipeline ran).',
    labelNames: ['batch', 'queue', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const batch of snapshot.batches) {
        const labels = { batch: batch.batchId, queue: batch.queue };
        this.set({ ...labels, kind: 'exact' }, batch.cache.exact);
        this.set({ ...labels, kind: 'semantic' }, batch.cache.semantic);
        this.set({ ...labels, kind: 'miss' }, batch.cache.miss);
      }
    },
  });

  new Gauge({
    name: 'batchline_batch_finished',
    help: '1 when every accepted document of the batch has a result and no more are coming, else 0.',
    labelNames: ['batch', 'queue'],
    registers: [registry],
    collect() {
      this.reset();
      for (const batch of snapshot.batches) this.set({ batch: batch.batchId, queue: batch.queue }, batch.finishedAt === undefined ? 0 : 1);
    },
  });

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

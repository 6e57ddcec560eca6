import type { Metric } from 'prom-client';

/** A Prometheus histogram as it is exchanged: cumulative counts per upper bound (`le`, seconds), sum and count. */
export interface HistogramData {
  buckets: Record<string, number>;
  sum: number;
  count: number;
}

interface HistogramValue {
  metricName: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A histogram whose buckets are summed from histograms measured elsewhere (the workers'
 * heartbeats). prom-client's Histogram only takes observations, so this is a minimal
 * metric of its own that the registry formats like any other: on each scrape `collect`
 * hands it the groups to export, one series set per label set.
 */
export class SummedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private groups: { labels: Record<string, string>; data: HistogramData }[] = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly collect: () => { labels: Record<string, string>; data: HistogramData[] }[],
  ) {}

  /** Called by the registry on every scrape. */
  async get() {
    this.groups = this.collect().map((group) => ({ labels: group.labels, data: sumHistograms(group.data) }));
    const values: HistogramValue[] = [];
    for (const { labels, data } of this.groups) {
      const bounds = Object.keys(data.buckets)
        .map(Number)
        .filter((le) => Number.isFinite(le))
        .sort((a, b) => a - b);
      for (const le of bounds) values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: String(le) }, value: data.buckets[String(le)] ?? 0 });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: data.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: data.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: data.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.groups = [];
  }

  /** The registry's type names only prom-client's own classes; it needs just `name` and `get()`. */
  asMetric(): Metric {
    return this as unknown as Metric;
  }
}

/** Bucket-wise sum. Every worker uses the same bounds (`DURATION_BUCKETS`), so the sums stay cumulative. */
export function sumHistograms(histograms: readonly HistogramData[]): HistogramData {
  const total: HistogramData = { buckets: {}, sum: 0, count: 0 };
  for (const histogram of histograms) {
    for (const [le, count] of Object.entries(histogram.buckets)) total.buckets[le] = (total.buckets[le] ?? 0) + count;
    total.sum += histogram.sum;
    total.count += histogram.count;
  }
  return total;
}

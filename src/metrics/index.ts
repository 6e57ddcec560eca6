export { type BrokerSnapshot, type CountableQueue, type MetricsSources, readBrokerSnapshot } from './broker-snapshot.js';
export { type BatchlineMetrics, createMetrics } from './create-metrics.js';
export { type HistogramData, SummedHistogram, sumHistograms } from './summed-histogram.js';

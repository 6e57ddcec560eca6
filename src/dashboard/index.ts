/** The dashboard area's public face: what the CLI (`batchline dashboard`, `dev`) imports. */
export { assertSafeBinding, hasCredentials, isLoopbackHost } from './access-policy.js';
export type { BatchView } from './batch-view.js';
export type { BatchDetail, FailureView, QueueView } from './dashboard-data.js';
export type { QueueSample } from './queue-sampler.js';
export { type DashboardOptions, type RunningDashboard, startDashboard } from './start-dashboard.js';
export type { WorkerView } from './worker-view.js';

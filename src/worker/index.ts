/** The worker area's public face: worker processes, the pool that runs them, and in-process learning. */
export { learnInThisProcess } from './patterns-worker.js';
export { runWorkerProcess } from './worker-main.js';
export { WorkerPool } from './worker-pool.js';

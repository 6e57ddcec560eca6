import { defineConfig } from 'vitest/config';

/** Integration files that run after the two lanes, one at a time (see the 'integration-alone' project). */
const ALONE = ['test/chaos/redis-cluster.test.ts', 'test/chaos/network-hosts.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Only Date and timers are faked where a test asks, so Redis I/O still runs.
    fakeTimers: { toFake: ['Date', 'setTimeout', 'clearTimeout'] },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // No servers, no mocks: two files at a time, one per core, and each worker keeps its
          // module cache from file to file. Isolated, a unit file spent about as long starting
          // a process and importing as testing (test/unit: 44 s isolated, 20 s not).
          maxWorkers: 2,
          isolate: false,
          // The unit files finish before the first integration file starts.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/chaos/**/*.test.ts'],
          exclude: ALONE,
          // Two files at a time. Integration tests start real redis-server and worker processes,
          // but much of their time is spent waiting (timeouts, stall detection, failovers): one
          // file at a time left a third of 2 cores idle (640 s for these files and the ones run
          // alone, against 456 s in two lanes).
          maxWorkers: 2,
          // Each lane keeps one process from file to file: a fresh process per file cost about
          // a second of start-up and imports (BullMQ, ioredis, the dashboard) each time.
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          // Fault tests that act "mid-batch" on a batch whose speed is the machine's: next to
          // another file they lost the race (the batch was done before the cache master died)
          // or saw a worker finish before the cut reached it. They run after the lanes, alone.
          name: 'integration-alone',
          include: ALONE,
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          // The browser test in its own process, last: it was not tried in the shared one
          // (no chromium on the machine where that was measured).
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});

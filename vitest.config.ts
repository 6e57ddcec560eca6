import { defineConfig } from 'vitest/config';

/*
 * Three groups, one after another: unit and integration files together, then the fault
 * tests alone, then the browser test. Projects of one group run at the same time.
 */

/**
 * Fault tests that place their faults by command (a lost reply, a kill after the n-th
 * command) or bad input, not by racing a running batch: they run in the integration lanes.
 */
const DETERMINISTIC_CHAOS = [
  'test/chaos/lost-replies.test.ts',
  'test/chaos/killed-ingest.test.ts',
  'test/chaos/hostile-input.test.ts',
  'test/chaos/cache-value-binding.test.ts',
  'test/chaos/tenant-scopes.test.ts',
  'test/chaos/readded-job.test.ts',
  'test/chaos/ingest-set-up.test.ts',
];
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
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', ...DETERMINISTIC_CHAOS],
          // Two files at a time, next to the unit files: these start real redis-server and
          // worker processes but spend much of their time waiting on them, and one file at a
          // time left about a third of 2 cores idle.
          maxWorkers: 2,
          // Each lane keeps one process from file to file: a fresh process per file cost about
          // a second of start-up and imports (BullMQ, ioredis, the dashboard) each time.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          // The fault tests act "mid-batch" on batches whose speed is the machine's, and judge
          // stalls and breakers by the clock: next to another file they lost those races (a
          // cache master killed after the batch was done, a worker done before the cut reached
          // it) in fresh-clone CI runs. They run after the rest, one file at a time.
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          exclude: DETERMINISTIC_CHAOS,
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          // The browser test in its own process, last: it was not tried in the shared one
          // (no chromium on the machine where that was measured).
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});

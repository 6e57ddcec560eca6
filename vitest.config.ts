import { defineConfig } from 'vitest/config';

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
          // Two files at a time. Integration tests start real redis-server and worker processes,
          // but much of their time is spent waiting (timeouts, stall detection, failovers): one
          // file at a time left a third of 2 cores idle, and the suite took 640 s where two
          // lanes take 456 s. More lanes starve the timing-sensitive fault tests.
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

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real redis-server processes and worker processes; on a
    // 2-core machine running files one at a time keeps them from starving each other.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Only Date and timers are faked where a test asks, so Redis I/O still runs.
    fakeTimers: { toFake: ['Date', 'setTimeout', 'clearTimeout'] },
  },
});

import type { Queue } from 'bullmq';
import type { Command } from 'commander';
import { childEnvironment, QUEUE_NAMES, redactUrl } from '../../config/index.js';
import { startDashboard } from '../../dashboard/index.js';
import { createLogger } from '../../log.js';
import { openQueue } from '../../queue/index.js';
import { applySchedules } from '../../schedule/index.js';
import { WorkerPool } from '../../worker/index.js';
import { openBrokerSession } from '../broker-session.js';
import { type CommonFlags, parsePort } from '../cli-options.js';
import { configFor, configOption, logLevelOption } from '../shared-options.js';
import { untilSignal } from './dashboard-command.js';

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('everything on one machine: embedded broker and cache (unless configured), a worker per queue, the dashboard and the schedules; Ctrl-C stops it all')
    .option('--port <port>', 'dashboard port (default 3000)', parsePort)
    .option('-p, --pipeline <pipeline>', 'built-in pipeline or path to a pipeline module')
    .option('--no-cache', 'do not use the cache')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (flags: CommonFlags & { port?: number }) => {
      const base = configFor(flags);
      const logger = createLogger({ level: base.logLevel, format: base.logFormat });
      const session = await openBrokerSession(base, logger, { withCache: base.cache.enabled });
      const config = {
        ...base,
        brokerUrl: session.brokerUrl,
        cacheUrl: session.cacheUrl,
        dashboard: { ...base.dashboard, ...(flags.port !== undefined ? { port: flags.port } : {}) },
      };
      const env = childEnvironment(config);
      const pools = QUEUE_NAMES.map(
        (queue) => new WorkerPool({ queue, processes: 1, maxRestarts: config.workers.maxRestarts, env, stopTimeoutMs: config.workers.shutdownTimeoutMs + 5_000 }, logger),
      );
      const queues: Record<'default' | 'batch', Queue> = {
        default: openQueue(config, 'default', session.brokerUrl),
        batch: openQueue(config, 'batch', session.brokerUrl),
      };
      let dashboard: Awaited<ReturnType<typeof startDashboard>> | undefined;
      try {
        for (const pool of pools) pool.start();
        const schedules = await applySchedules(config, queues);
        dashboard = await startDashboard(config, { brokerUrl: session.brokerUrl, logger });
        process.stderr.write(
          [
            `batchline dev: dashboard at ${dashboard.url}`,
            `  broker ${redactUrl(session.brokerUrl)}${session.embedded ? ' (embedded)' : ''}, cache ${session.cacheUrl ? redactUrl(session.cacheUrl) : 'in-process only'}`,
            `  workers: ${QUEUE_NAMES.join(', ')}; schedules: ${[...schedules.added, ...schedules.updated, ...schedules.unchanged].join(', ') || 'none'}`,
            `  submit work with BATCHLINE_BROKER_URL=${redactUrl(session.brokerUrl)} batchline ingest <inputs>; Ctrl-C stops everything`,
            '',
          ].join('\n'),
        );
        await Promise.race([untilSignal(), ...pools.map((pool) => pool.failure)]);
      } finally {
        await dashboard?.close();
        await Promise.all(pools.map((pool) => pool.stop()));
        await Promise.all(Object.values(queues).map((queue) => queue.close().catch(() => {})));
        await session.close();
      }
    });
}

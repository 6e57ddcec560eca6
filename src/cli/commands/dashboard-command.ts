import type { Command } from 'commander';
import { redactUrl } from '../../config/index.js';
import { startDashboard } from '../../dashboard/index.js';
import { createLogger } from '../../log.js';
import { openBrokerSession } from '../broker-session.js';
import { type CommonFlags, parsePort } from '../cli-options.js';
import { configFor, configOption, logLevelOption } from '../shared-options.js';

export function registerDashboardCommand(program: Command): void {
  program
    .command('dashboard')
    .description('serve the dashboard (queues, batches, cache health), /metrics, /healthz and /readyz')
    .option('--port <port>', 'port (default 3000)', parsePort)
    .option('--host <host>', 'address to listen on (default 127.0.0.1; any other needs credentials)')
    .option('--read-only', 'hide and refuse every write action')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (flags: CommonFlags & { port?: number; host?: string; readOnly?: boolean }) => {
      const config = configFor(flags);
      const dashboardConfig = {
        ...config,
        dashboard: {
          ...config.dashboard,
          ...(flags.port !== undefined ? { port: flags.port } : {}),
          ...(flags.host !== undefined ? { host: flags.host } : {}),
          ...(flags.readOnly ? { readOnly: true } : {}),
        },
      };
      const logger = createLogger({ level: config.logLevel, format: config.logFormat });
      const session = await openBrokerSession(config, logger, { withCache: false });
      let dashboard: Awaited<ReturnType<typeof startDashboard>>;
      try {
        dashboard = await startDashboard(dashboardConfig, { brokerUrl: session.brokerUrl, logger });
      } catch (error) {
        await session.close();
        throw error;
      }
      process.stderr.write(`dashboard at ${dashboard.url} (broker ${redactUrl(session.brokerUrl)}); Ctrl-C to stop\n`);
      await untilSignal();
      await dashboard.close();
      await session.close();
    });
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

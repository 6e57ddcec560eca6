import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { BatchStore } from '../batches/index.js';
import { type Config, QUEUE_NAMES, redactUrl } from '../config/index.js';
import { BatchlineError, ErrorCode, messageOf } from '../errors.js';
import type { Logger } from '../log.js';
import { createMetrics } from '../metrics/index.js';
import { openQueue, WorkerRegistry } from '../queue/index.js';
import { brokerClient } from '../redis/index.js';
import { settleWithin } from '../time.js';
import { assertSafeBinding, hasCredentials } from './access-policy.js';
import { apiRoutes } from './api-routes.js';
import { authenticate } from './auth.js';
import { brokerGate } from './broker-gate.js';
import { createBullBoardRouter } from './bull-board.js';
import { BULL_BOARD_PATH, DashboardData } from './dashboard-data.js';
import { healthRoutes } from './health-routes.js';
import { loopbackHostGuard } from './host-guard.js';
import { pageRoutes } from './page-routes.js';
import { QueueSampler } from './queue-sampler.js';
import { securityHeaders } from './security-headers.js';
import { refuseWrites, sameOriginWrites } from './write-guard.js';

export interface DashboardOptions {
  /** The broker Redis (configured or embedded); the dashboard never connects to the cache Redis. */
  brokerUrl: string;
  logger: Logger;
}

/** A running dashboard. */
export interface RunningDashboard {
  /** Where it listens, e.g. `http://127.0.0.1:3000` (never with credentials in it). */
  url: string;
  /** Stops sampling, closes open connections, the queues and the broker client. Idempotent. */
  close(): Promise<void>;
}

/** How long start-up waits for the broker before serving anyway (then /readyz answers 503 until it is back). */
const BROKER_WAIT_MS = 3_000;
/** Longest an API request or a scrape waits for the broker before answering that it cannot read it. */
const BROKER_READ_TIMEOUT_MS = 5_000;

/**
 * Starts the dashboard on `config.dashboard.host:port`: Bull Board at `/queues`, the
 * batches and cache-health pages at `/` and `/batches/:id`, their JSON APIs under
 * `/api`, Prometheus text at `/metrics`, and `/healthz` and `/readyz` for probes.
 *
 * Every route but the two probes sits behind authentication when credentials are
 * configured; a non-loopback host without credentials is refused with E_CONFIG before
 * anything starts, and without credentials every request must name a loopback host in
 * its `Host` header (see `loopbackHostGuard`). In read-only mode every request but GET and HEAD gets 405.
 * Everything is read from the broker, so the dashboard works with the cache Redis down.
 */
export async function startDashboard(config: Config, options: DashboardOptions): Promise<RunningDashboard> {
  const { dashboard, queuePrefix } = config;
  assertSafeBinding(dashboard);
  const logger = options.logger.child({ component: 'dashboard' });

  const redis = brokerClient(options.brokerUrl, 'producer');
  redis.on('error', () => {}); // reported through /readyz and the APIs' 503s; unhandled it would crash the process
  redis.connect().catch(() => {}); // reconnects by itself; until then the same 503s
  const queues = QUEUE_NAMES.map((name) => openQueue(config, name, options.brokerUrl));
  const store = new BatchStore(redis, queuePrefix, config.results.ttlSeconds);
  const registry = new WorkerRegistry(redis, queuePrefix);
  const connected = () => redis.status === 'ready';
  const sampler = new QueueSampler({ redis, prefix: queuePrefix, queues, intervalMs: dashboard.sampleSeconds * 1000, brokerConnected: connected, logger });
  const data = new DashboardData(redis, queuePrefix, store, registry, new Map(queues.map((queue) => [queue.name, queue])), sampler);
  const metrics = createMetrics({ queues, store, workers: registry, brokerConnected: connected, timeoutMs: BROKER_READ_TIMEOUT_MS });
  const board = createBullBoardRouter(queues, { basePath: BULL_BOARD_PATH, readOnly: dashboard.readOnly });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());
  // Before every route, probes included: without credentials, only loopback names may reach it (DNS rebinding).
  if (!hasCredentials(dashboard)) app.use(loopbackHostGuard(dashboard));
  app.use(healthRoutes({ redis, registry }));
  app.use(authenticate(dashboard));
  app.use(dashboard.readOnly ? refuseWrites() : sameOriginWrites());
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.contentType).send(await metrics.render());
  });
  app.use(['/api', `${BULL_BOARD_PATH}/api`], brokerGate(connected, BROKER_READ_TIMEOUT_MS));
  app.use('/api', apiRoutes(data, { sampleSeconds: dashboard.sampleSeconds, readOnly: dashboard.readOnly, logger }));
  app.use(BULL_BOARD_PATH, board.router);
  app.use(pageRoutes({ readOnly: dashboard.readOnly }));
  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found\n');
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    // After the broker gate's 503, a late answer from Bull Board fails to send: expected, not news.
    if (res.headersSent) {
      logger.debug({ err: messageOf(error) }, 'late answer dropped');
      return;
    }
    logger.warn({ err: messageOf(error) }, 'dashboard request failed');
    res.status(500).type('text/plain').send('internal error\n');
  };
  app.use(onError);

  const server = createServer(app);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    sampler.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled(queues.map((queue) => queue.close()));
    redis.disconnect();
    board.close();
  };

  try {
    await waitForBroker(redis, BROKER_WAIT_MS);
    if (redis.status !== 'ready') logger.warn({ broker: redactUrl(options.brokerUrl) }, 'broker not reachable yet; serving anyway, /readyz answers 503 until it is');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', (error) => reject(listenError(error, dashboard)));
      server.listen(dashboard.port, dashboard.host);
    });
  } catch (error) {
    await close();
    throw error;
  }
  sampler.start();

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info(
    { url, broker: redactUrl(options.brokerUrl), auth: authMode(dashboard), readOnly: dashboard.readOnly },
    'dashboard listening',
  );
  return { url, close };
}

/** A port in use or an address this machine does not have is a setup problem: say which, as E_CONFIG. */
function listenError(error: unknown, dashboard: Config['dashboard']): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'EADDRINUSE' && code !== 'EADDRNOTAVAIL' && code !== 'EACCES' && code !== 'ENOTFOUND') return error;
  return new BatchlineError(
    ErrorCode.CONFIG,
    `invalid config: dashboard: cannot listen on ${dashboard.host}:${dashboard.port} (${code}); choose another --port or --host`,
    { cause: error },
  );
}

function authMode(dashboard: Config['dashboard']): string {
  const modes = [dashboard.username ? 'basic' : '', dashboard.token ? 'bearer' : ''].filter(Boolean);
  return modes.length > 0 ? modes.join('+') : 'none (loopback only)';
}

/**
 * Waits until the client is ready or `timeoutMs` passes, whichever is first; never
 * throws. Connection errors do not end the wait: ioredis keeps retrying, and a broker
 * that is still starting answers a moment later.
 */
async function waitForBroker(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  // Not events.once: it would end the wait at the first connection error.
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
    redis.once('ready', onReady);
  });
  await settleWithin(ready, timeoutMs);
  redis.off('ready', onReady);
}


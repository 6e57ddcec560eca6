import type { Config } from '../config/index.js';
import { BatchlineError, ErrorCode } from '../errors.js';

type DashboardConfig = Config['dashboard'];

/** True for addresses only this machine can reach. `localhost` counts: it is loopback on every system batchline targets. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** True when basic-auth credentials or a bearer token are configured. */
export function hasCredentials(dashboard: DashboardConfig): boolean {
  return (dashboard.username !== undefined && dashboard.password !== undefined) || dashboard.token !== undefined;
}

/**
 * Throws E_CONFIG unless the dashboard is safe to expose where it binds: loopback may be
 * open (only this machine reaches it), any other address needs credentials, because Bull
 * Board can retry, clean and pause queues and has no authentication of its own.
 */
export function assertSafeBinding(dashboard: DashboardConfig): void {
  if (isLoopbackHost(dashboard.host) || hasCredentials(dashboard)) return;
  throw new BatchlineError(
    ErrorCode.CONFIG,
    `invalid config: dashboard.host: refusing to listen on ${dashboard.host} without credentials; ` +
      'set dashboard.username and dashboard.password (BATCHLINE_DASHBOARD_USER, BATCHLINE_DASHBOARD_PASSWORD) ' +
      'or dashboard.token (BATCHLINE_DASHBOARD_TOKEN), or listen on 127.0.0.1',
  );
}

import type { RequestHandler } from 'express';
import type { Config } from '../config/index.js';
import { isLoopbackHost } from './access-policy.js';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * The host name of a `Host` header (`name`, `name:port`, `[v6]` or `[v6]:port`), lower-cased
 * and with IPv6 literals in brackets; undefined when the header is missing or malformed.
 */
export function hostNameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  return match?.[1]?.toLowerCase();
}

/** `::1` → `[::1]`: how a host name appears in a Host header or a URL. */
function asHostHeaderName(host: string): string {
  const lower = host.toLowerCase();
  return lower.includes(':') && !lower.startsWith('[') ? `[${lower}]` : lower;
}

/**
 * DNS rebinding protection for the dashboard without credentials (loopback only). A page
 * an operator visits can point its own domain at 127.0.0.1 once loaded; the browser then
 * treats the dashboard as that page's own origin and lets it read batches and pause
 * queues. What it cannot change is the `Host` header, which still names its domain. So,
 * without credentials, every request (pages, APIs, Bull Board, `/metrics`, the probes)
 * must name a loopback host (`localhost`, `127.x.x.x`, `[::1]`, any port) or the configured
 * `dashboard.host`, else 421; and a write whose `Origin` names any other host gets 403.
 *
 * With credentials configured this guard is not installed: a rebound page never has the
 * operator's credentials, and a dashboard on a public address is reached by names this
 * process cannot know.
 */
export function loopbackHostGuard(dashboard: Config['dashboard']): RequestHandler {
  const configured = asHostHeaderName(dashboard.host);
  const allowed = (host: string | undefined): boolean => host !== undefined && (host === configured || isLoopbackHost(host));
  return (req, res, next) => {
    if (!allowed(hostNameOf(req.headers.host))) {
      res.status(421).type('text/plain').send('misdirected request: this dashboard answers only to localhost, 127.0.0.1 and [::1]\n');
      return;
    }
    const origin = req.headers.origin;
    if (!SAFE_METHODS.has(req.method) && origin !== undefined && !allowed(originHost(origin))) {
      res.status(403).type('text/plain').send('cross-origin writes are refused\n');
      return;
    }
    next();
  };
}

/** The host name of an `Origin` header; undefined for `null` and anything that is not an http(s) origin. */
function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

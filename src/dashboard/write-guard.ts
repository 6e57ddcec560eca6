import type { RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Read-only mode: every request that could change something (anything but GET and HEAD)
 * is refused with 405, whichever route it aims at, so a write Bull Board forgot to hide
 * is refused all the same.
 */
export function refuseWrites(): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) {
      next();
      return;
    }
    res.setHeader('Allow', 'GET, HEAD');
    res.status(405).type('text/plain').send('the dashboard is read-only\n');
  };
}

/**
 * Writes must come from the dashboard's own pages. Browsers send basic-auth credentials
 * with cross-site requests too, so a page elsewhere could otherwise make a logged-in
 * operator's browser retry or clean jobs; a write whose Origin is another site gets 403.
 * Requests without an Origin (curl, scripts) are not browser-driven and pass.
 */
export function sameOriginWrites(): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (SAFE_METHODS.has(req.method) || origin === undefined) {
      next();
      return;
    }
    let sameHost = false;
    try {
      sameHost = new URL(origin).host === req.headers.host;
    } catch {
      sameHost = false;
    }
    if (sameHost) next();
    else res.status(403).type('text/plain').send('cross-origin writes are refused\n');
  };
}

import type { RequestHandler } from 'express';

const UNAVAILABLE = { error: 'the broker cannot be read right now' };

/**
 * In front of the routes that read the broker (batchline's APIs and Bull Board's). While
 * the broker connection is down they answer 503 at once; BullMQ would otherwise hold the
 * request until the broker is back. A request the broker does not answer within
 * `timeoutMs` (a hung broker keeps its connection open) also gets 503, so the pages show
 * "retrying" instead of spinning.
 */
export function brokerGate(connected: () => boolean, timeoutMs: number): RequestHandler {
  return (_req, res, next) => {
    if (!connected()) {
      res.status(503).setHeader('Retry-After', '5').json(UNAVAILABLE);
      return;
    }
    const timer = setTimeout(() => {
      if (!res.headersSent) res.status(503).setHeader('Retry-After', '5').json(UNAVAILABLE);
    }, timeoutMs);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

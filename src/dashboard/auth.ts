import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Config } from '../config/index.js';

const REALM = 'batchline';

/** SHA-256 of a secret: equal-length buffers for `timingSafeEqual`, whatever the lengths of the inputs. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function matches(candidate: string, expected: Buffer | undefined): boolean {
  if (expected === undefined) return false;
  return timingSafeEqual(digest(candidate), expected);
}

/**
 * Authentication in front of every route (pages, assets, APIs, Bull Board, `/metrics`):
 * HTTP basic auth and/or a bearer token, whichever the config sets, compared in constant
 * time on digests so neither the content nor the length of a secret leaks through timing.
 * Anything else gets 401 with a challenge for each scheme that is configured. With no
 * credentials configured (only allowed on loopback) every request passes.
 */
export function authenticate(dashboard: Config['dashboard']): RequestHandler {
  const basic =
    dashboard.username !== undefined && dashboard.password !== undefined
      ? { user: digest(dashboard.username), password: digest(dashboard.password) }
      : undefined;
  const token = dashboard.token !== undefined ? digest(dashboard.token) : undefined;
  if (!basic && !token) return (_req, _res, next) => next();

  const challenges = [
    ...(basic ? [`Basic realm="${REALM}", charset="UTF-8"`] : []),
    ...(token ? [`Bearer realm="${REALM}"`] : []),
  ];
  const allowed = (header: string | undefined): boolean => {
    if (!header) return false;
    const space = header.indexOf(' ');
    if (space < 0) return false;
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'bearer') return matches(value, token);
    if (scheme !== 'basic' || !basic) return false;
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    // Both comparisons always run, so a right user name with a wrong password takes as long as neither.
    const userOk = matches(decoded.slice(0, colon), basic.user);
    const passwordOk = matches(decoded.slice(colon + 1), basic.password);
    return userOk && passwordOk;
  };

  return (req, res, next) => {
    if (allowed(req.headers.authorization)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', challenges);
    res.status(401).type('text/plain').send('authentication required\n');
  };
}

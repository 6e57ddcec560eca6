import { describe, expect, it } from 'vitest';
import { connectionLog } from '../../../src/cache/connection-log.js';
import { captureLogger } from '../breaker/log-capture.js';

describe('connectionLog', () => {
  it('logs one line when an outage begins and one when it ends, not one per attempt', () => {
    const { logger, lines } = captureLogger();
    const log = connectionLog(logger, { server: 'cache', url: 'redis://127.0.0.1:1', key: 'cacheUrl', variable: 'BATCHLINE_CACHE_URL' }, () => 0);
    log.ready();
    for (let i = 0; i < 100; i++) log.error(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }));
    log.ready();
    expect(lines.map((l) => l.msg)).toEqual([
      'cache redis connected',
      'cache redis connection error; retrying in the background',
      'cache redis connected',
    ]);
    expect(lines[1]).toMatchObject({ err: expect.stringMatching(/^nothing listens on 127\.0\.0\.1:1 \(connection refused\).*cacheUrl \(BATCHLINE_CACHE_URL\)/), level: 40 });
    expect(lines[2]).toMatchObject({ afterErrors: 100 });
  });

  it('caps a flapping connection at 6 lines a minute and says how many were held back', () => {
    const { logger, lines } = captureLogger();
    let now = 0;
    const log = connectionLog(logger, { server: 'cache', url: 'redis://127.0.0.1:1', key: 'cacheUrl', variable: 'BATCHLINE_CACHE_URL' }, () => now);
    for (let i = 0; i < 50; i++) {
      log.ready();
      log.error(new Error('reset'));
    }
    expect(lines).toHaveLength(6);
    now = 60_000;
    log.ready();
    expect(lines).toHaveLength(7);
    expect(lines[6]).toMatchObject({ msg: 'cache redis connected', suppressedLines: 94 });
  });
});

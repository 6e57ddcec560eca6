import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { cleanEnv, runCli, tempDir } from '../../helpers/cli.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';

type Finding = { area: string; status: 'ok' | 'warn' | 'fail'; message: string };

let broker: RedisServer;
let cache: RedisServer;
let evictingBroker: RedisServer;
const PASSWORD = 'doctor-secret-7d1f';

beforeAll(async () => {
  broker = await startRedis('broker', ['--requirepass', PASSWORD]);
  cache = await startRedis('cache');
  evictingBroker = await startRedis('broker', ['--maxmemory-policy', 'allkeys-lru', '--appendonly', 'no']);
});

afterAll(async () => {
  await stopRedis(broker, cache, evictingBroker);
});

async function doctor(env: NodeJS.ProcessEnv) {
  const result = await runCli(['doctor', '--json'], { env: cleanEnv(env), cwd: tempDir('doctor') });
  return { code: result.code, findings: JSON.parse(result.stdout) as Finding[], raw: result.stdout + result.stderr };
}

describe('batchline doctor', () => {
  it('passes a correct setup, and never prints the password', async () => {
    const { code, findings, raw } = await doctor({
      BATCHLINE_BROKER_URL: `redis://:${PASSWORD}@127.0.0.1:${broker.port}`,
      BATCHLINE_CACHE_URL: cache.url,
    });
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(code).toBe(0);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ area: 'broker', status: 'ok', message: expect.stringContaining('noeviction') }),
        expect.objectContaining({ area: 'broker', status: 'ok', message: expect.stringContaining('append-only file on') }),
        expect.objectContaining({ area: 'cache', status: 'ok', message: expect.stringContaining('allkeys-lru') }),
        expect.objectContaining({ area: 'setup', status: 'ok', message: 'broker and cache are different instances' }),
      ]),
    );
    expect(raw).not.toContain(PASSWORD);
  });

  it('fails on a broker that evicts, and warns about a missing append-only file and an unreachable cache', async () => {
    const { code, findings } = await doctor({ BATCHLINE_BROKER_URL: evictingBroker.url, BATCHLINE_CACHE_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(1);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ area: 'broker', status: 'fail', message: expect.stringContaining('allkeys-lru') }),
        expect.objectContaining({ area: 'broker', status: 'warn', message: expect.stringContaining('append-only file off') }),
        expect.objectContaining({ area: 'cache', status: 'warn', message: expect.stringContaining('nothing listens on 127.0.0.1:1 (connection refused)') }),
      ]),
    );
  });

  it('tells broker and cache apart by server identity, not by URL', async () => {
    const { code, findings } = await doctor({
      BATCHLINE_BROKER_URL: cache.url,
      BATCHLINE_CACHE_URL: `redis://localhost:${cache.port}/1`,
      BATCHLINE_ALLOW_SHARED_REDIS: 'true',
    });
    expect(code).toBe(1); // the "broker" evicts
    expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ area: 'setup', status: 'warn' })]));
  });

  it('fails on an unreachable broker and on a bad schedule', async () => {
    const { code, findings } = await doctor({
      BATCHLINE_BROKER_URL: 'redis://127.0.0.1:1',
      BATCHLINE_CONFIG_JSON: JSON.stringify({ schedules: [{ name: 'bad', cron: 'every night!', inputs: ['x'] }] }),
    });
    expect(code).toBe(1);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ area: 'broker', status: 'fail', message: expect.stringContaining('nothing listens on 127.0.0.1:1 (connection refused)') }),
        expect.objectContaining({ area: 'schedules', status: 'fail', message: expect.stringContaining('bad: cron "every night!"') }),
      ]),
    );
  });
});

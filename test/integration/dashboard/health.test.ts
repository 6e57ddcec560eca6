import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDashboard, startDashboard } from '../../../src/dashboard/index.js';
import { silentLogger } from '../../../src/log.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';
import { dashboardConfig, uniquePrefix, waitFor } from './live-system.js';
import { parsePrometheus, sampleValue } from './prometheus-text.js';

/*
 * Readiness follows the broker: with the broker stopped the dashboard stays up (/healthz
 * 200), says it is not ready (/readyz 503), its APIs answer 503, and /metrics still
 * answers with batchline_broker_up 0; with the broker back, all of it recovers by itself.
 */

let broker: RedisServer;
let dashboard: RunningDashboard;
const prefix = uniquePrefix();

const get = async (path: string) => {
  const res = await fetch(`${dashboard.url}${path}`);
  return { status: res.status, text: await res.text() };
};

beforeAll(async () => {
  broker = await startRedis('broker');
  dashboard = await startDashboard(dashboardConfig(broker.url, prefix), { brokerUrl: broker.url, logger: silentLogger });
});

afterAll(async () => {
  await dashboard?.close();
  await stopRedis(broker);
});

describe('health and readiness', () => {
  it('broker up: live and ready', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({ status: 'ready', broker: 'up' });
  });

  it('broker down: still live, not ready, APIs 503, metrics say broker_up 0; recovers when it is back', async () => {
    await broker.stop();
    try {
      const ready = await waitFor('/readyz to answer 503', async () => {
        const res = await get('/readyz');
        return res.status === 503 && res;
      });
      expect(JSON.parse(ready.text)).toEqual({ status: 'unready', broker: 'down', cache: 'unknown' });
      expect((await get('/healthz')).status).toBe(200);
      for (const path of ['/api/batches', '/api/workers', '/api/queues']) {
        const res = await get(path);
        expect(res.status, path).toBe(503);
        expect(JSON.parse(res.text)).toEqual({ error: 'the broker cannot be read right now' });
      }
      const metrics = await get('/metrics');
      expect(metrics.status).toBe(200);
      expect(sampleValue(parsePrometheus(metrics.text), 'batchline_broker_up')).toBe(0);
      expect((await get('/')).status).toBe(200); // the page itself loads and shows the outage
    } finally {
      await broker.restart();
    }
    await waitFor('/readyz to answer 200 again', async () => (await get('/readyz')).status === 200);
    expect((await get('/api/batches')).status).toBe(200);
    expect((await get('/queues/api/queues')).status).toBe(200);
    expect(sampleValue(parsePrometheus((await get('/metrics')).text), 'batchline_broker_up')).toBe(1);
  });

  it('broker hung (SIGSTOP): every broker-backed answer is a bounded 503 or broker_up 0, never a hang; recovers on SIGCONT', async () => {
    broker.signal('SIGSTOP');
    try {
      const [ready, health, api, board, metrics] = await Promise.all([
        get('/readyz'),
        get('/healthz'),
        get('/api/batches'),
        get('/queues/api/queues'),
        get('/metrics'),
      ]);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.text)).toMatchObject({ status: 'unready', broker: 'down' });
      expect(health.status).toBe(200);
      expect(api.status).toBe(503);
      expect(board.status).toBe(503);
      expect(metrics.status).toBe(200);
      expect(sampleValue(parsePrometheus(metrics.text), 'batchline_broker_up')).toBe(0);
    } finally {
      broker.signal('SIGCONT');
    }
    await waitFor('/readyz to answer 200 again', async () => (await get('/readyz')).status === 200);
    expect((await get('/queues/api/queues')).status).toBe(200);
  });
});

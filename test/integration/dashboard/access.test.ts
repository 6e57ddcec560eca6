import { request } from 'node:http';
import { appRoutes } from '@bull-board/api/dist/routes.js';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeBinding, type RunningDashboard, startDashboard } from '../../../src/dashboard/index.js';
import { hasCode } from '../../../src/errors.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';
import { basicAuth, dashboardConfig, uniquePrefix } from './live-system.js';

/*
 * Access rules: with credentials configured, every route but the two probes answers 401
 * without them or with wrong ones, and 200 with right ones; read-only refuses every write
 * with 405; a non-loopback address without credentials is refused at start. Secrets (the
 * dashboard's and the broker's passwords, the token) appear in no answer and no log line.
 */

const USER = 'operator';
const PASSWORD = 'correct-horse-battery-staple';
const TOKEN = 'tok-7f3a9c2e1b4d8f60a5c3e9d1';
const BROKER_PASSWORD = 'broker-pw-0d9e8c7b';
const JOB_ID = 'job-1';

let broker: RedisServer;
let brokerUrl: string;
let queue: Queue;
/** The queue's connection: BullMQ leaves a connection it was handed open on close. */
let connection: Redis;
let open: RunningDashboard;
let readOnly: RunningDashboard;
/** No credentials: loopback only, where only the Host check stands between a rebound web page and the dashboard. */
let loopback: RunningDashboard;
const prefix = uniquePrefix();
const logLines: string[] = [];
const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
/** Every body the dashboards sent, to search for secrets at the end. */
const bodies: string[] = [];

const fill = (route: string) =>
  route
    .replace(':queueName', 'default')
    .replace(':jobId', JOB_ID)
    .replace(':queueStatus', 'failed')
    .replace(':schedulerId', 'no-such-scheduler');

/** Bull Board's own API routes, from its route table, so a route added upstream is covered too. */
const boardApi = appRoutes.api.flatMap((route) =>
  [route.method].flat().flatMap((method) => [route.route].flat().map((path) => ({ method: method.toUpperCase(), path: `/queues${fill(path)}` }))),
);
const boardReads = boardApi.filter((route) => route.method === 'GET').map((route) => route.path);
const boardWrites = boardApi.filter((route) => route.method !== 'GET');
const boardPages = [appRoutes.entryPoint.route].flat().map((route) => `/queues${fill(route)}`);

/** batchline's own routes and assets, all of which must answer 200 to an authenticated GET. */
const ownReads = ['/', '/batches/some-batch', '/assets/dashboard.css', '/assets/dashboard.js', '/api/batches', '/api/workers', '/api/queues', '/api/settings', '/metrics'];
/** Writes aimed at batchline's own routes (none of which accepts one). */
const ownWrites = [
  { method: 'POST', path: '/api/batches' },
  { method: 'PUT', path: '/api/workers' },
  { method: 'DELETE', path: '/api/batches/some-batch' },
  { method: 'PATCH', path: '/' },
  { method: 'POST', path: '/metrics' },
  { method: 'DELETE', path: `/queues/api/queues/default/${JOB_ID}` },
];

/** Bull Board's UI files, as its page links them. */
let boardAssets: string[] = [];

async function call(base: string, method: string, path: string, authorization?: string, extra: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(authorization ? { authorization } : {}), ...(method === 'GET' || method === 'HEAD' ? {} : { 'content-type': 'application/json' }), ...extra },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{}' }),
    redirect: 'manual',
  });
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, headers: res.headers, text };
}

/**
 * A request with headers fetch() will not send as given (`Host`), through node:http.
 * `host: null` sends no Host header at all.
 */
async function rawCall(base: string, method: string, path: string, headers: Record<string, string | null>) {
  const url = new URL(base);
  const host = headers.host;
  const rest = Object.fromEntries(Object.entries(headers).filter(([name, value]) => name !== 'host' && value !== null)) as Record<string, string>;
  const body = method === 'GET' || method === 'HEAD' ? undefined : '{}';
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        method,
        path,
        setHost: false,
        headers: { ...(host !== null && host !== undefined ? { host } : {}), ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}), ...rest },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          bodies.push(text);
          resolve({ status: res.statusCode ?? 0, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  broker = await startRedis('broker', ['--requirepass', BROKER_PASSWORD]);
  brokerUrl = `redis://:${BROKER_PASSWORD}@127.0.0.1:${broker.port}`;
  connection = new Redis({ port: broker.port, password: BROKER_PASSWORD, maxRetriesPerRequest: null });
  queue = new Queue('default', { connection, prefix });
  await queue.add('document', { batchId: 'b', doc: { id: 'd', text: 'x' }, origin: 'test' }, { jobId: JOB_ID });
  const credentials = { username: USER, password: PASSWORD, token: TOKEN };
  open = await startDashboard(dashboardConfig(brokerUrl, prefix, credentials), { brokerUrl, logger });
  readOnly = await startDashboard(dashboardConfig(brokerUrl, prefix, { ...credentials, readOnly: true }), { brokerUrl, logger });
  loopback = await startDashboard(dashboardConfig(brokerUrl, prefix), { brokerUrl, logger });
  const page = await call(open.url, 'GET', '/queues', basicAuth(USER, PASSWORD));
  boardAssets = [...page.text.matchAll(/(?:href|src)="(static\/[^"]+)"/g)].map((match) => `/queues/${match[1]}`);
});

afterAll(async () => {
  await open?.close();
  await readOnly?.close();
  await loopback?.close();
  await queue?.close();
  connection?.disconnect();
  await stopRedis(broker);
});

describe('authentication', () => {
  const allReads = () => [...ownReads, ...boardPages, ...boardAssets, ...boardReads];

  it('finds Bull Board’s scripts, styles and icons to check', () => {
    expect(boardAssets.some((path) => path.endsWith('.js'))).toBe(true);
    expect(boardAssets.some((path) => path.endsWith('.css'))).toBe(true);
    expect(boardAssets.length).toBeGreaterThanOrEqual(4);
  });

  it('no credentials: 401 with a challenge for each scheme on every route, read or write, known or not', async () => {
    const routes = [
      ...allReads().map((path) => ({ method: 'GET', path })),
      ...allReads().map((path) => ({ method: 'HEAD', path })),
      ...boardWrites,
      ...ownWrites,
      { method: 'GET', path: '/no-such-page' },
    ];
    for (const { method, path } of routes) {
      const res = await call(open.url, method, path);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate'), `${method} ${path}`).toMatch(/Basic realm="batchline".*Bearer realm="batchline"/);
    }
  });

  it('wrong credentials: 401 on every route', async () => {
    const wrong = [
      basicAuth(USER, 'not-the-password'),
      basicAuth('someone', PASSWORD),
      basicAuth(USER, `${PASSWORD}x`),
      basicAuth(USER, ''),
      basicAuth(TOKEN, TOKEN),
      'Bearer not-the-token-0123456789',
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${PASSWORD}`,
      `Basic ${TOKEN}`,
      'Basic %%%',
      TOKEN,
      `Token ${TOKEN}`,
    ];
    for (const authorization of wrong) {
      for (const path of allReads()) expect((await call(open.url, 'GET', path, authorization)).status, `${authorization} GET ${path}`).toBe(401);
      for (const { method, path } of [...boardWrites, ...ownWrites]) {
        expect((await call(open.url, method, path, authorization)).status, `${authorization} ${method} ${path}`).toBe(401);
      }
    }
  });

  it('right credentials, basic or bearer: 200 on every page, asset, API and metrics route', async () => {
    for (const authorization of [basicAuth(USER, PASSWORD), `Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      for (const path of [...ownReads, ...boardPages, ...boardAssets]) {
        expect((await call(open.url, 'GET', path, authorization)).status, `${authorization.split(' ')[0]} GET ${path}`).toBe(200);
      }
      for (const path of boardReads) {
        // Some need a job scheduler or flow that does not exist: anything but an auth refusal will do.
        expect([401, 403, 405], `GET ${path}`).not.toContain((await call(open.url, 'GET', path, authorization)).status);
      }
      expect((await call(open.url, 'GET', '/api/batches/no-such-batch', authorization)).status).toBe(404);
      expect((await call(open.url, 'GET', '/no-such-page', authorization)).status).toBe(404);
    }
  });

  it('probes answer without credentials and reveal nothing about the deployment', async () => {
    for (const base of [open.url, readOnly.url]) {
      const health = await call(base, 'GET', '/healthz');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
      const ready = await call(base, 'GET', '/readyz');
      expect(ready.status).toBe(200);
      const body = JSON.parse(ready.text);
      expect(body).toEqual({ status: 'ready', broker: 'up', cache: { workers: 0, states: {} } });
      for (const text of [health.text, ready.text]) {
        expect(text).not.toContain(String(broker.port));
        expect(text).not.toMatch(/127\.0\.0\.1|redis|password/i);
      }
    }
  });
});

describe('read-only mode', () => {
  it('refuses every write with 405, on Bull Board’s API and on batchline’s routes; reads still work', async () => {
    const auth = basicAuth(USER, PASSWORD);
    for (const { method, path } of [...boardWrites, ...ownWrites, { method: 'OPTIONS', path: '/api/batches' }]) {
      const res = await call(readOnly.url, method, path, auth);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      // Authentication still comes first: an anonymous write learns nothing about the mode.
      expect((await call(readOnly.url, method, path)).status, `anonymous ${method} ${path}`).toBe(401);
    }
    expect(await queue.getJobState(JOB_ID)).toBe('waiting');
    expect(await queue.isPaused()).toBe(false);
    for (const path of [...ownReads, ...boardPages]) expect((await call(readOnly.url, 'GET', path, auth)).status, path).toBe(200);
  });

  it('tells Bull Board to hide its write actions, and the pages show the mode', async () => {
    const auth = basicAuth(USER, PASSWORD);
    const board = JSON.parse((await call(readOnly.url, 'GET', '/queues/api/queues', auth)).text) as { queues: { readOnlyMode: boolean; allowRetries: boolean }[] };
    expect(board.queues.length).toBe(3);
    for (const q of board.queues) expect(q).toMatchObject({ readOnlyMode: true, allowRetries: false });
    expect((await call(readOnly.url, 'GET', '/', auth)).text).toContain('read-only');
    expect((await call(open.url, 'GET', '/', auth)).text).not.toContain('read-only');
  });

  it('without read-only, Bull Board’s writes work, but only from the dashboard’s own origin', async () => {
    const auth = basicAuth(USER, PASSWORD);
    const pause = '/queues/api/queues/default/pause';
    expect((await call(open.url, 'PUT', pause, auth, { origin: 'http://attacker.example' })).status).toBe(403);
    expect(await queue.isPaused()).toBe(false);
    expect((await call(open.url, 'PUT', pause, auth, { origin: open.url })).status).toBe(200);
    expect(await queue.isPaused()).toBe(true);
    expect((await call(open.url, 'PUT', '/queues/api/queues/default/resume', auth)).status).toBe(200);
    expect(await queue.isPaused()).toBe(false);
  });
});

describe('DNS rebinding: the dashboard without credentials answers only to loopback names', () => {
  const port = () => new URL(loopback.url).port;
  const allRoutes = () => [
    ...[...ownReads, ...boardPages, ...boardAssets, ...boardReads, '/healthz', '/readyz', '/no-such-page'].flatMap((path) => [
      { method: 'GET', path },
      { method: 'HEAD', path },
    ]),
    ...boardWrites,
    ...ownWrites,
  ];

  it('a foreign Host gets 421 on every route, probes, metrics and Bull Board’s API included; nothing is read or changed', async () => {
    const foreign = [
      'rebind.attacker.example:7461',
      'rebind.attacker.example',
      `localhost.attacker.example:${port()}`,
      `127.0.0.1.nip.io:${port()}`,
      `localhost.:${port()}`,
      `attacker.example@127.0.0.1:${port()}`,
      `127.0.0.1:${port()}:80`,
      '0.0.0.0',
      `[::ffff:7f00:1]:${port()}`,
      '',
      null,
    ];
    for (const host of foreign) {
      for (const { method, path } of allRoutes()) {
        const write = method !== 'GET' && method !== 'HEAD';
        const headers: Record<string, string | null> = { host, ...(write && host ? { origin: `http://${host}` } : {}) };
        const res = await rawCall(loopback.url, method, path, headers);
        // No Host at all: Node's HTTP server refuses it first (400), as HTTP/1.1 requires.
        if (host === null) expect(res.status, `no Host ${method} ${path}`).toBe(400);
        else expect(res.status, `Host ${host} ${method} ${path}`).toBe(421);
      }
    }
    expect(await queue.isPaused()).toBe(false);
    expect(await queue.getJobState(JOB_ID)).toBe('waiting');
  });

  it('the issue’s two requests: pausing a queue and listing batches through a rebound name', async () => {
    const attacker = 'rebind.attacker.example:7461';
    const pause = await rawCall(loopback.url, 'PUT', '/queues/api/queues/default/pause', { host: attacker, origin: `http://${attacker}` });
    expect(pause.status).toBe(421);
    expect(await queue.isPaused()).toBe(false);
    const batches = await rawCall(loopback.url, 'GET', '/api/batches', { host: attacker });
    expect(batches.status).toBe(421);
    expect(batches.text).toMatch(/^misdirected request/);
  });

  it('a loopback Host (localhost, 127.0.0.1, [::1], any port) is served as usual on every route', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `LOCALHOST:${port()}`, `[::1]:${port()}`, '127.0.0.1', 'localhost:80']) {
      for (const path of [...ownReads, ...boardPages, ...boardAssets, '/healthz', '/readyz']) {
        expect((await rawCall(loopback.url, 'GET', path, { host })).status, `Host ${host} GET ${path}`).toBe(200);
      }
      for (const path of boardReads) expect([403, 421], `Host ${host} GET ${path}`).not.toContain((await rawCall(loopback.url, 'GET', path, { host })).status);
      expect((await rawCall(loopback.url, 'GET', '/no-such-page', { host })).status).toBe(404);
    }
  });

  it('writes need a loopback Origin too (or none, as curl sends): a foreign or opaque Origin gets 403', async () => {
    const host = `127.0.0.1:${port()}`;
    const pause = '/queues/api/queues/default/pause';
    for (const origin of ['http://rebind.attacker.example:7461', `http://localhost.attacker.example:${port()}`, 'null', 'file://', `ftp://127.0.0.1:${port()}`]) {
      for (const { method, path } of [{ method: 'PUT', path: pause }, ...boardWrites, ...ownWrites]) {
        expect((await rawCall(loopback.url, method, path, { host, origin })).status, `Origin ${origin} ${method} ${path}`).toBe(403);
      }
    }
    expect(await queue.isPaused()).toBe(false);
    expect(await queue.getJobState(JOB_ID)).toBe('waiting');
    expect((await rawCall(loopback.url, 'PUT', pause, { host, origin: `http://${host}` })).status).toBe(200);
    expect(await queue.isPaused()).toBe(true);
    expect((await rawCall(loopback.url, 'PUT', '/queues/api/queues/default/resume', { host: `localhost:${port()}` })).status).toBe(200);
    expect(await queue.isPaused()).toBe(false);
  });

  it('with credentials the Host is not checked: a rebound page never has them', async () => {
    const host = 'dashboard.internal.example:443';
    expect((await rawCall(open.url, 'GET', '/api/batches', { host })).status).toBe(401);
    expect((await rawCall(open.url, 'GET', '/api/batches', { host, authorization: basicAuth(USER, PASSWORD) })).status).toBe(200);
  });
});

describe('binding', () => {
  it('refuses a non-loopback address without credentials, before listening', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10', 'dashboard.example']) {
      const config = dashboardConfig(brokerUrl, prefix, { host });
      const failure = await startDashboard(config, { brokerUrl, logger }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(hasCode(failure, 'E_CONFIG'), host).toBe(true);
      expect((failure as Error).message).toMatch(/refusing to listen on .* without credentials/);
    }
  });

  it('a port already in use is a clear E_CONFIG error', async () => {
    const port = Number(new URL(open.url).port);
    const failure = await startDashboard(dashboardConfig(brokerUrl, prefix, { port }), { brokerUrl, logger }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(hasCode(failure, 'E_CONFIG')).toBe(true);
    expect((failure as Error).message).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
  });

  it('allows loopback without credentials, and any address with them', async () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]']) {
      expect(() => assertSafeBinding(dashboardConfig(brokerUrl, prefix, { host }).dashboard), host).not.toThrow();
    }
    expect(() => assertSafeBinding(dashboardConfig(brokerUrl, prefix, { host: '0.0.0.0', token: TOKEN }).dashboard)).not.toThrow();
    const everywhere = await startDashboard(dashboardConfig(brokerUrl, prefix, { host: '0.0.0.0', username: USER, password: PASSWORD }), { brokerUrl, logger });
    try {
      const local = everywhere.url.replace('0.0.0.0', '127.0.0.1');
      expect((await call(local, 'GET', '/api/batches')).status).toBe(401);
      expect((await call(local, 'GET', '/api/batches', basicAuth(USER, PASSWORD))).status).toBe(200);
    } finally {
      await everywhere.close();
    }
  });
});

describe('secrets', () => {
  it('no password or token in any answer or log line; the broker URL is logged redacted', () => {
    const logs = logLines.join('');
    expect(logs).toContain('dashboard listening');
    expect(logs).toContain('redis://:***@127.0.0.1');
    for (const secret of [PASSWORD, TOKEN, BROKER_PASSWORD]) {
      expect(logs).not.toContain(secret);
      expect(bodies.some((body) => body.includes(secret)), secret).toBe(false);
    }
  });
});

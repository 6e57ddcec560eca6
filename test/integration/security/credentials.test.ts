import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { cleanEnv, runCli, startDashboardCli, tempDir, writeCorpus } from '../../helpers/cli.js';
import { writeCorpusWithDuplicates } from '../../helpers/corpus.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';
import { makeTestCertificates } from '../../helpers/tls.js';

/*
 * Broker and cache URLs carry passwords, ACL users and TLS; none of those secrets may
 * appear in anything batchline prints or writes.
 */

const BROKER_PASSWORD = 'broker-Pa55-e1c9f2';
const CACHE_PASSWORD = 'cache-Pa55-77ab03';
const ACL_PASSWORD = 'acl-Pa55-4d0e6b';

let broker: RedisServer;
let cache: RedisServer;
let aclCache: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker', ['--requirepass', BROKER_PASSWORD]);
  cache = await startRedis('cache', ['--requirepass', CACHE_PASSWORD]);
  aclCache = await startRedis('cache', ['--user', 'default', 'off', '--user', 'batchline', 'on', `>${ACL_PASSWORD}`, '~*', '&*', '+@all']);
});

afterAll(async () => {
  await stopRedis(broker, cache, aclCache);
});

/** Everything under a folder, as text. */
function allFiles(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('credentials', () => {
  it('password auth on broker and cache works, and no password appears in any output or file', async () => {
    const dir = tempDir('secrets');
    const input = writeCorpusWithDuplicates(dir, 400, 200);
    const batchId = uniqueName('sec');
    const env = cleanEnv({
      BATCHLINE_BROKER_URL: `redis://:${BROKER_PASSWORD}@127.0.0.1:${broker.port}`,
      BATCHLINE_CACHE_URL: `redis://:${CACHE_PASSWORD}@127.0.0.1:${cache.port}`,
      BATCHLINE_LOG_LEVEL: 'debug',
    });
    const outputs: string[] = [];
    const run = await runCli(['run', input, '--json', '--batch-id', batchId, '--out', path.join(dir, 'out')], { env, cwd: dir });
    outputs.push(run.stdout, run.stderr);
    expect(run.code, run.stderr.slice(-2_000)).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ total: 400, ok: 400 });
    // Most repeats are served from the cache (a few race their original across the two workers).
    expect(summary.cache.exact).toBeGreaterThanOrEqual(100); // the cache was really used, with its password
    for (const args of [['status', batchId, '--json'], ['status'], ['doctor'], ['export', batchId, '--out', path.join(dir, 'out', 'x.jsonl')]]) {
      const result = await runCli(args, { env, cwd: dir });
      outputs.push(result.stdout, result.stderr);
    }
    // The dashboard and /metrics, read with a bearer token.
    const token = 'dashboard-token-5f0e9a7c31';
    const dashboard = await startDashboardCli({ ...env, BATCHLINE_DASHBOARD_TOKEN: token }, dir);
    for (const route of ['/', `/batches/${batchId}`, '/api/batches', `/api/batches/${batchId}`, '/api/workers', '/api/queues', '/metrics', '/readyz', '/healthz', '/queues']) {
      const response = await fetch(`${dashboard.url}${route}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, route).toBe(200);
      outputs.push(await response.text());
    }
    const dashboardResult = await dashboard.stop();
    outputs.push(dashboardResult.stdout, dashboardResult.stderr);
    // A wrong password: the error names the server, never the password tried.
    const wrong = await runCli(['status'], { env: { ...env, BATCHLINE_BROKER_URL: `redis://:wrong-${BROKER_PASSWORD}@127.0.0.1:${broker.port}` } });
    expect(wrong.code).toBe(1);
    outputs.push(wrong.stdout, wrong.stderr);
    outputs.push(allFiles(dir));
    const everything = outputs.join('\n');
    expect(everything).toContain('redis://:***@127.0.0.1'); // URLs are shown, redacted
    for (const secret of [BROKER_PASSWORD, CACHE_PASSWORD, token]) expect(everything).not.toContain(secret);
  });

  it('an ACL user on the cache works', async () => {
    const dir = tempDir('acl');
    const input = writeCorpusWithDuplicates(dir, 200, 100);
    const env = cleanEnv({
      BATCHLINE_BROKER_URL: `redis://:${BROKER_PASSWORD}@127.0.0.1:${broker.port}`,
      BATCHLINE_CACHE_URL: `redis://batchline:${ACL_PASSWORD}@127.0.0.1:${aclCache.port}`,
    });
    const run = await runCli(['run', input, '--json', '--out', dir], { env, cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).cache.exact).toBeGreaterThanOrEqual(50);
    expect(run.stdout + run.stderr).not.toContain(ACL_PASSWORD);
  });

  it('TLS (rediss://) to broker and cache, trusting a private CA through NODE_EXTRA_CA_CERTS', async () => {
    const certificates = makeTestCertificates();
    const tlsBroker = await startRedis('broker', [], certificates);
    const tlsCache = await startRedis('cache', [], certificates);
    try {
      const dir = tempDir('tls-run');
      const input = writeCorpusWithDuplicates(dir, 200, 100);
      const env = cleanEnv({
        BATCHLINE_BROKER_URL: tlsBroker.url,
        BATCHLINE_CACHE_URL: tlsCache.url,
        NODE_EXTRA_CA_CERTS: certificates.caFile,
      });
      expect(tlsBroker.url).toMatch(/^rediss:/);
      const run = await runCli(['run', input, '--json', '--out', dir], { env, cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary).toMatchObject({ total: 200, ok: 200 });
      expect(summary.cache.exact).toBeGreaterThanOrEqual(50);

      // Without trusting the CA, the broker connection is refused: TLS is really verified.
      const untrusted = await runCli(['status'], { env: { ...env, NODE_EXTRA_CA_CERTS: '' } });
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(/cannot reach the broker/);
    } finally {
      await stopRedis(tlsBroker, tlsCache);
    }
  });

  it('a small corpus still runs with the default plain setup (sanity check of the helpers)', async () => {
    const dir = tempDir('plain');
    const { file } = writeCorpus(dir, 5);
    const run = await runCli(['run', file, '--json', '--out', dir], {
      env: cleanEnv({ BATCHLINE_BROKER_URL: `redis://:${BROKER_PASSWORD}@127.0.0.1:${broker.port}` }),
    });
    expect(run.code, run.stderr).toBe(0);
  });
});

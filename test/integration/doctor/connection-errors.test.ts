import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../../src/redis/free-port.js';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { type CliResult, cleanEnv, collect, runCli, tempDir, WORKER, writeCorpus } from '../../helpers/cli.js';
import { startRedis, stopRedis } from '../../helpers/redis.js';
import { makeTestCertificates } from '../../helpers/tls.js';

/*
 * Every way a connection to a Redis can fail for a reason the user must fix gets its own
 * one-line cause and names the key and variable to fix, in `doctor`, `status`, `run` and a
 * worker process, with no password ever shown. Real servers: one with a password, one with
 * TLS only, one plain; a port nothing listens on; a host that does not resolve.
 */

const PASSWORD = 'conn-Pa55-9c1e0d';

let secured: RedisServer;
let tlsOnly: RedisServer;
let plain: RedisServer;
/** The broker of the cache cases: another instance than any cache URL tried. */
let broker: RedisServer;
let closedPort: number;
let caFile: string;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  caFile = certificates.caFile;
  secured = await startRedis('broker', ['--requirepass', PASSWORD]);
  tlsOnly = await startRedis('broker', [], certificates);
  plain = await startRedis('broker');
  broker = await startRedis('broker');
  closedPort = await findFreePort();
});

afterAll(async () => {
  await stopRedis(secured, tlsOnly, plain, broker);
});

interface Case {
  name: string;
  url: () => string;
  cause: RegExp;
}

const cases: Case[] = [
  { name: 'wrong password', url: () => `redis://:wrong-${PASSWORD}@127.0.0.1:${secured.port}`, cause: /refused the user name or password \(WRONGPASS\)/ },
  { name: 'missing password', url: () => `redis://127.0.0.1:${secured.port}`, cause: /requires a password \(NOAUTH\)/ },
  { name: 'refused port', url: () => `redis://127.0.0.1:${closedPort}`, cause: /nothing listens on 127\.0\.0\.1:\d+ \(connection refused\)/ },
  { name: 'TLS client, plain server', url: () => `rediss://127.0.0.1:${plain.port}`, cause: /no TLS handshake .* use redis:\/\/ instead of rediss:\/\// },
  { name: 'plain client, TLS server', url: () => `redis://127.0.0.1:${tlsOnly.port}`, cause: /may require TLS; use rediss:\/\/ instead of redis:\/\// },
  { name: 'unknown host', url: () => 'redis://no-such-host.invalid:6379', cause: /host "no-such-host\.invalid" does not resolve/ },
];

/** The TLS server's CA is trusted everywhere: only the mismatch itself may fail. */
const envWith = (extra: NodeJS.ProcessEnv) => cleanEnv({ NODE_EXTRA_CA_CERTS: caFile, ...extra });

function expectNoSecret(result: CliResult): void {
  expect(result.stdout + result.stderr).not.toContain(PASSWORD);
}

/** The one line of stderr that is not a JSON log line. */
function plainLines(stderr: string): string[] {
  return stderr
    .trim()
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('{'));
}

/** Runs `check` for every case at once (the slow ones wait out a timeout; together they wait once). */
async function forEveryCase(run: (c: Case) => Promise<CliResult>, check: (c: Case, result: CliResult) => void): Promise<void> {
  const results = await Promise.all(cases.map(run));
  cases.forEach((c, i) => {
    const result = results[i] as CliResult;
    expectNoSecret(result);
    check(c, result);
  });
}

// Concurrent: most of the time is spent waiting out connect timeouts, not computing.
describe.concurrent('a broker connection that fails says why and what to fix', () => {
  it('in doctor', async () => {
    await forEveryCase(
      (c) => runCli(['doctor'], { env: envWith({ BATCHLINE_BROKER_URL: c.url() }) }),
      (c, result) => {
        expect(result.code, `${c.name}: ${result.stdout}`).toBe(1);
        const line = result.stdout.split('\n').find((l) => /broker/.test(l) && /cannot reach/.test(l)) ?? '';
        expect(line, `${c.name}: ${result.stdout}`).toMatch(c.cause);
        expect(line).toContain('brokerUrl (BATCHLINE_BROKER_URL)');
      },
    );
  });

  it.each([
    ['status', () => ['status']],
    ['run', (dir: string) => ['run', writeCorpus(dir, 3).file, '--out', path.join(dir, 'out')]],
  ])('in %s', async (_, args) => {
    await forEveryCase(
      (c) => {
        const dir = tempDir('conn');
        return runCli(args(dir), { env: envWith({ BATCHLINE_BROKER_URL: c.url() }), cwd: dir });
      },
      (c, result) => {
        expect(result.code, `${c.name}: ${result.stderr}`).toBe(1);
        const lines = plainLines(result.stderr);
        expect(lines, `${c.name}: ${result.stderr}`).toHaveLength(1);
        expect(lines[0]).toMatch(c.cause);
        expect(lines[0]).toContain('brokerUrl (BATCHLINE_BROKER_URL)');
      },
    );
  });

  it('in a worker process', async () => {
    await forEveryCase(
      (c) => {
        const child = spawn(process.execPath, [WORKER('default')], {
          env: envWith({ BATCHLINE_BROKER_URL: c.url() }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return collect(child);
      },
      (c, result) => {
        expect(result.code, `${c.name}: ${result.stderr}`).toBe(1);
        const lines = plainLines(result.stderr);
        expect(lines, `${c.name}: ${result.stderr}`).toHaveLength(1);
        expect(lines[0]).toMatch(/^batchline worker \(default\): cannot reach the broker/);
        expect(lines[0]).toMatch(c.cause);
      },
    );
  }, 90_000);
});

describe.concurrent('a cache connection that fails says why and what to fix (a warning: the cache is optional)', () => {
  it('in doctor', async () => {
    await forEveryCase(
      (c) => runCli(['doctor'], { env: envWith({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_CACHE_URL: c.url() }) }),
      (c, result) => {
        const line = result.stdout.split('\n').find((l) => /cache/.test(l) && /not reachable/.test(l)) ?? '';
        expect(line, `${c.name}: ${result.stdout}`).toMatch(c.cause);
        expect(line).toContain('cacheUrl (BATCHLINE_CACHE_URL)');
      },
    );
  });

  it('in a worker process log', async () => {
    await forEveryCase(
      async (c) => {
        const child = spawn(process.execPath, [WORKER('default')], {
          env: envWith({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_CACHE_URL: c.url(), BATCHLINE_QUEUE_PREFIX: '{conn-cache}' }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const done = collect(child);
        let stderr = '';
        child.stderr?.on('data', (chunk) => {
          stderr += chunk;
        });
        // Six workers start at once: on a loaded machine that alone can take many seconds.
        for (let i = 0; i < 450 && !/cache redis connection error/.test(stderr); i++) await sleep(100);
        child.kill('SIGTERM');
        return done;
      },
      (c, result) => {
        const line = result.stderr.split('\n').find((l) => l.includes('cache redis connection error')) ?? '';
        const err = (JSON.parse(line || '{}') as { err?: string }).err ?? '';
        expect(err, `${c.name}: ${result.stderr}`).toMatch(c.cause);
        expect(err).toContain('cacheUrl (BATCHLINE_CACHE_URL)');
      },
    );
  }, 90_000);
});

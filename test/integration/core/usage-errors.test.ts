import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { CLI, cleanEnv, collect, runCli, tempDir, writeCorpus } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

/*
 * What the CLI tells a user who made a mistake: a path that is not there, a batch that
 * does not exist, an export of a batch still running. Each is exit 2 with one line that
 * names the culprit, and none of them enqueues anything.
 */

let broker: RedisServer;
let redis: Redis;

beforeAll(async () => {
  broker = await startRedis('broker');
  redis = new Redis(broker.port, '127.0.0.1');
});

afterAll(async () => {
  redis.disconnect();
  await stopRedis(broker);
});

function envFor(prefix: string): NodeJS.ProcessEnv {
  return cleanEnv({ BATCHLINE_BROKER_URL: broker.url, BATCHLINE_QUEUE_PREFIX: prefix });
}

/** Exactly one line on stderr that names the path; nothing on stdout. */
function expectOneLineNaming(result: { stdout: string; stderr: string }, text: string): void {
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toContain(text);
  expect(result.stdout).toBe('');
}

// Concurrent: each case has its own prefix and folder, and mostly waits for a node process to start.
describe.concurrent('an input path that is not there', () => {
  const missing = '/nonexistent-batchline-input.jsonl';

  it.each([
    ['run', [missing]],
    ['run', ['GOOD', missing]],
    ['ingest', [missing]],
    ['ingest', ['GOOD', missing]],
  ])('%s %j exits 2 naming the path and enqueues nothing', async (command, inputs) => {
    const dir = tempDir('missing');
    const { file } = writeCorpus(dir, 5);
    const prefix = `{${uniqueName('missing')}}`;
    const args = [command, ...inputs.map((input) => (input === 'GOOD' ? file : input)), '--out', path.join(dir, 'out')];
    const result = await runCli(args, { env: envFor(prefix), cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expectOneLineNaming(result, missing);
    expect(result.stderr).toMatch(/no such file or folder/);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('run of a missing file on the embedded default starts nothing', async () => {
    const dir = tempDir('missing-embedded');
    const result = await runCli(['run', missing], { env: cleanEnv({ BATCHLINE_DATA_DIR: path.join(dir, 'data') }), cwd: dir });
    expect(result.code).toBe(2);
    expectOneLineNaming(result, missing);
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('ingest of a file that cannot be read exits 2 naming it (run as an unprivileged user)', async () => {
    const dir = tempDir('unreadable');
    chmodSync(dir, 0o755);
    const { file } = writeCorpus(dir, 5);
    chmodSync(file, 0o000);
    const prefix = `{${uniqueName('unreadable')}}`;
    // Root reads anything: the CLI runs as `nobody` so the file's mode counts.
    const child = spawn(process.execPath, [CLI, 'ingest', file, '--out', dir], {
      env: envFor(prefix),
      cwd: dir,
      uid: 65_534,
      gid: 65_534,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = await collect(child);
    expect(result.code, result.stderr).toBe(2);
    expectOneLineNaming(result, file);
    expect(result.stderr).toMatch(/permission denied/);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });
});

describe.concurrent('batches that do not exist or have not finished', () => {
  it('status and export of an unknown batch exit 2', async () => {
    const env = envFor(`{${uniqueName('nosuch')}}`);
    const dir = tempDir('nosuch');
    for (const args of [['status', 'nosuch'], ['status', 'nosuch', '--json'], ['export', 'nosuch', '--out', path.join(dir, 'x.jsonl')]]) {
      const result = await runCli(args, { env, cwd: dir });
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expectOneLineNaming(result, 'no batch "nosuch"');
    }
    expect(existsSync(path.join(dir, 'x.jsonl'))).toBe(false);
  });

  it('export of a batch still waiting for workers says so and exits non-zero, unless --partial', async () => {
    const env = envFor(`{${uniqueName('unfinished')}}`);
    const dir = tempDir('unfinished');
    const { file } = writeCorpus(dir, 20);
    const batchId = uniqueName('unfinished');
    // No worker runs: the batch stays unfinished.
    const ingest = await runCli(['ingest', file, '--batch-id', batchId, '--out', dir], { env, cwd: dir });
    expect(ingest.code, ingest.stderr).toBe(0);

    const out = path.join(dir, 'results.jsonl');
    const refused = await runCli(['export', batchId, '--out', out], { env, cwd: dir });
    expect(refused.code).not.toBe(0);
    expectOneLineNaming(refused, `batch "${batchId}" has not finished`);
    expect(refused.stderr).toContain('0/20 done');
    expect(refused.stderr).toContain('--partial');
    expect(existsSync(out)).toBe(false);

    const partial = await runCli(['export', batchId, '--out', out, '--partial'], { env, cwd: dir });
    expect(partial.code, partial.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('');
  });
});

describe.concurrent('a re-run with nothing left to process', () => {
  it('says "nothing to do" instead of a rate', async () => {
    const env = { ...envFor(`{${uniqueName('rerun')}}`), BATCHLINE_PIPELINE: 'noop' };
    const dir = tempDir('rerun');
    const { file } = writeCorpus(dir, 30);
    const batchId = uniqueName('rerun');
    const first = await runCli(['run', file, '--batch-id', batchId, '--out', dir], { env, cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/finished in [\d.]+ s \(30 documents, [\d.]+ docs\/s\)/);

    const again = await runCli(['run', file, '--batch-id', batchId, '--out', dir], { env, cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.split('\n')[0]).toMatch(new RegExp(`^batch ${batchId}: nothing to do`));
    expect(again.stdout).not.toMatch(/docs\/s/);
    expect(again.stdout).toContain('30 accepted, 30 ok');
  });
});

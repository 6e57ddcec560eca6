import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisServer } from '../../../src/redis/redis-server.js';
import { CLI, cleanEnv, collect, runCli, tempDir, writeCorpus } from '../../helpers/cli.js';
import { startRedis, stopRedis, uniqueName } from '../../helpers/redis.js';

/*
 * What a person sees: `batchline run` on a terminal (a pseudo-terminal made by util-linux
 * `script`) prints human-readable log lines, each on a line of its own above the progress
 * bar, never JSON and never into the bar; the bar shows rate, ETA and labelled cache
 * counts. With stderr not a terminal, logs stay JSON and the last progress line shows the
 * finished count.
 */

let broker: RedisServer;
let cache: RedisServer;

beforeAll(async () => {
  broker = await startRedis('broker');
  cache = await startRedis('cache');
});

afterAll(async () => {
  await stopRedis(broker, cache);
});

const SLOW = path.resolve('test/fixtures/slow-pipeline.js');
const envFor = () =>
  cleanEnv({
    BATCHLINE_BROKER_URL: broker.url,
    BATCHLINE_CACHE_URL: cache.url,
    BATCHLINE_QUEUE_PREFIX: `{${uniqueName('tty')}}`,
    BATCHLINE_LOG_LEVEL: 'info',
    // About three seconds of work, so the bar has a rate to show.
    SLOW_PIPELINE_MS: '40',
  });

/** Everything the terminal received, with each carriage-return redraw as its own segment. */
function segments(output: string): string[] {
  return output.split(/\r\n|\n|\r/);
}

describe('on a terminal', () => {
  it('logs are human lines above the progress bar, which shows rate, ETA and cache counts', async () => {
    const dir = tempDir('tty');
    const { file } = writeCorpus(dir, 300);
    const quote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`;
    const command = [process.execPath, CLI, 'run', file, '--out', dir, '--pipeline', SLOW, '--concurrency', '4'].map(quote).join(' ');
    // script gives the command a pseudo-terminal as stdin, stdout and stderr; its own stdout is what the terminal showed.
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: envFor(), cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const result = await collect(child);
    const output = result.stdout;
    expect(result.code, output.slice(-2_000)).toBe(0);

    // No JSON log line reached the terminal; the workers' and run's lines are human-readable.
    expect(output).not.toMatch(/\{"level":/);
    expect(output).toMatch(/\[\d\d:\d\d:\d\d\] .*INFO.* \(batchline-worker-default\/\d+\): .*worker started/);
    // Every log line starts on a line of its own: after a newline, or after the bar's line was cleared.
    for (const match of output.matchAll(/\[\d\d:\d\d:\d\d\] /g)) {
      const before = output.slice(Math.max(0, (match.index ?? 0) - 4), match.index);
      // The very first thing printed starts a line too.
      const startsLine = match.index === 0 || before.endsWith('\n') || before.endsWith('\u001b[K');
      expect(startsLine, JSON.stringify(output.slice(Math.max(0, (match.index ?? 0) - 120), (match.index ?? 0) + 40))).toBe(true);
    }
    // The bar: rate, time left and labelled cache counts; and its last frame is the finished count.
    const frames = segments(output).filter((segment) => segment.startsWith('process '));
    expect(frames.some((frame) => /\d+(\.\d)? docs\/s · ETA \d+:\d\d/.test(frame)), frames.slice(-3).join('\n')).toBe(true);
    expect(frames.at(-1)).toMatch(/100% 300\/300 .*cache: \d+ exact, \d+ semantic, \d+ miss/);
    // No frame carries a log line's text.
    expect(frames.filter((frame) => /INFO|WARN|worker started/.test(frame))).toEqual([]);
    expect(output).toMatch(/finished in [\d.]+ s \(300 documents/);
  }, 120_000);
});

describe('not on a terminal', () => {
  it('logs stay JSON and the last progress line of run and status --watch shows the finished count', async () => {
    const dir = tempDir('no-tty');
    const { file } = writeCorpus(dir, 300);
    const batchId = uniqueName('no-tty');
    const env = envFor();
    const result = await runCli(['run', file, '--out', dir, '--batch-id', batchId, '--pipeline', SLOW, '--concurrency', '4'], { env, cwd: dir });
    expect(result.code, result.stderr.slice(-2_000)).toBe(0);
    expect(result.stderr).toMatch(/^\{"level":30,.*"msg":"worker started"/m);
    const progress = result.stderr.split('\n').filter((line) => line.startsWith('process '));
    expect(progress.at(-1)).toMatch(/^process 100% 300\/300 · .*cache: \d+ exact, \d+ semantic, \d+ miss$/);

    const watch = await runCli(['status', batchId, '--watch'], { env, cwd: dir });
    expect(watch.code, watch.stderr).toBe(0);
    const lines = watch.stderr.split('\n').filter((line) => line.startsWith(batchId));
    expect(lines.at(-1)).toMatch(new RegExp(`^${batchId} 100% 300/300 · 300 ok, 0 failed · cache: \\d+ exact, \\d+ semantic, \\d+ miss$`));
  }, 120_000);
});

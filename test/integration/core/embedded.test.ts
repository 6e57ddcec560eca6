import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { cleanEnv, runCli, startCli, tempDir, writeCorpus } from '../../helpers/cli.js';
import { processesMentioning, processesWorkingIn } from '../../helpers/processes.js';

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const slowEnv = (dataDir: string) =>
  cleanEnv({
    BATCHLINE_DATA_DIR: dataDir,
    BATCHLINE_PIPELINE: path.resolve('test/fixtures/slow-pipeline.js'),
    BATCHLINE_CONCURRENCY_DEFAULT: '2',
    SLOW_PIPELINE_MS: '20',
  });

// Sequential: run concurrently, the Ctrl-C case's fixed pause could end before `run` handled
// SIGINT (it died of the signal instead of exiting 130).
describe('embedded default (no broker URL)', () => {
  it('starts its own broker and cache and leaves no redis-server behind after a normal exit', async () => {
    const cwd = tempDir('embedded-ok');
    const { file } = writeCorpus(cwd, 50);
    const result = await runCli(['run', file, '--json'], { cwd, env: cleanEnv() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 50, ok: 50 });
    expect(existsSync(path.join(cwd, '.batchline/broker/appendonlydir'))).toBe(true);
    expect(processesMentioning(cwd)).toEqual([]);

    // The broker's data outlives the run: status reads it back through a briefly started broker.
    const status = await runCli(['status', JSON.parse(result.stdout).batchId, '--json'], { cwd, env: cleanEnv() });
    expect(JSON.parse(status.stdout)).toMatchObject({ total: 50, ok: 50 });
    expect(processesMentioning(cwd)).toEqual([]);
  });

  it('leaves no redis-server behind after Ctrl-C mid-batch', async () => {
    const cwd = tempDir('embedded-int');
    const { file } = writeCorpus(cwd, 2_000);
    const { child, done } = startCli(['run', file], { cwd, env: slowEnv(path.join(cwd, 'data')) });
    await waitFor(() => existsSync(path.join(cwd, 'data/broker/batchline.lock')));
    await sleep(1_500);
    expect(processesMentioning(cwd).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    await waitFor(() => processesMentioning(cwd).length === 0, 10_000);
  });

  // Before `run` had installed its handler (modules loading, the pipeline, the broker
  // starting), Ctrl-C killed it by the signal (exit code null) instead of exiting 130. (A
  // signal while node itself is still starting, before any of batchline's code runs, kills
  // it as it does any node program: the first case waits until batchline's code has added
  // its SIGINT listener, reported by a preloaded fixture, not for a fixed pause, which a
  // loaded machine can outlast before node has run any code.)
  it.each([
    ['as soon as its handler is added (modules still loading)', (cwd: string) => waitFor(() => existsSync(path.join(cwd, 'sigint-listener')), 20_000)],
    ['500 ms after start', () => sleep(500)],
    ['as the embedded broker starts', (cwd: string) => waitFor(() => existsSync(path.join(cwd, 'data/broker/batchline.lock')), 20_000)],
  ] as const)('Ctrl-C %s exits 130 and leaves no redis-server behind', async (_, when) => {
    const cwd = tempDir('embedded-early-int');
    const { file } = writeCorpus(cwd, 200);
    const env = {
      ...slowEnv(path.join(cwd, 'data')),
      NODE_OPTIONS: `--require ${path.resolve('test/fixtures/report-sigint-listener.cjs')}`,
      REPORT_SIGINT_LISTENER: path.join(cwd, 'sigint-listener'),
    };
    const { child, done } = startCli(['run', file], { cwd, env });
    await when(cwd);
    child.kill('SIGINT');
    const result = await done;
    expect({ code: result.code, signal: result.signal }, result.stderr.slice(-1_000)).toEqual({ code: 130, signal: null });
    await waitFor(() => processesMentioning(cwd).length === 0, 10_000);
  });

  it('leaves no redis-server and no worker behind even when batchline itself is killed (SIGKILL)', async () => {
    const cwd = tempDir('embedded-kill');
    const { file } = writeCorpus(cwd, 2_000);
    // A worker whose parent died stops as on SIGTERM: its active jobs get shutdownTimeoutMs to
    // finish, which they cannot when the broker died with the parent. At the default (20 s) the
    // workers outlived the run by ~30 s in about half the runs (and held its output pipes, so
    // `done` waited for them); 1 s here: the same way out, sooner.
    const env = { ...slowEnv(path.join(cwd, 'data')), BATCHLINE_SHUTDOWN_TIMEOUT_MS: '1000' };
    const { child, done } = startCli(['run', file], { cwd, env });
    await waitFor(() => existsSync(path.join(cwd, 'data/broker/batchline.lock')));
    await sleep(1_500);
    expect(processesWorkingIn(cwd).length).toBeGreaterThan(1); // run itself and its workers
    child.kill('SIGKILL');
    await done;
    // Servers: their guardian sees its pipe close. Workers: their IPC channel to the parent closes.
    await waitFor(() => processesMentioning(cwd).length === 0, 10_000);
    await waitFor(() => processesWorkingIn(cwd).length === 0, 15_000);
  });

  it('fails early, before starting anything, when the results folder cannot be used', async () => {
    const cwd = tempDir('embedded-out');
    const { file } = writeCorpus(cwd, 5);
    const notAFolder = path.join(cwd, 'out-is-a-file');
    writeFileSync(notAFolder, 'x');
    const result = await runCli(['run', file, '--out', notAFolder], { cwd, env: cleanEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/batchline: cannot use results folder .*out-is-a-file/);
    expect(existsSync(path.join(cwd, '.batchline'))).toBe(false);
  });

  it('leaves no redis-server behind when the run fails after starting, and exits non-zero', async () => {
    const cwd = tempDir('embedded-err');
    const { file } = writeCorpus(cwd, 20);
    const pipeline = path.resolve('test/fixtures/crashing-worker-pipeline.js');
    // One restart, not the default five: every start of a worker process costs a second or
    // two, and one restart already shows that the pool restarts a dead worker, then gives up.
    const env = cleanEnv({ BATCHLINE_CONFIG_JSON: JSON.stringify({ workers: { maxRestarts: 1 } }) });
    const result = await runCli(['run', file, '--pipeline', pipeline], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/worker process for default exited \(3\) 2 times; giving up/);
    await waitFor(() => processesMentioning(cwd).length === 0, 10_000);
  });

  it('refuses a second run on the same data folder without disturbing the first', async () => {
    const cwd = tempDir('embedded-two');
    const { file } = writeCorpus(cwd, 300);
    const env = slowEnv(path.join(cwd, 'data'));
    const first = startCli(['run', file, '--json'], { cwd, env });
    await waitFor(() => existsSync(path.join(cwd, 'data/broker/batchline.lock')));
    const second = await runCli(['run', file, '--json'], { cwd, env });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another batchline process \(pid \d+\) is using the embedded broker/);
    const firstResult = await first.done;
    expect(firstResult.code).toBe(0);
    expect(JSON.parse(firstResult.stdout)).toMatchObject({ total: 300, ok: 300 });
  });

  it('says how to get redis-server when it is not on the PATH, and exits 2', async () => {
    const cwd = tempDir('embedded-missing');
    const { file } = writeCorpus(cwd, 1);
    const result = await runCli(['run', file], { cwd, env: cleanEnv({ PATH: '/nonexistent' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/redis-server is not on the PATH/);
    expect(result.stderr).toMatch(/apt-get install redis-server/);
    expect(result.stderr).toMatch(/docker compose/);
  });
});

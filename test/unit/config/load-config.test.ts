import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { hasCode } from '../../../src/errors.js';

const emptyDir = () => mkdtempSync(path.join(os.tmpdir(), 'batchline-config-'));

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('gives every default from the schema', () => {
    const config = loadConfig({ env: {}, cwd: emptyDir() });
    expect(config.queuePrefix).toBe('{batchline}');
    expect(config.cache.opTimeoutMs).toBe(50);
    expect(config.cache.breaker).toEqual({ failureThreshold: 5, openMs: 300_000 });
    expect(config.workers.concurrency).toEqual({ default: 8, batch: 8, patterns: 1 });
    expect(config.brokerUrl).toBeUndefined();
    expect(Object.isFrozen(config.cache.breaker)).toBe(true);
  });

  it('layers file < environment < flags', () => {
    const cwd = emptyDir();
    writeFileSync(path.join(cwd, 'batchline.config.json'), JSON.stringify({ outDir: 'from-file', pipeline: 'noop', workers: { processes: 3 } }));
    const config = loadConfig({
      env: { BATCHLINE_OUT_DIR: 'from-env', BATCHLINE_CONCURRENCY_BATCH: '4' },
      cwd,
      overrides: { outDir: 'from-flag' },
    });
    expect(config.outDir).toBe('from-flag');
    expect(config.pipeline).toBe('noop');
    expect(config.workers.processes).toBe(3);
    expect(config.workers.concurrency.batch).toBe(4);
    expect(config.workers.concurrency.default).toBe(8);
  });

  it('names the key, its source and the problem in one line', () => {
    const error = errorOf(() => loadConfig({ env: { BATCHLINE_CONCURRENCY_DEFAULT: 'lots' }, cwd: emptyDir() }));
    expect(hasCode(error, 'E_CONFIG')).toBe(true);
    expect(error.message).toContain('workers.concurrency.default');
    expect(error.message).toContain('BATCHLINE_CONCURRENCY_DEFAULT');
    expect(error.message).not.toContain('\n');
  });

  it('rejects unknown keys in the config file', () => {
    const cwd = emptyDir();
    writeFileSync(path.join(cwd, 'batchline.config.json'), JSON.stringify({ brokerURL: 'redis://x:1' }));
    expect(errorOf(() => loadConfig({ env: {}, cwd })).message).toMatch(/batchline\.config\.json/);
  });

  it('refuses broker and cache on the same instance unless forced, and never echoes a password', () => {
    const env = { BATCHLINE_BROKER_URL: 'redis://:s3cret@localhost:7000', BATCHLINE_CACHE_URL: 'redis://127.0.0.1:7000/1' };
    const error = errorOf(() => loadConfig({ env, cwd: emptyDir() }));
    expect(error.message).toContain('cacheUrl');
    expect(error.message).toContain('same Redis');
    expect(error.message).not.toContain('s3cret');
    expect(loadConfig({ env: { ...env, BATCHLINE_ALLOW_SHARED_REDIS: 'true' }, cwd: emptyDir() }).allowSharedRedis).toBe(true);
  });

  it('rejects URLs that are not redis URLs without printing their secrets', () => {
    const error = errorOf(() => loadConfig({ env: { BATCHLINE_BROKER_URL: 'http://user:hunter2@host' }, cwd: emptyDir() }));
    expect(error.message).toContain('brokerUrl');
    expect(error.message).not.toContain('hunter2');
  });

  it('never echoes a secret that fails validation', () => {
    const error = errorOf(() => loadConfig({ env: { BATCHLINE_DASHBOARD_TOKEN: 'short-secret' }, cwd: emptyDir() }));
    expect(error.message).toContain('dashboard.token');
    expect(error.message).not.toContain('short-secret');
  });

  it('takes BATCHLINE_CONFIG_JSON as a layer above the file and below the other variables', () => {
    const config = loadConfig({
      env: { BATCHLINE_CONFIG_JSON: JSON.stringify({ brokerUrl: 'redis://127.0.0.1:7001', pipeline: 'noop' }), BATCHLINE_PIPELINE: 'extract' },
      cwd: emptyDir(),
    });
    expect(config.brokerUrl).toBe('redis://127.0.0.1:7001');
    expect(config.pipeline).toBe('extract');
  });

  it('runs a worker with the config its parent resolved, whole: no variable or file of its own beats it', () => {
    const cwd = emptyDir();
    writeFileSync(path.join(cwd, 'batchline.config.json'), JSON.stringify({ cacheUrl: 'redis://127.0.0.1:7009', outDir: 'from-file' }));
    const parent = loadConfig({ env: { BATCHLINE_CACHE_ENABLED: 'true' }, cwd: emptyDir(), overrides: { cache: { enabled: false }, pipeline: 'noop' } });
    const config = loadConfig({
      env: {
        BATCHLINE_RESOLVED_CONFIG: JSON.stringify(parent),
        BATCHLINE_CACHE_ENABLED: 'true',
        BATCHLINE_PIPELINE: 'extract',
        BATCHLINE_CONFIG_JSON: JSON.stringify({ logLevel: 'debug' }),
      },
      cwd,
    });
    expect(config).toEqual(parent);
    expect(config.cache.enabled).toBe(false);
    expect(config.cacheUrl).toBeUndefined();
  });
});

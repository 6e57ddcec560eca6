import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { redactUrl } from '../../../src/config/redact.js';
import { hashTagOf, isClusterUrl, parseClusterUrl } from '../../../src/config/cluster-url.js';

const emptyDir = () => mkdtempSync(path.join(os.tmpdir(), 'batchline-config-'));

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig({ env, cwd: emptyDir() });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('Redis Cluster URLs', () => {
  it('parses seed nodes, credentials and TLS', () => {
    expect(parseClusterUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      tls: false,
    });
    expect(parseClusterUrl('rediss+cluster://app:p%40ss@redis-a.internal:6380,redis-b.internal:6380/')).toEqual({
      nodes: [
        { host: 'redis-a.internal', port: 6380 },
        { host: 'redis-b.internal', port: 6380 },
      ],
      tls: true,
      username: 'app',
      password: 'p@ss',
    });
    expect(isClusterUrl('redis://h:1')).toBe(false);
    expect(isClusterUrl('REDIS+CLUSTER://h:1')).toBe(true);
  });

  it('refuses a seed without port, a database, and a bad port, saying why', () => {
    expect(() => parseClusterUrl('redis+cluster://h1:7000,h2')).toThrow(/seed node "h2" must be host:port/);
    expect(() => parseClusterUrl('redis+cluster://h1:7000/2')).toThrow(/no database/);
    expect(() => parseClusterUrl('redis+cluster://h1:70000')).toThrow(/outside 1-65535/);
  });

  it('is accepted as brokerUrl and cacheUrl by the config schema', () => {
    const config = loadConfig({
      env: { BATCHLINE_BROKER_URL: 'redis+cluster://b1:7000,b2:7000', BATCHLINE_CACHE_URL: 'redis+cluster://c1:7000,c2:7000' },
      cwd: emptyDir(),
    });
    expect(config.brokerUrl).toBe('redis+cluster://b1:7000,b2:7000');
  });

  it('a malformed cluster URL is a config error naming the variable, without the password', () => {
    const message = configError({ BATCHLINE_BROKER_URL: 'redis+cluster://:hunter2@b1:7000,b2' });
    expect(message).toContain('BATCHLINE_BROKER_URL');
    expect(message).toContain('seed node "b2" must be host:port');
    expect(message).not.toContain('hunter2');
  });

  it('a cluster broker needs a hash-tagged queue prefix', () => {
    const message = configError({ BATCHLINE_BROKER_URL: 'redis+cluster://b1:7000,b2:7000', BATCHLINE_QUEUE_PREFIX: 'batchline' });
    expect(message).toContain('queuePrefix');
    expect(message).toContain('hash tag');
    expect(() => loadConfig({ env: { BATCHLINE_BROKER_URL: 'redis+cluster://b1:7000', BATCHLINE_QUEUE_PREFIX: '{team-a}' }, cwd: emptyDir() })).not.toThrow();
  });

  it('broker and cache clusters sharing a seed node are refused like one shared Redis', () => {
    const message = configError({ BATCHLINE_BROKER_URL: 'redis+cluster://localhost:7000,h2:7001', BATCHLINE_CACHE_URL: 'redis+cluster://127.0.0.1:7000' });
    expect(message).toContain('same Redis as brokerUrl');
  });

  it('hash tags and redaction', () => {
    expect(hashTagOf('{batchline}')).toBe('batchline');
    expect(hashTagOf('{}x{y}')).toBeUndefined();
    expect(hashTagOf('plain')).toBeUndefined();
    expect(redactUrl('redis+cluster://user:s3cr@t@h1:1,h2:2')).toBe('redis+cluster://user:***@h1:1,h2:2');
  });
});

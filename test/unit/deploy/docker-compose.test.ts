import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The text of one top-level service block of docker-compose.yml (two-space indented). */
function serviceBlock(compose: string, name: string): string {
  const lines = compose.split('\n');
  const start = lines.indexOf(`  ${name}:`);
  expect(start, `service ${name}`).toBeGreaterThan(-1);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^ {0,2}\S/.test(line));
  return rest.slice(0, end === -1 ? undefined : end).join('\n');
}

describe('docker-compose.yml', () => {
  const compose = readFileSync('docker-compose.yml', 'utf8');

  it('never publishes the broker or the cache on the host', () => {
    expect(serviceBlock(compose, 'broker')).not.toMatch(/ports:|network_mode: *host/);
    expect(serviceBlock(compose, 'cache')).not.toMatch(/ports:|network_mode: *host/);
  });

  it('runs a durable noeviction broker and a 250 MB allkeys-lru cache without persistence', () => {
    expect(serviceBlock(compose, 'broker')).toMatch(/"--appendonly", "yes".*"--maxmemory-policy", "noeviction"/);
    expect(serviceBlock(compose, 'cache')).toMatch(/"--save", "", "--appendonly", "no", "--maxmemory", "250mb", "--maxmemory-policy", "allkeys-lru"/);
  });

  it('publishes the dashboard on loopback only, with credentials required', () => {
    const dashboard = serviceBlock(compose, 'dashboard');
    expect(dashboard).toMatch(/- "127\.0\.0\.1:3000:3000"/);
    expect(dashboard).toMatch(/BATCHLINE_DASHBOARD_PASSWORD: \$\{BATCHLINE_DASHBOARD_PASSWORD:\?/);
  });

  it('has a scalable worker service per queue', () => {
    for (const queue of ['default', 'batch', 'patterns']) {
      const worker = serviceBlock(compose, `worker-${queue}`);
      expect(worker).toContain(`dist/workers/${queue}.js`);
      expect(worker).not.toMatch(/container_name:/); // a fixed name would block --scale
    }
  });
});

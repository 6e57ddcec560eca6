import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/index.js';
import { assertSafeBinding } from '../../../src/dashboard/access-policy.js';
import { hasCode } from '../../../src/errors.js';

/*
 * No docker engine runs here, so this test reads docker-compose.yml (with a YAML parser,
 * merge keys included), the Dockerfile and the README the way compose and docker would,
 * and checks what they would do: which variables compose demands, which services the
 * README's commands start, whether the image's user can write its results, and whether
 * every command a service runs exists in the built image.
 */

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  container_name?: string;
  network_mode?: string;
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const composeText = readFileSync('docker-compose.yml', 'utf8');
const compose = parse(composeText, { merge: true }) as Compose;
const readme = readFileSync('README.md', 'utf8');
const dockerfile = parseDockerfile(readFileSync('Dockerfile', 'utf8'));
const batchlineServices = Object.entries(compose.services).filter(([, service]) => service.image === 'batchline:local');

/**
 * Compose's interpolation of one string: `$$`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`. Throws where compose would refuse to start.
 */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, name, colon, op, arg, bare) => {
    if (match === '$$') return '$';
    if (bare) return env[bare] ?? '';
    const value = env[name];
    const missing = colon ? value === undefined || value === '' : value === undefined;
    if (op === '?' && missing) throw new Error(`required variable ${name} is missing a value: ${arg}`);
    if (op === '-' && missing) return arg;
    return value ?? '';
  });
}

/** Compose interpolates every string in the file, whatever profile is active. */
function interpolateAll(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, env)]));
  return value;
}

/** Dockerfile instructions in order, continuation lines joined. */
function parseDockerfile(text: string): { instruction: string; args: string }[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [instruction = '', ...rest] = line.split(/\s+/);
      return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    });
}

/** The `docker compose …` commands in the README's shell blocks. */
function readmeComposeCommands(): string[][] {
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^(\S+=\S+\s+)*docker compose /.test(line))
    .map((line) => (line.match(/"[^"]*"|\S+/g) ?? []).filter((word) => !/^[A-Z_]+=/.test(word)).slice(2));
}

const profiles = new Set(Object.values(compose.services).flatMap((service) => service.profiles ?? []));
const cliCommands = ['run', 'ingest', 'worker', 'status', 'export', 'schedule', 'patterns', 'doctor', 'dashboard', 'dev'];

describe('docker-compose.yml as compose reads it', () => {
  it('needs no variable to be set: no command fails for a missing one', () => {
    expect(() => interpolateAll(compose, {})).not.toThrow();
    expect(composeText).not.toMatch(/\$\{[A-Za-z_][A-Za-z0-9_]*:?\?/);
  });

  it('the README names one command that starts the stack, and every compose command in it is valid against the file', () => {
    const commands = readmeComposeCommands();
    expect(commands.length).toBeGreaterThan(0);
    for (const words of commands) {
      const args = [...words];
      while (args[0]?.startsWith('--')) {
        const flag = args.shift();
        if (flag === '--profile') expect(profiles, `profile in: docker compose ${words.join(' ')}`).toContain(args.shift());
      }
      const sub = args.shift();
      expect(['up', 'run', 'logs', 'down', 'ps'], words.join(' ')).toContain(sub);
      if (sub === 'up') {
        for (const arg of args.filter((a) => !a.startsWith('-'))) {
          if (/^[\w-]+=\d+$/.test(arg)) continue; // the value of --scale
          expect(Object.keys(compose.services), words.join(' ')).toContain(arg);
        }
        for (const scale of args.filter((_, i) => args[i - 1] === '--scale')) {
          expect(Object.keys(compose.services)).toContain(scale.split('=')[0]);
        }
      }
      if (sub === 'run') {
        while (args[0]?.startsWith('-')) {
          const option = args.shift();
          if (option === '-v' || option === '-e' || option === '--entrypoint') args.shift();
        }
        const service = args.shift() ?? '';
        expect(Object.keys(compose.services), words.join(' ')).toContain(service);
        if (service === 'cli') expect(cliCommands, words.join(' ')).toContain(args[0]);
      }
    }
    // The one command: `docker compose up -d` with no service list brings up broker, cache and a worker per queue.
    const startStack = commands.filter((words) => words.join(' ') === 'up -d');
    expect(startStack).toHaveLength(1);
    const byDefault = Object.entries(compose.services)
      .filter(([, service]) => !service.profiles)
      .map(([name]) => name)
      .sort();
    expect(byDefault).toEqual(['broker', 'cache', 'worker-batch', 'worker-default', 'worker-patterns']);
  });

  it('the dashboard is opt-in and refuses to start without a password rather than failing every command', () => {
    const dashboard = compose.services.dashboard as Service;
    expect(dashboard.profiles).toEqual(['dashboard']);
    expect(readme).toMatch(/BATCHLINE_DASHBOARD_PASSWORD=\S+ docker compose --profile dashboard up -d/);
    const configOf = (env: Record<string, string>) =>
      loadConfig({ env: (interpolateAll(dashboard.environment, env) as Record<string, string>) ?? {}, cwd: mkdtempSync(path.join(os.tmpdir(), 'compose-')) });
    // Its command listens on 0.0.0.0 (`--host`): without a password it must stop with E_CONFIG.
    let refused: unknown;
    try {
      assertSafeBinding({ ...configOf({}).dashboard, host: '0.0.0.0' });
    } catch (error) {
      refused = error;
    }
    expect(hasCode(refused, 'E_CONFIG')).toBe(true);
    expect(String((refused as Error).message)).toMatch(/password/);
    const withPassword = configOf({ BATCHLINE_DASHBOARD_PASSWORD: 'change-me-please' });
    expect(() => assertSafeBinding({ ...withPassword.dashboard, host: '0.0.0.0' })).not.toThrow();
  });

  it('every batchline service gets a config that loads', () => {
    for (const [name, service] of batchlineServices) {
      if (name === 'dashboard') continue; // above
      const env = interpolateAll(service.environment ?? {}, {}) as Record<string, string>;
      const config = loadConfig({ env, cwd: mkdtempSync(path.join(os.tmpdir(), 'compose-')) });
      expect(config.brokerUrl, name).toBe('redis://broker:6379');
      expect(config.cacheUrl, name).toBe('redis://cache:6379');
    }
  });

  it('never publishes the broker or the cache on the host', () => {
    for (const name of ['broker', 'cache']) {
      const service = compose.services[name] as Service;
      expect(service.ports, name).toBeUndefined();
      expect(service.network_mode, name).toBeUndefined();
    }
  });

  it('runs a durable noeviction broker and a 250 MB allkeys-lru cache without persistence', () => {
    const broker = (compose.services.broker as Service).command?.join(' ');
    const cache = (compose.services.cache as Service).command?.join(' ');
    expect(broker).toMatch(/--appendonly yes .*--maxmemory-policy noeviction/);
    expect(cache).toMatch(/--appendonly no --maxmemory 250mb --maxmemory-policy allkeys-lru/);
  });

  it('publishes the dashboard on loopback only', () => {
    expect((compose.services.dashboard as Service).ports).toEqual(['127.0.0.1:3000:3000']);
  });

  it('has a scalable worker service per queue', () => {
    for (const queue of ['default', 'batch', 'patterns']) {
      const worker = compose.services[`worker-${queue}`] as Service;
      expect(worker.command).toEqual(['node', `dist/workers/${queue}.js`]);
      expect(worker.container_name).toBeUndefined(); // a fixed name would block --scale
    }
  });
});

describe('the image', () => {
  const workdir = dockerfile.filter((step) => step.instruction === 'WORKDIR').at(-1)?.args ?? '/';
  const userAt = dockerfile.findIndex((step) => step.instruction === 'USER');

  it('runs as node, with a results folder node owns, kept in the named volume the README names', () => {
    expect(dockerfile[userAt]?.args).toBe('node');
    const resultsDir = path.posix.join(workdir, 'results');
    const preparesResults = dockerfile
      .slice(0, userAt)
      .some((step) => step.instruction === 'RUN' && step.args.includes(`mkdir -p ${resultsDir}`) && step.args.includes(`chown node:node ${resultsDir}`));
    expect(preparesResults, `a RUN before USER that creates ${resultsDir} owned by node`).toBe(true);
    expect(dockerfile.some((step) => step.instruction === 'VOLUME' && step.args.includes(resultsDir))).toBe(true);
    expect(Object.keys(compose.volumes ?? {})).toContain('results');
    for (const [name, service] of batchlineServices) {
      expect(service.volumes, name).toContain(`results:${resultsDir}`);
      const env = interpolateAll(service.environment ?? {}, { BATCHLINE_DASHBOARD_PASSWORD: 'x-password-1' }) as Record<string, string>;
      const outDir = path.posix.resolve(workdir, env.BATCHLINE_OUT_DIR ?? 'results');
      expect(outDir, name).toBe(resultsDir);
    }
    expect(readme).toMatch(/volume `results`/);
    expect(readme).toContain(resultsDir);
  });

  it('holds every script a service runs: compiled from sources the Dockerfile copies and tsconfig builds', () => {
    const tsconfig = JSON.parse(readFileSync('tsconfig.json', 'utf8')) as { compilerOptions: { outDir: string; rootDir: string }; include: string[] };
    expect(tsconfig.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.' });
    expect(dockerfile.some((step) => step.instruction === 'RUN' && step.args.includes('npm run build'))).toBe(true);
    const copied = dockerfile
      .filter((step) => step.instruction === 'COPY')
      .flatMap((step) => step.args.split(/\s+/).slice(0, -1))
      .map((source) => source.replace(/\/$/, ''));
    expect(copied, 'package.json is read at run time (--version)').toContain('package.json');
    for (const [name, service] of batchlineServices) {
      const argv = [...(service.entrypoint ?? []), ...(service.command ?? [])];
      expect(argv[0], name).toBe('node');
      const script = argv[1] ?? '';
      const source = script.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      const topFolder = source.split('/')[0] ?? '';
      expect(script, name).toMatch(/^dist\/.+\.js$/);
      expect(existsSync(source), `${name}: ${source}`).toBe(true);
      expect(copied, `${name}: the Dockerfile copies ${topFolder}`).toContain(topFolder);
      expect(tsconfig.include, `${name}: tsconfig builds ${topFolder}`).toContain(topFolder);
    }
  });
});

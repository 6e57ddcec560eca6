import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import { BatchlineError, ErrorCode } from '../errors.js';
import { findExecutable } from './find-executable.js';
import { findFreePort } from './free-port.js';

export type RedisRole = 'broker' | 'cache';

export interface RedisServerOptions {
  /** Working directory of the server: its AOF (broker) and log file live here. */
  dir: string;
  /** broker: durable (AOF everysec, noeviction); cache: disposable (no persistence, 250 MB, allkeys-lru). */
  role: RedisRole;
  /** Loopback port; a free one is picked when omitted. */
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--requirepass', 'secret']`. */
  extraArgs?: readonly string[];
  /** How long to wait for the server to answer PING (ms). */
  readyTimeoutMs?: number;
  /** Serve TLS only (no plain port): PEM files of the server's certificate, key and CA. */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** Address the server binds and is reached on. @defaultValue '127.0.0.1' */
  host?: string;
  /**
   * A command that runs the server and its readiness probe elsewhere, e.g.
   * `['ip', 'netns', 'exec', 'ns1']` for a network namespace this process cannot reach
   * (tests of real network boundaries). The probe then runs `redis-cli` there. Not with `tls`.
   */
  launcher?: readonly string[];
}

const roleArgs: Record<RedisRole, readonly string[]> = {
  // BullMQ requires noeviction; AOF everysec survives a crash of redis-server itself.
  broker: ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', ''],
  cache: ['--appendonly', 'no', '--save', '', '--maxmemory', '250mb', '--maxmemory-policy', 'allkeys-lru'],
};

/*
 * redis-server runs under a tiny shell guardian that holds the read end of a pipe whose
 * write end only this Node process holds. However this process ends (normal exit, error,
 * Ctrl-C, even SIGKILL) the kernel closes the pipe, the guardian reads EOF and stops
 * redis-server: no orphan is left behind.
 */
const guardianScript = [
  'exec 3<&0',
  'redis-server "$@" 3<&- </dev/null &',
  'r=$!',
  'echo "$r"',
  '( read _ <&3; kill -TERM "$r" 2>/dev/null ) &',
  'wait "$r"',
].join('\n');

/** A local redis-server child process, for the embedded default and for tests. */
export class RedisServer {
  private child: ChildProcess | undefined;
  private redisPid = 0;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly options: RedisServerOptions,
    readonly port: number,
  ) {}

  /** Starts a server and waits until it answers. Throws E_NO_REDIS_SERVER when it cannot. */
  static async start(options: RedisServerOptions): Promise<RedisServer> {
    if (!findExecutable('redis-server')) throw missingRedisServer();
    if (options.launcher && options.tls) throw new RangeError('a launcher probes with plain redis-cli: it cannot be combined with tls');
    mkdirSync(options.dir, { recursive: true });
    // A port picked here can be taken before redis binds it; retry with another.
    for (let attempt = 0; ; attempt++) {
      const server = new RedisServer(options, options.port ?? (await findFreePort()));
      try {
        await server.spawnAndWait();
        return server;
      } catch (error) {
        await server.stop();
        if (options.port !== undefined || attempt >= 4) throw error;
      }
    }
  }

  /** `redis://<host>:<port>` (`rediss://` with TLS), without credentials. */
  get url(): string {
    return `${this.options.tls ? 'rediss' : 'redis'}://${this.host}:${this.port}`;
  }

  /** The address it binds and is reached on. */
  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** The redis-server process id (not the guardian's), for fault injection. */
  get pid(): number {
    return this.redisPid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal to redis-server itself: SIGKILL to crash it, SIGSTOP/SIGCONT to hang it. */
  signal(signal: NodeJS.Signals): void {
    if (this.redisPid > 0) process.kill(this.redisPid, signal);
  }

  /** Starts the server again on the same port and directory (after a kill). */
  async restart(): Promise<void> {
    await this.stop();
    await this.spawnAndWait();
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to be gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.running) {
      try {
        this.signal('SIGCONT'); // a hung (SIGSTOPped) server cannot handle SIGTERM
      } catch {
        // already gone
      }
      child.stdin?.end();
      const timer = setTimeout(() => this.forceKill(), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
    child.stdin?.destroy();
    this.child = undefined;
  }

  private forceKill(): void {
    for (const pid of [this.redisPid, this.child?.pid ? -this.child.pid : 0]) {
      try {
        if (pid !== 0) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private async spawnAndWait(): Promise<void> {
    const { dir, role, extraArgs = [], readyTimeoutMs = 10_000, tls: tlsFiles, launcher = [] } = this.options;
    const listen = tlsFiles
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', tlsFiles.certFile, '--tls-key-file', tlsFiles.keyFile, '--tls-ca-cert-file', tlsFiles.caFile, '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    const args = [
      ...listen,
      '--bind', this.host,
      '--dir', path.resolve(dir),
      '--logfile', 'redis.log',
      '--daemonize', 'no',
      ...roleArgs[role],
      ...extraArgs,
    ];
    const [command = 'sh', ...prefix] = [...launcher, 'sh'];
    const child = spawn(command, [...prefix, '-c', guardianScript, 'redis-guardian', ...args], {
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true, // Ctrl-C in the terminal reaches batchline, which stops servers in order
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stdin?.on('error', () => {}); // EPIPE after the guardian is gone is expected
    this.redisPid = await readPid(child);
    const probe = launcher.length > 0 ? () => pingVia(launcher, this.host, this.port) : () => ping(this.host, this.port, !!tlsFiles);
    await waitForPing(probe, readyTimeoutMs, () => this.running).catch((error: unknown) => {
      throw new BatchlineError(
        ErrorCode.NO_REDIS_SERVER,
        `redis-server (${role}) did not start on port ${this.port}: ${logTail(dir) || (error as Error).message}`,
        { cause: error },
      );
    });
    // Once up, the server must never keep this process alive by itself.
    child.unref();
    for (const stream of [child.stdin, child.stdout]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
}

function readPid(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(Number(line));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', () => reject(new Error('redis guardian exited before starting redis-server')));
  });
}

/** Waits until the port answers PING (a NOAUTH reply also means the server is up). */
async function waitForPing(probe: () => Promise<boolean>, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('redis-server exited');
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no answer within ${timeoutMs} ms`);
}

function ping(host: string, port: number, useTls: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    // Readiness only: the certificate is checked by the real clients, not here.
    const socket = useTls ? tls.connect({ port, host, rejectUnauthorized: false }) : net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once(useTls ? 'secureConnect' : 'connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

/** PING through the launcher (somewhere this process cannot connect to), with redis-cli. */
function pingVia(launcher: readonly string[], host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const [command = 'redis-cli', ...prefix] = [...launcher, 'redis-cli'];
    execFile(command, [...prefix, '-h', host, '-p', String(port), 'PING'], { timeout: 2_000 }, (_error, stdout) => {
      resolve(/^(PONG|NOAUTH)/.test(String(stdout).trim()));
    });
  });
}

function logTail(dir: string): string {
  try {
    const lines = readFileSync(path.join(dir, 'redis.log'), 'utf8').trim().split('\n');
    return lines.slice(-3).join(' | ');
  } catch {
    return '';
  }
}

export function missingRedisServer(): BatchlineError {
  return new BatchlineError(
    ErrorCode.NO_REDIS_SERVER,
    'redis-server is not on the PATH. Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), ' +
      'or run real servers with `docker compose up -d broker cache` and set BATCHLINE_BROKER_URL and BATCHLINE_CACHE_URL.',
  );
}

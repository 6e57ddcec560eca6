import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { QueueName } from '../config/index.js';
import { forwardsChildOutput, writeLogLine } from '../log.js';

export interface WorkerPoolOptions {
  queue: QueueName;
  processes: number;
  /** Environment of each worker process (config travels as BATCHLINE_* variables). */
  env: NodeJS.ProcessEnv;
  /** Restarts allowed per slot before the pool gives up (`workers.maxRestarts`). */
  maxRestarts: number;
  /** How long a stopping worker may take before it is killed (ms). */
  stopTimeoutMs: number;
}

/** The compiled entry point of a queue's worker (`dist/workers/<queue>.js`). */
export function workerEntryPoint(queue: QueueName): string {
  const file = fileURLToPath(new URL(`../../workers/${queue}.js`, import.meta.url));
  if (!existsSync(file)) throw new Error(`worker entry point ${file} is missing: run \`npm run build\` first`);
  return file;
}

/**
 * Worker processes for one queue, each a separate OS process. One that dies is started
 * again (its jobs come back through stall detection), up to `maxRestarts` per slot; past
 * that `failure` rejects so the caller can stop instead of waiting forever.
 */
export class WorkerPool {
  private readonly children = new Set<ChildProcess>();
  private stopping = false;
  private failWith: (error: Error) => void = () => {};
  /** Rejects when a worker keeps dying; never resolves otherwise. */
  readonly failure: Promise<never>;

  constructor(
    private readonly options: WorkerPoolOptions,
    private readonly logger: Logger,
  ) {
    this.failure = new Promise<never>((_, reject) => {
      this.failWith = reject;
    });
    this.failure.catch(() => {});
  }

  start(): void {
    for (let slot = 0; slot < this.options.processes; slot++) this.spawnSlot(slot, 0);
    this.logger.info({ queue: this.options.queue, processes: this.options.processes, pids: this.pids }, 'worker processes started');
  }

  get pids(): number[] {
    return [...this.children].map((child) => child.pid ?? 0);
  }

  private spawnSlot(slot: number, restarts: number): void {
    // On a terminal the workers' log lines pass through this process, which prints them in
    // its own format above its progress bar; elsewhere they go straight to the same stderr.
    const forward = forwardsChildOutput();
    const child = spawn(process.execPath, [workerEntryPoint(this.options.queue)], {
      env: this.options.env,
      // The IPC channel tells the worker when this process dies, so it never outlives it.
      stdio: ['ignore', 'inherit', forward ? 'pipe' : 'inherit', 'ipc'],
      // Its own process group: Ctrl-C reaches this process, which stops workers in order.
      detached: true,
    });
    this.children.add(child);
    if (forward && child.stderr) createInterface({ input: child.stderr, crlfDelay: Number.POSITIVE_INFINITY }).on('line', writeLogLine);
    child.once('exit', (code, signal) => {
      this.children.delete(child);
      if (this.stopping) return;
      if (restarts >= this.options.maxRestarts) {
        this.failWith(new Error(`worker process for ${this.options.queue} exited (${signal ?? code}) ${restarts + 1} times; giving up`));
        return;
      }
      this.logger.warn({ queue: this.options.queue, slot, code, signal }, 'worker process exited; starting another');
      this.spawnSlot(slot, restarts + 1);
    });
  }

  /** SIGTERM to every worker (they finish or hand back active jobs), SIGKILL after the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    const exits = [...this.children].map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    });
    await Promise.all(exits);
  }
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The built CLI (`npm test` builds first, so tests exercise what users run). */
export const CLI = path.resolve('dist/src/cli/main.js');
export const WORKER = (queue: string) => path.resolve(`dist/workers/${queue}.js`);

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for a child: the test's, without anything batchline would read from the developer's shell. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BATCHLINE_')) env[key] = value;
  return { ...env, BATCHLINE_LOG_LEVEL: 'warn', ...extra };
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
  /** A command that runs node elsewhere, e.g. `['ip', 'netns', 'exec', 'ns1']` (see netns.ts). */
  launcher?: readonly string[];
}

export function startCli(args: readonly string[], options: CliOptions = {}) {
  const [command = process.execPath, ...prefix] = [...(options.launcher ?? []), process.execPath];
  const child = spawn(command, [...prefix, CLI, ...args], {
    env: options.env ?? cleanEnv(),
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const done = collect(child);
  child.stdin?.end(options.input ?? '');
  return { child, done };
}

export function runCli(args: readonly string[], options: CliOptions = {}) {
  return startCli(args, options).done;
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

export function tempDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `batchline-${label}-`));
}

/** A JSONL file of `count` small, distinct documents; returns its path and the ids. */
export function writeCorpus(dir: string, count: number, name = 'docs.jsonl'): { file: string; ids: string[] } {
  const ids: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `doc-${String(i).padStart(6, '0')}`;
    ids.push(id);
    lines.push(JSON.stringify({ id, text: `Invoice INV-${100000 + i}\nCustomer: Client ${i}\nTotal: $${(i * 7.31).toFixed(2)}\nThank you.` }));
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, ids };
}

export function readJsonl<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/**
 * Starts `batchline dashboard --port 0` and waits for the URL it prints. `stop()` ends it
 * and resolves to its output.
 */
export async function startDashboardCli(env: NodeJS.ProcessEnv, cwd?: string): Promise<{ url: string; stop: () => Promise<CliResult> }> {
  const { child, done } = startCli(['dashboard', '--port', '0'], { env, cwd });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  let url: string | undefined;
  for (let i = 0; i < 150 && !url; i++) {
    url = stderr.match(/dashboard at (http:\/\/\S+)/)?.[1];
    if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!url) {
    child.kill('SIGKILL');
    throw new Error(`dashboard did not start: ${stderr.slice(-2_000)}`);
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      return done;
    },
  };
}

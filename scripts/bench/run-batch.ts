import { spawn } from 'node:child_process';
import path from 'node:path';

/** The built CLI, as users run it. */
export const CLI = path.resolve('dist/src/cli/main.js');

/** What `batchline run --json` prints. */
export interface RunSummary {
  ok: number;
  failed: number;
  wallMs: number;
  cache: { exact: number; semantic: number; miss: number };
}

/** `batchline run <input> --json` with `args`; resolves to its summary and stderr (the workers' logs). */
export function runBatch(input: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<{ summary: RunSummary; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', input, '--json', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`batchline run exited ${code}: ${stderr.slice(-1_000)}`));
      else resolve({ summary: JSON.parse(stdout) as RunSummary, stderr });
    });
  });
}

/** The environment without any BATCHLINE_ variable of the caller's shell. */
export function benchEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('BATCHLINE_'))), ...extra };
}

export const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

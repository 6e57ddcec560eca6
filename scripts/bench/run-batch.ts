import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/**
 * CPU time (ms) of this process's children that have exited and been waited for, from
 * /proc/self/stat (cutime + cstime, in clock ticks of 10 ms). A `batchline run` waits for
 * its worker processes, so their time is in its own when it exits.
 */
function exitedChildrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  // Fields after the command name start at the state (field 3): cutime is 16, cstime 17.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/**
 * `batchline run <input> --json` with `args`; resolves to its summary, stderr (the workers'
 * logs) and the CPU time of the run and its workers together (Linux).
 */
export async function runBatch(
  input: string,
  env: NodeJS.ProcessEnv,
  args: readonly string[],
): Promise<{ summary: RunSummary; stderr: string; cpuMs: number }> {
  const cpuBefore = exitedChildrenCpuMs();
  const { summary, stderr } = await spawnRun(input, env, args);
  return { summary, stderr, cpuMs: exitedChildrenCpuMs() - cpuBefore };
}

function spawnRun(input: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<{ summary: RunSummary; stderr: string }> {
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

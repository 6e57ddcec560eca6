import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';

/** Processes whose working directory is the folder (worker processes inherit it from `run`/`dev`). */
export function processesWorkingIn(dir: string): number[] {
  const real = realpathSync(dir);
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === real;
      } catch {
        return false; // gone, or not ours to read
      }
    })
    .map(Number);
}

/** Processes (redis-server or its guardian) whose command line mentions the text. */
export function processesMentioning(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

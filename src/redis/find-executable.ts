import { accessSync, constants } from 'node:fs';
import { executablePath } from '../config/index.js';
import path from 'node:path';

/** The full path of an executable on the PATH, or undefined. */
export function findExecutable(name: string, envPath = executablePath()): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

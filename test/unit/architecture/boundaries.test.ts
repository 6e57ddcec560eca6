import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findViolations } from '../../../scripts/check-boundaries.js';

const fixture = mkdtempSync(path.join(os.tmpdir(), 'batchline-boundaries-'));
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

function write(relative: string, text: string): void {
  mkdirSync(path.dirname(path.join(fixture, relative)), { recursive: true });
  writeFileSync(path.join(fixture, relative), text);
}

describe('area boundaries', () => {
  it('hold in src/', () => {
    expect(findViolations(path.resolve('src'))).toEqual([]);
  });

  it('report deep imports across areas, forbidden arrows and process.env outside config', () => {
    write('queue/index.ts', "export { a } from './a.js';\n");
    write('queue/a.ts', 'export const a = 1;\n');
    write('worker/ok.ts', "import { a } from '../queue/index.js';\nimport { log } from '../log.js';\n");
    write('worker/deep.ts', "import { a } from '../queue/a.js';\n");
    write('pipeline/up.ts', "import { a } from '../queue/index.js';\n");
    write('cli/env.ts', 'export const home = process.env.HOME;\n');
    write('config/env.ts', 'export const home = process.env.HOME;\n');
    expect(findViolations(fixture).sort()).toEqual([
      `${path.join('cli', 'env.ts')}: reads process.env (only src/config may)`,
      `${path.join('pipeline', 'up.ts')}: pipeline must not import queue ('../queue/index.js')`,
      `${path.join('worker', 'deep.ts')}: deep import into queue ('../queue/a.js'); import queue/index.js`,
    ]);
  });
});

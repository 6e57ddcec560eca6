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

  it('report deep imports across areas, forbidden arrows, value imports where only types may be, and process.env outside config', () => {
    write('queue/index.ts', "export { a } from './a.js';\n");
    write('queue/a.ts', 'export const a = 1;\n');
    write('worker/ok.ts', "import { a } from '../queue/index.js';\nimport { log } from '../log.js';\n");
    write('worker/deep.ts', "import { a } from '../queue/a.js';\n");
    write('pipeline/up.ts', "import { a } from '../queue/index.js';\n");
    write('cli/env.ts', 'export const home = process.env.HOME;\n');
    write('config/env.ts', 'export const home = process.env.HOME;\n');
    write('batches/listener.ts', "import { a } from '../worker/index.js';\n");
    write('pipeline/index.ts', "export { run } from './run.js';\n");
    write('patterns/types.ts', "import type { A } from '../pipeline/index.js';\nimport { type B, type C } from '../pipeline/index.js';\nexport type { D } from '../pipeline/index.js';\n");
    write('patterns/runs.ts', "import { type A, run } from '../pipeline/index.js';\n");
    write('patterns/loads.ts', "const m = await import('../pipeline/index.js');\n");
    expect(findViolations(fixture).sort()).toEqual([
      `${path.join('batches', 'listener.ts')}: batches must not import worker ('../worker/index.js')`,
      `${path.join('cli', 'env.ts')}: reads process.env (only src/config may)`,
      `${path.join('patterns', 'loads.ts')}: patterns may import only types of pipeline ('../pipeline/index.js')`,
      `${path.join('patterns', 'runs.ts')}: patterns may import only types of pipeline ('../pipeline/index.js')`,
      `${path.join('pipeline', 'up.ts')}: pipeline must not import queue ('../queue/index.js')`,
      `${path.join('worker', 'deep.ts')}: deep import into queue ('../queue/a.js'); import queue/index.js`,
    ]);
  });
});

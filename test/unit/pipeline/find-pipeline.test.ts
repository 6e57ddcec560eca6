import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPipeline, pipelineFinder } from '../../../src/pipeline/index.js';
import { tempDir } from '../../helpers/cli.js';
import { captureLogger } from '../breaker/log-capture.js';

describe('finding a pipeline by the id its results carry', () => {
  it('knows the configured pipeline and the built-ins by name@version, nothing else', async () => {
    const dir = tempDir('finder');
    writeFileSync(path.join(dir, 'forms.mjs'), "export default { name: 'forms', version: '2', run: () => ({}) };\n");
    const find = pipelineFinder('./forms.mjs', { cwd: dir });
    expect((await find('forms@2'))?.name).toBe('forms');
    expect(await find('extract@1.0.0')).toBe(extractPipeline);
    expect((await find('noop@1'))?.name).toBe('noop');
    expect(await find('forms@1')).toBeUndefined(); // another version: its hook may read other artifacts
    expect(await find('extract@0.9.0')).toBeUndefined();
  });

  it('leaves out, and says once, a configured pipeline it cannot load; the built-ins are still found', async () => {
    const { logger, lines } = captureLogger('warn');
    const find = pipelineFinder('./missing.mjs', { cwd: tempDir('finder'), logger });
    expect(await find('extract@1.0.0')).toBe(extractPipeline);
    expect(await find('missing@1')).toBeUndefined();
    expect(lines.map((line) => [line.pipeline, line.msg])).toEqual([['./missing.mjs', 'pipeline cannot be loaded here: its results are not read by id']]);
  });
});

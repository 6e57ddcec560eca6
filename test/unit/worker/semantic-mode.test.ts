import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCache } from '../../../src/cache/index.js';
import { systemClock } from '../../../src/time.js';
import { loadConfig } from '../../../src/config/index.js';
import { ErrorCode, hasCode } from '../../../src/errors.js';
import { noopPipeline } from '../../../src/pipeline/noop-pipeline.js';
import { buildDocumentCache } from '../../../src/worker/build-document-cache.js';
import { captureLogger } from '../breaker/log-capture.js';

const cwd = () => mkdtempSync(path.join(os.tmpdir(), 'batchline-mode-'));

describe('semantic mode selection', () => {
  it('is strict unless BATCHLINE_SEMANTIC_MODE or the config says otherwise; enabled has its variable too', () => {
    expect(loadConfig({ env: {}, cwd: cwd() }).semantic).toMatchObject({ enabled: true, mode: 'strict' });
    expect(loadConfig({ env: { BATCHLINE_SEMANTIC_MODE: 'similar' }, cwd: cwd() }).semantic.mode).toBe('similar');
    expect(loadConfig({ env: { BATCHLINE_SEMANTIC_ENABLED: 'false' }, cwd: cwd() }).semantic.enabled).toBe(false);
    let error: unknown;
    try {
      loadConfig({ env: { BATCHLINE_SEMANTIC_MODE: 'loose' }, cwd: cwd() });
    } catch (caught) {
      error = caught;
    }
    expect(hasCode(error, ErrorCode.CONFIG)).toBe(true);
    expect((error as Error).message).toContain('semantic.mode (from BATCHLINE_SEMANTIC_MODE)');
  });

  it('logs one warning when a worker starts in similar mode, none in strict mode', async () => {
    for (const [mode, warnings] of [['strict', 0], ['similar', 1]] as const) {
      const config = loadConfig({ env: { BATCHLINE_SEMANTIC_MODE: mode }, cwd: cwd() });
      const { logger, lines } = captureLogger('info');
      const cache = createCache(config.cache, { url: undefined, logger, clock: systemClock });
      const documents = buildDocumentCache(config, cache, noopPipeline, logger);
      expect(lines.filter((line) => line.level === 40 && String(line.msg).includes('semantic.mode is "similar"'))).toHaveLength(warnings);
      await documents.close();
    }
  });
});

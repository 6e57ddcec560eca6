import { describe, expect, it } from 'vitest';
import { createCache } from '../../../src/cache/index.js';
import { configSchema } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/log.js';
import type { Pipeline } from '../../../src/pipeline/index.js';
import { findFreePort } from '../../../src/redis/free-port.js';
import { systemClock } from '../../../src/time.js';
import { buildDocumentCache } from '../../../src/worker/build-document-cache.js';

const config = configSchema.parse({});
const text = 'The quarterly report covers revenue growth in three regions and the hiring plan for next year. ';
const original = { id: 'a', text: text.repeat(3) };
// Differs from the original in letter case only: another exact key, the same strict semantic form.
const variant = { id: 'b', text: text.toUpperCase().repeat(3) };

const pipeline: Pipeline = { name: 'count', version: '1', run: (doc) => ({ chars: doc.text.length }) };

async function resolveBoth(url: string | undefined) {
  const cache = createCache(config.cache, { url, logger: silentLogger, clock: systemClock });
  await cache.ready(2_000); // the first connection attempt has an outcome
  const documents = buildDocumentCache(config, cache, pipeline, silentLogger);
  let runs = 0;
  const compute = (doc: typeof original) => async () => {
    runs++;
    return pipeline.run(doc, {} as never) as { chars: number };
  };
  const first = await documents.resolve(original, 'default', compute(original));
  const second = await documents.resolve(variant, 'default', compute(variant));
  await documents.close();
  return { kinds: [first.kind, second.kind], runs, l2Down: cache.l2Down() };
}

describe('the semantic tier when the cache Redis cannot be reached', () => {
  it('is skipped (no preparation, no lookup): the near-duplicate runs the pipeline', async () => {
    const closed = `redis://127.0.0.1:${await findFreePort()}`;
    expect(await resolveBoth(closed)).toEqual({ kinds: ['miss', 'miss'], runs: 2, l2Down: true });
  });

  it('still serves near-duplicates from the in-process index when no cache Redis is configured', async () => {
    expect(await resolveBoth(undefined)).toMatchObject({ kinds: ['miss', 'semantic'], runs: 1, l2Down: false });
  });
});

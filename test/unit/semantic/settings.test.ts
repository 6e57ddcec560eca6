import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { indexIdOf, resolveSemanticSettings, SIGNATURE_FORMAT } from '../../../src/semantic/index.js';

const valid = { mode: 'similar' as const, threshold: 0.8, shingleSize: 3, permutations: 128, minWords: 8, seed: 1 };

describe('semantic settings', () => {
  it('takes the schema defaults as they are', () => {
    const semantic = configSchema.parse({}).semantic;
    expect(semantic).toMatchObject({ mode: 'strict', threshold: 0.75, shingleSize: 3, permutations: 128, minWords: 8, seed: 1, l1MaxEntries: 20_000 });
    expect(resolveSemanticSettings(semantic)).toMatchObject({ ...valid, mode: 'strict', threshold: 0.75 });
  });

  it('throws RangeError on values that would make the index meaningless', () => {
    for (const bad of [{ mode: 'loose' as 'strict' }, { threshold: 0 }, { threshold: 1.01 }, { shingleSize: 0 }, { permutations: 0 }, { permutations: 2.5 }, { minWords: 0 }, { seed: -1 }]) {
      expect(() => resolveSemanticSettings({ ...valid, ...bad })).toThrow(RangeError);
    }
  });

  it('names an index by scope, format and every setting that shapes a signature', () => {
    const settings = resolveSemanticSettings(valid);
    const id = indexIdOf({ pipeline: 'extract', version: '2', scope: 'acme corp' }, settings);
    expect(id).toBe(`f${SIGNATURE_FORMAT}:similar:extract:2:sacme%20corp:t0.8k3p128s1w0.1/0.9`);
    expect(indexIdOf({ pipeline: 'extract', version: '2' }, settings)).toContain(':-:');
    expect(indexIdOf({ pipeline: 'extract', version: '2', scope: '-' }, settings)).not.toBe(indexIdOf({ pipeline: 'extract', version: '2' }, settings));
    expect(indexIdOf({ pipeline: 'extract', version: '2', scope: '' }, settings)).toBe(indexIdOf({ pipeline: 'extract', version: '2' }, settings));
    for (const change of [{ mode: 'strict' as const }, { threshold: 0.9 }, { shingleSize: 4 }, { permutations: 64 }, { seed: 7 }]) {
      expect(indexIdOf({ pipeline: 'extract', version: '2' }, resolveSemanticSettings({ ...valid, ...change }))).not.toBe(
        indexIdOf({ pipeline: 'extract', version: '2' }, settings),
      );
    }
    // minWords only gates queries: it never makes signatures incompatible.
    expect(indexIdOf({ pipeline: 'p', version: '1' }, resolveSemanticSettings({ ...valid, minWords: 20 }))).toBe(
      indexIdOf({ pipeline: 'p', version: '1' }, settings),
    );
  });
});

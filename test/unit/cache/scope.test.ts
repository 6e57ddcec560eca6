import { describe, expect, it } from 'vitest';
import { artifactKey, encodeScope, keyPrefix, MAX_SCOPE_LENGTH, scopeProblem, scopeSlot } from '../../../src/cache/index.js';
import { patternKey } from '../../../src/patterns/pattern-keys.js';
import type { Document } from '../../../src/pipeline/types.js';
import { indexIdOf, resolveSemanticSettings } from '../../../src/semantic/index.js';
import { scopeOf } from '../../../src/worker/cached-artifacts.js';

const settings = resolveSemanticSettings({ mode: 'strict', threshold: 0.8, shingleSize: 3, permutations: 128, minWords: 8, seed: 1 });
const text = 'Invoice 42\nTotal: 10 EUR';

const doc = (tenant: unknown, type?: string): Document => ({
  id: 'd',
  text,
  ...(type !== undefined ? { type } : {}),
  ...(tenant !== undefined ? { meta: { scope: tenant } } : {}),
});

/**
 * Pairs of documents that must never share a scope. The first is the issue's: with `/` as
 * a separator both were `acme/eu/invoice`, and the second tenant got the first's artifact.
 */
const mustDiffer: [string, Document, Document][] = [
  ['separator inside the tenant vs inside the type', doc('acme/eu', 'invoice'), doc('acme', 'eu/invoice')],
  ['tenant only vs type only', doc('invoice'), doc(undefined, 'invoice')],
  ['trailing separator vs leading separator', doc('a/', 'b'), doc('a', '/b')],
  ['tenant with an empty type vs tenant alone', doc('acme', ''), doc('acme')],
  ['tenant "acme/" vs tenant "acme" of type ""', doc('acme/'), doc('acme', '')],
  ['JSON punctuation in the tenant', doc('a","b'), doc('a', 'b')],
  ['percent-encoding in the tenant', doc('acme%2Feu', 'invoice'), doc('acme/eu', 'invoice')],
  ['colon in the tenant vs in the type', doc('acme:eu', 'x'), doc('acme', 'eu:x')],
  ['tenant "-" vs no scope', doc('-'), doc(undefined)],
  ['tenant "null" vs no tenant', doc('null', 'invoice'), doc(undefined, 'invoice')],
  ['tenants 42 and 43 as strings', doc('42'), doc('43')],
  ['a scoped tenant vs no scope', doc('acme'), doc(undefined)],
];

describe('document scopes', () => {
  it.each(mustDiffer)('%s: different scopes, exact keys and semantic index ids', (_label, a, b) => {
    const [sa, sb] = [scopeOf(a), scopeOf(b)];
    expect(sa).not.toBe(sb);
    const key = (scope: string | undefined) => artifactKey({ namespace: 'ns', pipeline: 'extract', version: '1', scope, text });
    expect(key(sa)).not.toBe(key(sb));
    const index = (scope: string | undefined) => indexIdOf({ pipeline: 'extract', version: '1', scope }, settings);
    expect(index(sa)).not.toBe(index(sb));
  });

  it('encodes each part, absent parts as null, and nothing at all as no scope', () => {
    expect(encodeScope({ tenant: 'acme/eu', type: 'invoice' })).toBe('["acme/eu","invoice"]');
    expect(encodeScope({ tenant: 'acme', type: 'eu/invoice' })).toBe('["acme","eu/invoice"]');
    expect(encodeScope({ tenant: 'acme' })).toBe('["acme",null]');
    expect(encodeScope({ type: 'invoice' })).toBe('[null,"invoice"]');
    expect(encodeScope({})).toBeUndefined();
    expect(scopeOf(doc(undefined))).toBeUndefined();
  });

  it('decodes back to the parts it was made from (so it is injective)', () => {
    for (const [, a, b] of mustDiffer) {
      for (const d of [a, b]) {
        const scope = scopeOf(d);
        if (scope === undefined) continue;
        expect(JSON.parse(scope)).toEqual([d.meta?.scope ?? null, d.type ?? null]);
      }
    }
  });

  it('rejects a meta.scope that is present but not a non-empty string, with a reason', () => {
    for (const bad of [42, 0, true, null, [], {}, ['acme'], { id: 'acme' }]) {
      expect(scopeProblem(bad), JSON.stringify(bad)).toMatch(/^"meta\.scope" must be a non-empty string \(it isolates cached artifacts\), got /);
      expect(() => scopeOf(doc(bad)), JSON.stringify(bad)).toThrow(/"meta\.scope" must be a non-empty string/);
    }
    expect(scopeProblem(42)).toContain('got a number');
    expect(scopeProblem('')).toMatch(/"meta\.scope" is empty/);
    expect(scopeProblem('  ')).toMatch(/"meta\.scope" is empty/);
    expect(scopeProblem('x'.repeat(MAX_SCOPE_LENGTH + 1))).toMatch(/more than the limit of 256/);
    expect(scopeProblem('acme\ud800')).toMatch(/unpaired surrogate/);
    for (const good of [undefined, 'acme', 'acme/eu', '42', 'x'.repeat(MAX_SCOPE_LENGTH), 'é😀']) expect(scopeProblem(good)).toBeUndefined();
  });

  it('bad scopes fail as bad input (permanent), not as a crash', () => {
    try {
      scopeOf(doc(42));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'E_BAD_INPUT' });
    }
  });
});

describe('the scope slot of a key', () => {
  it('is "-" only for no scope; a scope spelled "-" gets its own slot', () => {
    expect(scopeSlot(undefined)).toBe('-');
    expect(scopeSlot('')).toBe('-');
    expect(scopeSlot('-')).toBe('%2D');
    expect(scopeSlot('%2D')).toBe('%252D');
    expect(keyPrefix({ namespace: 'ns', pipeline: 'p', version: '1', scope: '-' })).not.toBe(keyPrefix({ namespace: 'ns', pipeline: 'p', version: '1' }));
  });

  it('is the same for every key family: exact artifacts and patterns share the prefix of their scope', () => {
    const scope = scopeOf(doc('acme/eu', 'invoice'));
    expect(artifactKey({ namespace: 'ns', pipeline: 'p', version: '1', scope, text })).toMatch(
      /^ns:p:1:%5B%22acme%2Feu%22%2C%22invoice%22%5D:a:[0-9a-f]{64}$/,
    );
    // Patterns are shared by every scope of a pipeline version: always the unscoped slot, never one a document can have.
    expect(patternKey({ namespace: 'ns', pipeline: 'p', version: '1' }, 'abc')).toBe('ns:p:1:-:pat:abc');
  });
});

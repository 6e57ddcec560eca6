import { describe, expect, it } from 'vitest';
import { CACHE_SCHEMA_VERSION, type CachedValue, decodeValue, encodeValue } from '../../../src/cache/value.js';

const value: CachedValue = {
  v: CACHE_SCHEMA_VERSION,
  artifact: { emails: ['a@b.c'], total: { amount: 10, currency: 'EUR' }, note: ':base64:AAAA' },
  docId: 'doc-1',
  createdAt: 1_000,
  expiresAt: 2_000,
};

describe('cached values', () => {
  it('round-trips and keeps strings exactly (no serializer magic)', () => {
    const encoded = encodeValue(value);
    expect(encoded?.value).toEqual(value);
    expect(decodeValue(encoded?.json)?.value).toEqual(value);
    expect(encoded?.bytes).toBe(Buffer.byteLength(encoded?.json ?? '', 'utf8'));
  });

  it('returns a frozen copy, not the caller’s object', () => {
    const artifact = { nested: { n: 1 } };
    const encoded = encodeValue({ ...value, artifact });
    expect(encoded?.value.artifact).not.toBe(artifact);
    expect(Object.isFrozen(encoded?.value.artifact.nested)).toBe(true);
    artifact.nested.n = 2;
    expect(encoded?.value.artifact).toEqual({ nested: { n: 1 } });
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x81]).toString('latin1')],
    ['not JSON', 'hello'],
    ['JSON null', 'null'],
    ['wrong shape', JSON.stringify({ foo: 1 })],
    ['old schema version', JSON.stringify({ ...value, v: 0 })],
    ['newer schema version', JSON.stringify({ ...value, v: CACHE_SCHEMA_VERSION + 1 })],
    ['array artifact', JSON.stringify({ ...value, artifact: [1, 2] })],
    ['missing docId', JSON.stringify({ ...value, docId: undefined })],
    ['non-string input', 42],
  ])('rejects %s', (_label, raw) => {
    expect(decodeValue(raw)).toBeUndefined();
  });

  it('refuses artifacts that cannot be serialised instead of throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(encodeValue({ ...value, artifact: cyclic })).toBeUndefined();
    expect(encodeValue({ ...value, artifact: { n: 10n } })).toBeUndefined();
  });
});

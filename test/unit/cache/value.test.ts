import { describe, expect, it } from 'vitest';
import { CACHE_SCHEMA_VERSION, type CachedValue, decodeValue, encodeValue, valueMatches } from '../../../src/cache/value.js';

const value: CachedValue = {
  v: CACHE_SCHEMA_VERSION,
  key: 'ns:extract:1:-:a:0123',
  made: { pipeline: 'extract', version: '1', scope: null, input: '0123' },
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
    ['missing key', JSON.stringify({ ...value, key: undefined })],
    ['missing origin', JSON.stringify({ ...value, made: undefined })],
    ['origin without input', JSON.stringify({ ...value, made: { ...value.made, input: undefined } })],
    ['version 1 envelope', JSON.stringify({ v: 1, artifact: value.artifact, docId: 'doc-1', createdAt: 1_000, expiresAt: 2_000 })],
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

  it('matches only its own key and what the reader expects it to be made from', () => {
    expect(valueMatches(value, value.key)).toBe(true);
    expect(valueMatches(value, value.key, value.made)).toBe(true);
    expect(valueMatches(value, value.key, { pipeline: 'extract', version: '1', scope: null })).toBe(true);
    expect(valueMatches(value, 'ns:extract:1:-:a:4567')).toBe(false);
    expect(valueMatches(value, value.key, { input: '4567' })).toBe(false);
    expect(valueMatches(value, value.key, { scope: '["acme",null]' })).toBe(false);
    expect(valueMatches(value, value.key, { version: '2' })).toBe(false);
    expect(valueMatches(value, value.key, { pipeline: 'other' })).toBe(false);
    const scoped = { ...value, made: { ...value.made, scope: '["acme",null]' } };
    expect(valueMatches(scoped, value.key, { scope: null })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { checkId, validateRecord } from '../../../src/ingest/validate-record.js';

const limits = { maxDocBytes: 1_000, maxIdLength: 100 };

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** Every character an id may not hold, with the kind its reason names. */
const forbidden: [string, number[]][] = [
  ['a control character', [0x00, 0x01, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b, 0x1f]], // C0: tab, LF and CR included
  ['a control character', [0x7f]], // DEL
  ['a control character', [0x80, 0x85, 0x8d, 0x9b, 0x9f]], // C1: NEL and CSI included
  ['a line or paragraph separator', [0x2028, 0x2029]],
  ['a bidirectional text control', [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]],
];

describe('document ids', () => {
  for (const [kind, codes] of forbidden) {
    for (const code of codes) {
      it(`rejects ${hex(code)} (${kind}) with a reason naming it and where it is`, () => {
        const char = String.fromCodePoint(code);
        expect(checkId(`inv${char}oice`, limits)).toBe(`"id" contains ${kind} (${hex(code)} at character 4)`);
        // The same through a JSONL record (escaped in JSON, as an attacker would write it).
        const record = JSON.parse(`{"id":${JSON.stringify(`a${char}`)},"text":"t"}`) as unknown;
        expect(validateRecord(record, limits)).toBe(`"id" contains ${kind} (${hex(code)} at character 2)`);
      });
    }
  }

  it('counts characters, not UTF-16 units, in the position', () => {
    expect(checkId('😀😀\u202e', limits)).toBe('"id" contains a bidirectional text control (U+202E at character 3)');
  });

  it('accepts opaque ids: paths, spaces, non-Latin scripts, emoji (with joiners), no-break spaces', () => {
    for (const id of ['a/b/../c.txt', 'C:\\x\\y', 'fz 1 ü', '日本語-1', '👩‍💻-7', 'a\u00a0b', 'x:y', '..', '\u200dzwj']) {
      expect(checkId(id, limits), id).toBeUndefined();
    }
  });
});

describe('meta.scope', () => {
  const record = (meta: unknown) => ({ id: 'd', text: 't', meta });

  it('a scope that is present but not a non-empty string is a rejected record with a reason', () => {
    expect(validateRecord(record({ scope: 42 }), limits)).toBe('"meta.scope" must be a non-empty string (it isolates cached artifacts), got a number');
    expect(validateRecord(record({ scope: null }), limits)).toMatch(/got null$/);
    expect(validateRecord(record({ scope: ['acme'] }), limits)).toMatch(/got an array$/);
    expect(validateRecord(record({ scope: { tenant: 'acme' } }), limits)).toMatch(/got an object$/);
    expect(validateRecord(record({ scope: false }), limits)).toMatch(/got a boolean$/);
    expect(validateRecord(record({ scope: '' }), limits)).toMatch(/^"meta\.scope" is empty/);
    expect(validateRecord(record({ scope: 'a\udc00' }), limits)).toMatch(/unpaired surrogate/);
  });

  it('a string scope, or none, is accepted and kept as it is', () => {
    expect(validateRecord(record({ scope: 'acme/eu' }), limits)).toEqual({ id: 'd', text: 't', meta: { scope: 'acme/eu' } });
    expect(validateRecord(record({ other: 42 }), limits)).toEqual({ id: 'd', text: 't', meta: { other: 42 } });
    expect(validateRecord({ id: 'd', text: 't' }, limits)).toEqual({ id: 'd', text: 't' });
  });

  it('a type that is not valid Unicode is rejected (it is part of the scope)', () => {
    expect(validateRecord({ id: 'd', text: 't', type: 'inv\ud800' }, limits)).toMatch(/"type" is not valid Unicode/);
  });
});

import { describe, expect, it } from 'vitest';
import { artifactKey, canonicalText, inputHash, keyPrefix } from '../../../src/cache/keys.js';

const base = { namespace: 'ns', pipeline: 'extract', version: '1', text: 'Invoice 42\nTotal: 10 EUR' };

describe('canonicalText', () => {
  it('collapses whitespace runs (any Unicode whitespace) and trims', () => {
    expect(canonicalText('  a \t\n b\u00a0\u2003c\r\n ')).toBe('a b c');
  });

  it('normalises to NFC', () => {
    const decomposed = 'Cafe\u0301'; // e + combining acute
    expect(canonicalText(decomposed)).toBe('Caf\u00e9');
  });
});

describe('artifactKey', () => {
  it('is stable and carries namespace, pipeline, version and the input hash', () => {
    const key = artifactKey(base);
    expect(key).toBe(artifactKey({ ...base }));
    expect(key).toMatch(/^ns:extract:1:-:a:[0-9a-f]{64}$/);
    expect(key.endsWith(inputHash(base.text))).toBe(true);
  });

  it('maps whitespace and NFC variants of one input to one key', () => {
    const variants = ['Invoice 42 Total: 10 EUR', '  Invoice   42\r\n\tTotal:  10 EUR  ', 'Invoice\u00a042 Total: 10 EUR'];
    for (const text of variants) expect(artifactKey({ ...base, text })).toBe(artifactKey(base));
    expect(artifactKey({ ...base, text: 'Cafe\u0301' })).toBe(artifactKey({ ...base, text: 'Caf\u00e9' }));
  });

  it('changes with the pipeline version, name, namespace, scope and input', () => {
    const key = artifactKey(base);
    for (const change of [
      { version: '2' },
      { pipeline: 'other' },
      { namespace: 'ns2' },
      { scope: 'tenant-a' },
      { text: 'Invoice 43\nTotal: 10 EUR' },
    ]) {
      expect(artifactKey({ ...base, ...change })).not.toBe(key);
    }
    expect(artifactKey({ ...base, scope: '' })).toBe(key);
    expect(artifactKey({ ...base, scope: 'a' })).not.toBe(artifactKey({ ...base, scope: 'b' }));
  });

  it('cannot be forged by colons inside parts', () => {
    const a = keyPrefix({ namespace: 'ns', pipeline: 'x:1', version: '2' });
    const b = keyPrefix({ namespace: 'ns', pipeline: 'x', version: '1:2' });
    expect(a).not.toBe(b);
  });
});

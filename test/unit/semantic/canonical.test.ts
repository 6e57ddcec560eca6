import { describe, expect, it } from 'vitest';
import { canonicalForSimilarity, classifyLines, similarityWords, splitLabelLine } from '../../../src/semantic/canonical.js';

describe('canonical text for similarity', () => {
  it('normalises Unicode, case, punctuation and whitespace', () => {
    const composed = 'Caf\u00e9 — “Déjà vu”,\tTOTAL…  ready!';
    const decomposed = 'cafe\u0301 déja\u0300 VU total ready';
    expect(canonicalForSimilarity(composed)).toBe('café déjà vu total ready');
    expect(canonicalForSimilarity(decomposed)).toBe('café déjà vu total ready');
    expect(similarityWords('  ...  ')).toEqual([]);
    expect(similarityWords('')).toEqual([]);
  });

  it('puts label lines first, sorted, so their order does not matter', () => {
    const a = 'Invoice\nTotal: $5\nDate: 2024-01-02\n\nThanks for your order.';
    const b = 'Invoice\r\nDate: 2024-01-02\r\nTotal: $5\r\n\r\nThanks for your order.';
    expect(canonicalForSimilarity(a)).toBe(canonicalForSimilarity(b));
    expect(canonicalForSimilarity(a)).toBe('date 2024 01 02 total 5 invoice thanks for your order');
  });
});

describe('label lines', () => {
  it('recognises short labels with a value', () => {
    expect(splitLabelLine('Invoice No.: INV-42')).toEqual({ label: 'Invoice No.', value: 'INV-42' });
    expect(splitLabelLine('  - Ship to :\tAcme Corp ')).toEqual({ label: 'Ship to', value: 'Acme Corp' });
    expect(splitLabelLine('E-MAIL: jane@example.com')).toEqual({ label: 'E-MAIL', value: 'jane@example.com' });
  });

  it('rejects URLs, times, empty values, long labels and sentences', () => {
    expect(splitLabelLine('https://example.com/pay')).toBeUndefined();
    expect(splitLabelLine('10:30 meeting')).toBeUndefined();
    expect(splitLabelLine('Items:')).toBeUndefined();
    expect(splitLabelLine('Here is what we agreed on last week: the price')).toBeUndefined();
    expect(splitLabelLine('Good news: your order is on its way.')).toBeUndefined();
  });

  it('does not take the first line of a wrapped paragraph for a label', () => {
    const text = 'Note: the parcel left our depot today and\nshould arrive within two days.\n\nRef: 42';
    const { labels, body } = classifyLines(text);
    expect(labels).toEqual([{ label: 'Ref', value: '42' }]);
    expect(body).toEqual(['Note: the parcel left our depot today and', 'should arrive within two days.', '']);
  });

  it('keeps a label block followed by a blank line or by another label', () => {
    const { labels } = classifyLines('Order: 1\nDate: 2024-01-01\n\nHello');
    expect(labels.map((l) => l.label)).toEqual(['Order', 'Date']);
  });
});

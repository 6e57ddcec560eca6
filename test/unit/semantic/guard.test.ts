import { describe, expect, it } from 'vitest';
import { defaultGuard, guardFromExtractor, salientDifference, salientFingerprint } from '../../../src/semantic/guard.js';
import { extractSalient, normaliseAmount } from '../../../src/semantic/salient.js';
import { INVOICE, invoiceText } from './fixtures.js';

const base = invoiceText();

/** Explains a failed expectation: which tokens differ. */
function verdict(a: string, b: string): { same: boolean; diff: ReturnType<typeof salientDifference> } {
  return { same: defaultGuard(a, b), diff: salientDifference(a, b) };
}

describe('guard: any different value is a miss', () => {
  const cases: [string, string][] = [
    ['quantity (number)', invoiceText({ quantity: '151' })],
    ['issue date', invoiceText({ date: '2024-03-06' })],
    ['due date (long form)', invoiceText({ due: 'April 5, 2024' })],
    ['amount', invoiceText({ total: '$1,234.51' })],
    ['amount, decimals moved', invoiceText({ total: '$123,450' })],
    ['currency', invoiceText({ total: '€1,234.50' })],
    ['invoice id', invoiceText({ number: 'INV-2024-00043' })],
    ['e-mail address', invoiceText({ email: 'accounts@northwind.example' })],
    ['URL', invoiceText({ url: 'https://pay.example.com/inv/41' })],
    ['contact name', invoiceText({ contact: 'Jane Okoro' })],
    ['company name', invoiceText({ customer: 'Northwind Trading' })],
    ['negation', base.replace('payment is due by', 'payment is not due by')],
    ['contracted negation', base.replace('You can pay online', "You can't pay online")],
    ['label value', base.replace('Bill To: Northwind Foods', 'Bill To: Northwind Foods Ltd')],
    ['value moved to another label', base.replace('Bill To: Northwind Foods', 'Ship To: Northwind Foods')],
    ['name at a sentence start', `${base}\nJane will call you tomorrow.`],
    ['a time', `${base}\nCall us at 10:30.`],
  ];
  it.each(cases)('%s', (_, changed) => {
    expect(verdict(base, changed).same).toBe(false);
  });

  it('catches two values swapped in the running text', () => {
    const a = 'Order: 7\n\nWe ship 2 boxes at $10.00 and 10 boxes at $2.00 today.';
    const b = 'Order: 7\n\nWe ship 10 boxes at $2.00 and 2 boxes at $10.00 today.';
    expect(defaultGuard(a, b)).toBe(false);
  });

  it('tells a different sentence-initial name apart but not a common starter', () => {
    expect(defaultGuard('Jane will call you tomorrow about it.', 'John will call you tomorrow about it.')).toBe(false);
    expect(defaultGuard('Please call us tomorrow.', 'We will call you tomorrow.')).toBe(true);
  });
});

describe('guard: formatting-only differences are the same document', () => {
  const cases: [string, string][] = [
    ['extra spaces and tabs', base.replaceAll(' ', '  ').replaceAll(': ', ':\t')],
    ['trailing spaces and indentation', base.split('\n').map((l) => `  ${l}   `).join('\n')],
    ['CRLF and doubled blank lines', base.replaceAll('\n\n', '\n\n\n').replaceAll('\n', '\r\n')],
    ['paragraph rewrapped', base.replace('units of\nindustrial', 'units\nof industrial').replace('online at\nhttps', 'online\nat https')],
    ['label casing', base.replace('Invoice Number:', 'INVOICE NUMBER:').replace('Bill To:', 'bill to:')],
    ['punctuation around values', base.replace('Bill To: Northwind Foods', 'Bill To : "Northwind Foods".').replace(`Amount Due: ${INVOICE.total}`, 'Amount Due: ($1,234.50)')],
    ['amount formatting', base.replaceAll('$1,234.50', '$1234.5')],
    ['currency code instead of symbol', base.replaceAll('$1,234.50', '1,234.50 USD')],
    ['date punctuation', base.replace('April 4, 2024', 'April 4th 2024')],
    ['long date as ISO', base.replace('April 4, 2024', '2024-04-04')],
    ['label lines reordered', base.replace('Issue Date: 2024-03-05\nBill To: Northwind Foods', 'Bill To: Northwind Foods\nIssue Date: 2024-03-05')],
    ['boilerplate reworded', base.replace('Please include the invoice number with your payment.', 'When paying, please quote the invoice number.')],
    ['salutation comma dropped', base.replace('Dear Jane Okafor, thank you', 'Dear Jane Okafor thank you')],
    ['identical', base],
  ];
  it.each(cases)('%s', (_, changed) => {
    const { same, diff } = verdict(base, changed);
    expect({ same, diff }).toEqual({ same: true, diff: { onlyInA: [], onlyInB: [] } });
  });
});

describe('salient tokens', () => {
  it('normalises the kinds it extracts', () => {
    const { ordered, labels } = extractSalient(
      'Ref: PO#7781\n\nMr. Smith paid EUR 1.234,50 on 5 March 2024 at 9:05 pm; see www.Example.com/x. Mail ANN@example.com, No. 42.',
    );
    expect(labels).toEqual(['l:ref=w:po n:7781']);
    expect(ordered).toEqual([
      'p:mr', 'p:smith', 'm:EUR:1234.5', 'd:2024-3-5', 't:9:05pm', 'u:www.example.com/x', 'p:mail', 'e:ann@example.com', 'p:no', 'n:42',
    ]);
  });

  it('reads amounts in both conventions', () => {
    expect(normaliseAmount('1,234.50')).toBe('1234.5');
    expect(normaliseAmount('1.234,50')).toBe('1234.5');
    expect(normaliseAmount('1234,5')).toBe('1234.5');
    expect(normaliseAmount('1,234')).toBe('1234');
    expect(normaliseAmount('1.234.567')).toBe('1234567');
    expect(normaliseAmount('0010.00')).toBe('10');
  });

  it('fingerprints multisets of label tokens regardless of order, and plain arrays likewise', () => {
    expect(salientFingerprint({ ordered: ['a'], labels: ['x', 'y'] })).toBe(salientFingerprint({ ordered: ['a'], labels: ['y', 'x'] }));
    expect(salientFingerprint({ ordered: ['a', 'b'], labels: [] })).not.toBe(salientFingerprint({ ordered: ['b', 'a'], labels: [] }));
    expect(salientFingerprint(['x', 'y', 'y'])).toBe(salientFingerprint(['y', 'x', 'y']));
    expect(salientFingerprint(['x', 'y'])).not.toBe(salientFingerprint(['x', 'y', 'y']));
  });

  it('lets a pipeline supply its own salient tokens', () => {
    const customerOnly = guardFromExtractor((text) => [/Bill To: (.*)/u.exec(text)?.[1] ?? '']);
    expect(customerOnly(base, invoiceText({ total: '$9.99' }))).toBe(true);
    expect(customerOnly(base, invoiceText({ customer: 'Globex' }))).toBe(false);
  });
});

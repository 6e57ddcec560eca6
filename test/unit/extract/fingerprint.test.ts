import { describe, expect, it } from 'vitest';
import { skeleton, templateFingerprint } from '../../../src/pipeline/extract/fingerprint.js';
import { SUPPORT_EMAIL_ORDER, UK_INVOICE, US_INVOICE } from './fixtures.js';

interface InvoiceValues {
  number: string;
  date: string;
  customer: string;
  contact: string;
  street: string;
  city: string;
  items: readonly (readonly [string, number, string, string])[];
  total: string;
  phone: string;
}

/** One supplier's invoice layout, filled with different values. */
function acmeInvoice(v: InvoiceValues): string {
  const rows = v.items.map(([what, qty, unit, amount]) => `${what.padEnd(30)}${String(qty).padStart(4)}  ${unit.padStart(10)}  ${amount.padStart(10)}`);
  return `Acme Office Supply Inc.
INVOICE
Invoice No.: ${v.number}
Date: ${v.date}
Bill To:
${v.contact}
${v.customer}
${v.street}
${v.city}

Item                           Qty   Unit price      Amount
${rows.join('\n')}

Total: ${v.total}
Thank you for your business. Questions? Call ${v.phone}.
`;
}

const first: InvoiceValues = {
  number: 'INV-2024-0042',
  date: 'March 5, 2024',
  customer: 'Brightside Dental Group',
  contact: 'Jane Cooper',
  street: '88 Elm Street',
  city: 'Springfield, IL 62704',
  items: [
    ['Printer paper, A4', 10, '$4.50', '$45.00'],
    ['Toner cartridge', 2, '$89.00', '$178.00'],
  ],
  total: '$223.00',
  phone: '(510) 555-0147',
};
const second: InvoiceValues = {
  number: 'INV-2025-1187',
  date: 'January 17, 2025',
  customer: 'Granite Peak Engineering',
  contact: 'Marcus Webb',
  street: '1450 Lincoln Road',
  city: 'Salt Lake City, UT 84111',
  items: [
    ['Ergonomic office chair', 4, '$329.00', '$1,316.00'],
    ['Desk lamp', 4, '$39.90', '$159.60'],
    ['Whiteboard markers', 12, '$1.25', '$15.00'],
  ],
  total: '$1,490.60',
  phone: '(801) 555-0133',
};

describe('template fingerprint', () => {
  it('is the same for two invoices of one template with different values and item counts', () => {
    expect(templateFingerprint(acmeInvoice(first))).toBe(templateFingerprint(acmeInvoice(second)));
  });

  it('ignores line endings, blank lines, spacing and the casing of labels', () => {
    const original = acmeInvoice(first);
    const reformatted = original
      .replace('Invoice No.:', 'INVOICE NO.:')
      .replace('Date:', 'date :')
      .replace(/\n\n/g, '\n\n\n')
      .replace(/\n/g, '  \r\n');
    expect(templateFingerprint(reformatted)).toBe(templateFingerprint(original));
  });

  it('masks values, keeps labels and the template prose', () => {
    const lines = skeleton(acmeInvoice(first)).split('\n');
    expect(lines).toContain('invoice no: <v>');
    expect(lines).toContain('<w> <n> <money>');
    expect(lines.at(-1)).toBe('<w> you for your business <w> <phone>');
    expect(skeleton(acmeInvoice(first))).not.toMatch(/jane|cooper|brightside|223|0042/i);
  });

  it('tells templates apart', () => {
    const prints = [acmeInvoice(first), US_INVOICE, UK_INVOICE, SUPPORT_EMAIL_ORDER].map(templateFingerprint);
    expect(new Set(prints).size).toBe(4);
  });

  it('changes when the template adds a field', () => {
    const withField = acmeInvoice(first).replace('Date:', 'PO Number: PO-1\nDate:');
    expect(templateFingerprint(withField)).not.toBe(templateFingerprint(acmeInvoice(first)));
  });

  it('is 16 lower-case hex characters', () => {
    expect(templateFingerprint('')).toMatch(/^[0-9a-f]{16}$/);
  });
});

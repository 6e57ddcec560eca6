import { describe, expect, it } from 'vitest';
import { EU_INVOICE, UK_INVOICE, US_INVOICE } from './fixtures.js';
import { extract } from './helpers.js';

/** Each invoice and the fields extract must read from it (arrays in full; objects in them as far as given). */
const invoices = [
  {
    name: 'a US invoice: dollars, month-first dates, North American phones',
    text: US_INVOICE,
    expected: {
      type: 'invoice',
      emails: ['billing@northwind.example.com'],
      phones: ['+15105550147', '+18005550199'],
      urls: ['https://northwind.example.com/billing'],
      dates: [
        { date: '2024-03-05', text: 'March 5, 2024' },
        { date: '2024-04-04', text: '04/04/2024' },
      ],
      amounts: [
        { amount: 2400, currency: 'USD', text: '$2,400.00' },
        { amount: 150, currency: 'USD', text: '$150.00' },
        { amount: 900, currency: 'USD', text: '$900.00' },
        { amount: 3300, currency: 'USD', text: '$3,300.00' },
        { amount: 272.25, currency: 'USD', text: '$272.25' },
        { amount: 3572.25, currency: 'USD', text: '$3,572.25' },
      ],
      total: { amount: 3572.25, currency: 'USD', text: '$3,572.25' },
      percentages: [{ value: 8.25, text: '8.25%' }],
      ids: [
        { kind: 'invoice', value: 'INV-2024-0042' },
        { kind: 'po', value: 'PO-7781' },
      ],
      labels: [
        { label: 'phone', value: '(510) 555-0147 | billing@northwind.example.com' },
        { label: 'invoice no', value: 'INV-2024-0042' },
        { label: 'invoice date', value: 'March 5, 2024' },
        { label: 'due date', value: '04/04/2024' },
        { label: 'po number', value: 'PO-7781' },
        { label: 'subtotal', value: '$3,300.00' },
        { label: 'total due', value: '$3,572.25' },
        { label: 'payment terms', value: 'Net 30' },
      ],
      // A form without prose is summarised by its heading line and its fields.
      summary:
        'Northwind Traders LLC; Phone: (510) 555-0147 | billing@northwind.example.com; Invoice No.: INV-2024-0042; ' +
        'Invoice Date: March 5, 2024; Due Date: 04/04/2024; PO Number: PO-7781; Subtotal: $3,300.00; ' +
        'Total Due: $3,572.25; Payment terms: Net 30',
      stats: { chars: US_INVOICE.length, words: 55, lines: 29 },
    },
  },
  {
    name: 'a German invoice: decimal commas, euro suffixes, dotted dates, national phone',
    text: EU_INVOICE,
    expected: {
      type: 'invoice',
      emails: ['rechnungen@kessler-vogt.de'],
      // "030 2345 6700" borrows +49 from the document's own international number.
      phones: ['+493023456789', '+493023456700'],
      urls: [],
      dates: [
        { date: '2024-03-05', text: '05.03.2024' },
        { date: '2024-02-28', text: '28.02.2024' },
      ],
      amounts: [
        { amount: 89.5, currency: 'EUR', text: '89,50 €' },
        { amount: 1074, currency: 'EUR', text: '1.074,00 €' },
        { amount: 12, currency: 'EUR', text: '12,00 €' },
        { amount: 144, currency: 'EUR', text: '144,00 €' },
        { amount: 1218, currency: 'EUR', text: '1.218,00 EUR' },
        { amount: 231.42, currency: 'EUR', text: '231,42 EUR' },
        { amount: 1449.42, currency: 'EUR', text: '1.449,42 EUR' },
      ],
      total: { amount: 1449.42, currency: 'EUR', text: '1.449,42 EUR' },
      percentages: [{ value: 19, text: '19 %' }],
      ids: [
        { kind: 'invoice', value: '2024/117' },
        { kind: 'customer', value: 'K-20931' },
        { kind: 'order', value: '552190' },
      ],
      labels: [
        { label: 'invoice number' },
        { label: 'date' },
        { label: 'delivery date' },
        { label: 'customer no' },
        { label: 'your order', value: 'Order #552190' },
        { label: 'net amount' },
        { label: 'total amount' },
        { label: 'iban' },
        { label: 'questions about this invoice' },
      ],
    },
  },
  {
    name: 'a UK invoice: pounds, ordinal written dates, +44 (0) phones',
    text: UK_INVOICE,
    expected: {
      type: 'invoice',
      emails: ['accounts@harwickstudio.co.uk'],
      phones: ['+441614960753'],
      dates: [
        { date: '2024-03-05', text: '5th March 2024' },
        { date: '2024-04-04', text: '4 April 2024' },
      ],
      amounts: [
        { amount: 3200, currency: 'GBP' },
        { amount: 1800, currency: 'GBP' },
        { amount: 5000, currency: 'GBP' },
        { amount: 1000, currency: 'GBP' },
        { amount: 6000, currency: 'GBP' },
      ],
      total: { amount: 6000, currency: 'GBP', text: '£6,000.00' },
      percentages: [
        { value: 20, text: '20%' },
        { value: 2.5, text: '2.5%' },
      ],
      // The sort code (20-00-00) and account number are neither phones nor ids.
      ids: [
        { kind: 'invoice', value: '10423' },
        { kind: 'po', value: '4500012345' },
      ],
    },
  },
];

describe('extract on invoices', () => {
  it.each(invoices)('reads $name', ({ text, expected }) => {
    expect(extract(text)).toMatchObject(expected);
  });

  it('ranks a US invoice’s keywords and fingerprints it', () => {
    const a = extract(US_INVOICE);
    expect(a.keywords.slice(0, 4)).toEqual(['invoice', 'date', 'due', 'amount']);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reads labels among the UK invoice’s other lines', () => {
    const a = extract(UK_INVOICE);
    expect(a.labels).toContainEqual({ label: 'client', value: 'Marlow & Finch Architects' });
    expect(a.labels).toContainEqual({ label: 'invoice #', value: '10423' });
  });

  it('gives three invoices from three suppliers three different fingerprints', () => {
    const prints = new Set(invoices.map(({ text }) => extract(text).fingerprint));
    expect(prints.size).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { EU_INVOICE, UK_INVOICE, US_INVOICE } from './fixtures.js';
import { extract } from './helpers.js';

describe('extract on invoices', () => {
  it('reads a US invoice: dollars, month-first dates, North American phones', () => {
    const a = extract(US_INVOICE);
    expect(a.type).toBe('invoice');
    expect(a.emails).toEqual(['billing@northwind.example.com']);
    expect(a.phones).toEqual(['+15105550147', '+18005550199']);
    expect(a.urls).toEqual(['https://northwind.example.com/billing']);
    expect(a.dates).toEqual([
      { date: '2024-03-05', text: 'March 5, 2024' },
      { date: '2024-04-04', text: '04/04/2024' },
    ]);
    expect(a.amounts).toEqual([
      { amount: 2400, currency: 'USD', text: '$2,400.00' },
      { amount: 150, currency: 'USD', text: '$150.00' },
      { amount: 900, currency: 'USD', text: '$900.00' },
      { amount: 3300, currency: 'USD', text: '$3,300.00' },
      { amount: 272.25, currency: 'USD', text: '$272.25' },
      { amount: 3572.25, currency: 'USD', text: '$3,572.25' },
    ]);
    expect(a.total).toEqual({ amount: 3572.25, currency: 'USD', text: '$3,572.25' });
    expect(a.percentages).toEqual([{ value: 8.25, text: '8.25%' }]);
    expect(a.ids).toEqual([
      { kind: 'invoice', value: 'INV-2024-0042' },
      { kind: 'po', value: 'PO-7781' },
    ]);
    expect(a.labels).toEqual([
      { label: 'phone', value: '(510) 555-0147 | billing@northwind.example.com' },
      { label: 'invoice no', value: 'INV-2024-0042' },
      { label: 'invoice date', value: 'March 5, 2024' },
      { label: 'due date', value: '04/04/2024' },
      { label: 'po number', value: 'PO-7781' },
      { label: 'subtotal', value: '$3,300.00' },
      { label: 'total due', value: '$3,572.25' },
      { label: 'payment terms', value: 'Net 30' },
    ]);
    expect(a.keywords.slice(0, 4)).toEqual(['invoice', 'date', 'due', 'amount']);
    // A form without prose is summarised by its heading line and its fields.
    expect(a.summary).toBe(
      'Northwind Traders LLC; Phone: (510) 555-0147 | billing@northwind.example.com; Invoice No.: INV-2024-0042; ' +
        'Invoice Date: March 5, 2024; Due Date: 04/04/2024; PO Number: PO-7781; Subtotal: $3,300.00; ' +
        'Total Due: $3,572.25; Payment terms: Net 30',
    );
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(a.stats).toEqual({ chars: US_INVOICE.length, words: 55, lines: 29 });
  });

  it('reads a German invoice: decimal commas, euro suffixes, dotted dates, national phone', () => {
    const a = extract(EU_INVOICE);
    expect(a.type).toBe('invoice');
    expect(a.emails).toEqual(['rechnungen@kessler-vogt.de']);
    // "030 2345 6700" borrows +49 from the document's own international number.
    expect(a.phones).toEqual(['+493023456789', '+493023456700']);
    expect(a.urls).toEqual([]);
    expect(a.dates).toEqual([
      { date: '2024-03-05', text: '05.03.2024' },
      { date: '2024-02-28', text: '28.02.2024' },
    ]);
    expect(a.amounts).toEqual([
      { amount: 89.5, currency: 'EUR', text: '89,50 €' },
      { amount: 1074, currency: 'EUR', text: '1.074,00 €' },
      { amount: 12, currency: 'EUR', text: '12,00 €' },
      { amount: 144, currency: 'EUR', text: '144,00 €' },
      { amount: 1218, currency: 'EUR', text: '1.218,00 EUR' },
      { amount: 231.42, currency: 'EUR', text: '231,42 EUR' },
      { amount: 1449.42, currency: 'EUR', text: '1.449,42 EUR' },
    ]);
    expect(a.total).toEqual({ amount: 1449.42, currency: 'EUR', text: '1.449,42 EUR' });
    expect(a.percentages).toEqual([{ value: 19, text: '19 %' }]);
    expect(a.ids).toEqual([
      { kind: 'invoice', value: '2024/117' },
      { kind: 'customer', value: 'K-20931' },
      { kind: 'order', value: '552190' },
    ]);
    expect(a.labels.map((pair) => pair.label)).toEqual([
      'invoice number',
      'date',
      'delivery date',
      'customer no',
      'your order',
      'net amount',
      'total amount',
      'iban',
      'questions about this invoice',
    ]);
    expect(a.labels[4]).toEqual({ label: 'your order', value: 'Order #552190' });
  });

  it('reads a UK invoice: pounds, ordinal written dates, +44 (0) phones', () => {
    const a = extract(UK_INVOICE);
    expect(a.type).toBe('invoice');
    expect(a.emails).toEqual(['accounts@harwickstudio.co.uk']);
    expect(a.phones).toEqual(['+441614960753']);
    expect(a.dates).toEqual([
      { date: '2024-03-05', text: '5th March 2024' },
      { date: '2024-04-04', text: '4 April 2024' },
    ]);
    expect(a.amounts.map((m) => [m.amount, m.currency])).toEqual([
      [3200, 'GBP'],
      [1800, 'GBP'],
      [5000, 'GBP'],
      [1000, 'GBP'],
      [6000, 'GBP'],
    ]);
    expect(a.total).toEqual({ amount: 6000, currency: 'GBP', text: '£6,000.00' });
    expect(a.percentages).toEqual([
      { value: 20, text: '20%' },
      { value: 2.5, text: '2.5%' },
    ]);
    // The sort code (20-00-00) and account number are neither phones nor ids.
    expect(a.ids).toEqual([
      { kind: 'invoice', value: '10423' },
      { kind: 'po', value: '4500012345' },
    ]);
    expect(a.labels).toContainEqual({ label: 'client', value: 'Marlow & Finch Architects' });
    expect(a.labels).toContainEqual({ label: 'invoice #', value: '10423' });
  });

  it('gives three invoices from three suppliers three different fingerprints', () => {
    const prints = new Set([US_INVOICE, EU_INVOICE, UK_INVOICE].map((text) => extract(text).fingerprint));
    expect(prints.size).toBe(3);
  });
});

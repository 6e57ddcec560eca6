import { describe, expect, it } from 'vitest';
import { extractEmails, extractUrls } from '../../../src/pipeline/extract/contacts.js';
import { extractDates } from '../../../src/pipeline/extract/dates.js';
import { extractIdentifiers } from '../../../src/pipeline/extract/identifiers.js';
import { termCounts, topKeywords } from '../../../src/pipeline/extract/keywords.js';
import { extractLabels } from '../../../src/pipeline/extract/labels.js';
import { extractMoney } from '../../../src/pipeline/extract/money.js';
import { parseLocaleNumber } from '../../../src/pipeline/extract/numbers.js';
import { extractPercentages } from '../../../src/pipeline/extract/percentages.js';
import { extractPhones } from '../../../src/pipeline/extract/phones.js';
import { summarise } from '../../../src/pipeline/extract/summary.js';
import { words } from '../../../src/pipeline/extract/words.js';

const isoOf = (text: string, order?: 'dmy' | 'mdy'): string[] => extractDates(text, order).map((d) => d.date);

describe('dates', () => {
  it('normalises every supported form of 5 March 2024', () => {
    const forms = ['2024-03-05', '05/03/2024', '5.3.2024', 'March 5, 2024', '5 March 2024', 'Mar 5th 2024', 'Mar. 5, 2024', '5th of March, 2024', '05-Mar-2024', '2024/03/05', 'Tuesday, March 5th, 2024'];
    for (const form of forms) expect(extractDates(`Due ${form}.`), form).toEqual([{ date: '2024-03-05', text: form.replace(/^Tuesday, /, '') }]);
  });

  it('reads dotted dates day first, always', () => {
    expect(isoOf('Lieferung 3.5.2024', 'mdy')).toEqual(['2024-05-03']);
  });

  it('reads ambiguous slashed dates as the document shows, else as the fallback says', () => {
    expect(isoOf('from 04/03/2024 to 25/03/2024', 'mdy')).toEqual(['2024-03-04', '2024-03-25']);
    expect(isoOf('from 04/03/2024 to 03/25/2024', 'dmy')).toEqual(['2024-04-03', '2024-03-25']);
    expect(isoOf('on 04/03/2024', 'dmy')).toEqual(['2024-03-04']);
    expect(isoOf('on 04/03/2024', 'mdy')).toEqual(['2024-04-03']);
  });

  it('pivots two-digit years at 70 and skips impossible dates', () => {
    expect(isoOf('05.03.24 and 05.03.85')).toEqual(['2024-03-05', '1985-03-05']);
    expect(isoOf('31/02/2024, 2023-02-29, 2024-13-01, 29.02.2024')).toEqual(['2024-02-29']);
  });

  it('keeps each date once, first spelling', () => {
    expect(extractDates('March 5, 2024 … 2024-03-05 … 5 Mar 2024')).toEqual([{ date: '2024-03-05', text: 'March 5, 2024' }]);
  });

  it('leaves versions, times and amounts alone', () => {
    expect(isoOf('v1.2.3 at 10:30, 1.234,56 EUR, 192.168.1.1, May I help?')).toEqual([]);
  });
});

describe('money', () => {
  it('reads amounts in the formats of the brief', () => {
    expect(extractMoney('$1,234.50 | EUR 99 | 99,00 € | £12 | 1.234,56 EUR')).toEqual([
      { amount: 1234.5, currency: 'USD', text: '$1,234.50' },
      { amount: 99, currency: 'EUR', text: 'EUR 99' },
      { amount: 12, currency: 'GBP', text: '£12' },
      { amount: 1234.56, currency: 'EUR', text: '1.234,56 EUR' },
    ]);
  });

  it('reads other symbols and codes, with or without a space', () => {
    expect(extractMoney('€ 5, US$20, C$15.75, ¥1200, CHF 1\'250.00, 300USD').map((m) => [m.amount, m.currency])).toEqual([
      [5, 'EUR'],
      [20, 'USD'],
      [15.75, 'CAD'],
      [1200, 'JPY'],
      [1250, 'CHF'],
      [300, 'USD'],
    ]);
  });

  it('needs a currency next to the number', () => {
    expect(extractMoney('Qty 1,234.50 units, 42 items, FY2024 EUR figures, EURO 5')).toEqual([]);
  });

  it('parses both decimal conventions', () => {
    expect([parseLocaleNumber('1,234.50'), parseLocaleNumber('1.234,56'), parseLocaleNumber('99,00'), parseLocaleNumber('1,234')]).toEqual([1234.5, 1234.56, 99, 1234]);
    expect([parseLocaleNumber('7,5'), parseLocaleNumber("1'250.00"), parseLocaleNumber('1.234.567'), parseLocaleNumber('.')]).toEqual([7.5, 1250, 1234567, undefined]);
  });
});

describe('percentages', () => {
  it('reads symbol and word forms, decimal comma included', () => {
    expect(extractPercentages('VAT 19 %, rate 7,5%, margin 12.25 percent, 20% again')).toEqual([
      { value: 19, text: '19 %' },
      { value: 7.5, text: '7,5%' },
      { value: 12.25, text: '12.25 percent' },
      { value: 20, text: '20%' },
    ]);
  });
});

describe('phones', () => {
  it('normalises international and North American formats', () => {
    const text = 'Call +44 20 7946 0958, +1 (415) 555-0132, 0049 30 12345678, 415.555.0176 or (212) 555-0199; fax +33 1 42 68 53 00.';
    expect(extractPhones(text, [])).toEqual(['+442079460958', '+14155550132', '+493012345678', '+14155550176', '+12125550199', '+33142685300']);
  });

  it('drops the (0) trunk prefix after a country code', () => {
    expect(extractPhones('T: +44 (0)20 7946 0958', [])).toEqual(['+442079460958']);
  });

  it('gives national numbers the country of the document, or leaves them national', () => {
    expect(extractPhones('Hotline 030 1234 5678, HQ +49 89 1234567', [])).toEqual(['+493012345678', '+49891234567']);
    expect(extractPhones('Hotline 020 7946 0958', ['ops@example.co.uk'])).toEqual(['+442079460958']);
    expect(extractPhones('Hotline 020 7946 0958', [])).toEqual(['02079460958']);
  });

  it('does not mistake dates, amounts, ids, times or account numbers for phones', () => {
    const text = 'Date 05.03.2024 10:30, 2024-03-05, $1,234.50, Order #1234567890, INV-2024-0042, postcode 62704, IBAN DE89 3704 0044 0532 0130 00, sort code 20-00-00';
    expect(extractPhones(text, [])).toEqual([]);
  });
});

describe('e-mails and URLs', () => {
  it('lower-cases addresses and trims URL punctuation', () => {
    expect(extractEmails('Write to Jane.Doe+billing@Example.CO.UK or jane.doe+billing@example.co.uk.')).toEqual(['jane.doe+billing@example.co.uk']);
    expect(extractUrls('See https://example.com/a?b=1. Or (https://en.wikipedia.org/wiki/Foo_(bar)), www.acme.io!')).toEqual([
      'https://example.com/a?b=1',
      'https://en.wikipedia.org/wiki/Foo_(bar)',
      'www.acme.io',
    ]);
  });
});

describe('ids', () => {
  it('reads the examples of the brief and their usual variants', () => {
    const text = 'Invoice No. INV-2024-0042\nOrder #123456\nTicket: SUP-881\nP.O. Number: PO-7781\nPO 4500012345\nOur ref: AB/2024/17\nCase #00981\nCustomer ID: C-1001\nContract No.: MSA-2024-017';
    expect(extractIdentifiers(text)).toEqual([
      { kind: 'invoice', value: 'INV-2024-0042' },
      { kind: 'order', value: '123456' },
      { kind: 'ticket', value: 'SUP-881' },
      { kind: 'po', value: 'PO-7781' },
      { kind: 'po', value: '4500012345' },
      { kind: 'reference', value: 'AB/2024/17' },
      { kind: 'ticket', value: '00981' },
      { kind: 'customer', value: 'C-1001' },
      { kind: 'contract', value: 'MSA-2024-017' },
    ]);
  });

  it('finds bare prefixed ids', () => {
    expect(extractIdentifiers('Re: INV-2024-0042 and ORD-77812.')).toEqual([
      { kind: 'invoice', value: 'INV-2024-0042' },
      { kind: 'order', value: 'ORD-77812' },
    ]);
  });

  it('ignores words, dates, small counts and addresses after an id keyword', () => {
    const text = 'Invoice date: 2024-03-05\nInvoice 05/03/2024\nPlease order 12 chairs.\nIn case 2024 ends\nP.O. Box 1234\nQuestions about this invoice: 030 2345 6700';
    expect(extractIdentifiers(text)).toEqual([]);
  });
});

describe('labels', () => {
  it('reads Label: value lines in order, normalising labels', () => {
    const text = 'INVOICE NO.: INV-1\n  P.O. Number :  PO-7781\n- Action: Jane to call   back\n> From: a@b.io\nTime: 10:30\nBill To:\nhttps://example.com\nMeeting at 10:30 sharp\nThis line is much too long to be a label: really';
    expect(extractLabels(text)).toEqual([
      { label: 'invoice no', value: 'INV-1' },
      { label: 'po number', value: 'PO-7781' },
      { label: 'action', value: 'Jane to call back' },
      { label: 'from', value: 'a@b.io' },
      { label: 'time', value: '10:30' },
    ]);
  });
});

describe('keywords and summary', () => {
  it('ranks by frequency and breaks ties alphabetically, without stop words', () => {
    const counts = termCounts(words('The router and the modem. The modem, the router, the cable! Zebra apple zebra apple.'));
    expect(topKeywords(counts, 4)).toEqual(['apple', 'modem', 'router', 'zebra']);
  });

  it('bounds the summary length', () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} talks about the warehouse robots at length.`).join(' ');
    const summary = summarise(text, termCounts(words(text)));
    expect(summary.length).toBeLessThanOrEqual(300);
    expect(summary.startsWith('Sentence number 0 talks')).toBe(true);
  });

  it('clips a single over-long sentence at a word with an ellipsis', () => {
    const text = `${'word '.repeat(100)}end.`;
    const summary = summarise(text, termCounts(words(text)));
    expect(summary.length).toBeLessThanOrEqual(300);
    expect(summary.endsWith('word…')).toBe(true);
  });
});

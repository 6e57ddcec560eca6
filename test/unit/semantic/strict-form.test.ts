import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/time.js';
import { configSchema } from '../../../src/config/schema.js';
import {
  resolveSemanticSettings,
  SemanticIndex,
  SemanticLookup,
  SemanticSigner,
  strictForm,
  strictParagraphs,
} from '../../../src/semantic/index.js';

const LETTER = [
  'Dear Ms. Alvarez,',
  '',
  "Your biopsy result from 12 March is negative for malignant cells. Take two 400 mg capsules daily; they can't be taken with",
  'alcohol. The consultation fee of €120.50 (2% surcharge included) is non-refundable.',
  '',
  'Kind regards, Dr. Hugo Brandt - Clinic "Nordlicht"',
].join('\n');

const sameForm = (a: string, b: string) => strictForm(strictParagraphs(a)).content === strictForm(strictParagraphs(b)).content;

describe('strict canonical form: formatting is removed', () => {
  const formatting: [string, (text: string) => string][] = [
    ['whitespace runs', (t) => t.replaceAll(' ', '   ').replaceAll('\n', ' \t\n')],
    ['CRLF line breaks', (t) => t.replaceAll('\n', '\r\n')],
    ['CR line breaks', (t) => t.replaceAll('\n', '\r')],
    ['re-wrapped lines', (t) => t.replace('cells. Take', 'cells.\nTake').replace("can't be taken with\nalcohol", "can't be taken with alcohol")],
    ['upper case', (t) => t.toUpperCase()],
    ['lower case', (t) => t.toLowerCase()],
    ['heading case', (t) => t.replace(/\b\p{Ll}/gu, (c) => c.toUpperCase())],
    ['curly quotes', (t) => t.replace('"Nordlicht"', '“Nordlicht”').replace("can't", 'can’t')],
    ['dash variants', (t) => t.replace(' - ', ' — ')],
    ['NBSP', (t) => t.replaceAll(' ', '\u00A0')],
    ['zero-width characters', (t) => t.replace('biopsy', 'bi\u200Bopsy').replace('daily', 'dai\u200Dly')],
    ['soft hyphen', (t) => t.replace('consultation', 'consul\u00ADtation')],
    ['BOM', (t) => `\uFEFF${t}`],
    ['compatibility forms', (t) => t.replace('fee', 'ﬀee'.replace('ﬀ', 'f')).replace('Take', 'Ｔａｋｅ')],
    ['sentence punctuation', (t) => t.replace('Dear Ms. Alvarez,', 'Dear Ms Alvarez').replace('daily;', 'daily,').replace('non-refundable.', 'non-refundable!')],
    ['quoted reply', (t) => t.split('\n').map((line) => (line === '' ? '>' : `> ${line}`)).join('\n')],
    ['nested quoted reply', (t) => t.split('\n').map((line) => `> > ${line}`).join('\n')],
    ['extra blank lines', (t) => t.replaceAll('\n\n', '\n\n\n\n')],
  ];
  for (const [name, change] of formatting) {
    it(`equal after ${name}`, () => {
      const variant = change(LETTER);
      expect(variant).not.toBe(LETTER);
      expect(sameForm(LETTER, variant)).toBe(true);
    });
  }

  it('keeps the order of paragraphs apart from their content', () => {
    const [first, second, third] = LETTER.split('\n\n');
    const swapped = [second, first, third].join('\n\n');
    const a = strictForm(strictParagraphs(LETTER));
    const b = strictForm(strictParagraphs(swapped));
    expect(b.content).toBe(a.content);
    expect(b.order).not.toBe(a.order);
  });
});

describe('strict canonical form: never formatting', () => {
  const changes: [string, string, string][] = [
    ['a word', 'negative for', 'positive for'],
    ['a negation by affix', 'non-refundable', 'refundable'],
    ['a hyphen in a word', 'non-refundable', 'non refundable'],
    ['a contraction', "can't", 'can'],
    ['a digit', '12 March', '13 March'],
    ['a number in words', 'Take two', 'Take four'],
    ['a unit', '400 mg', '400 g'],
    ['the percent sign', '(2% surcharge', '(2 surcharge'],
    ['the currency symbol', '€120.50', '$120.50'],
    ['a currency symbol dropped', '€120.50', '120.50'],
    ['a decimal separator', '€120.50', '€12050'],
    ['a decimal separator replaced', '€120.50', '€120,50'],
    ['a minus sign', '€120.50', '−€120.50'],
    ['a plus sign', '2% surcharge', '+2% surcharge'],
    ['a scale word', '€120.50', '€120.50 million'],
    ['a time', '12 March', '12:30 March'],
    ['brackets (accounting negatives)', '€120.50 (2%', '€120.50 2%'],
    ['a name', 'Hugo Brandt', 'Hugo Brand'],
    ['a question mark', 'non-refundable.', 'non-refundable?'],
    ['roles swapped', 'Dear Ms. Alvarez', 'Dear Dr. Brandt'],
  ];
  for (const [name, from, to] of changes) {
    it(`differs after changing ${name}`, () => {
      const variant = LETTER.replace(from, to);
      expect(variant).not.toBe(LETTER);
      expect(sameForm(LETTER, variant)).toBe(false);
    });
  }

  it('differs when a sentence is appended or a paragraph removed or repeated', () => {
    expect(sameForm(LETTER, `${LETTER}\nThis offer is void.`)).toBe(false);
    expect(sameForm(LETTER, LETTER.split('\n\n').slice(1).join('\n\n'))).toBe(false);
    expect(sameForm(LETTER, `${LETTER}\n\n${LETTER.split('\n\n')[2]}`)).toBe(false);
  });

  it('differs when two paragraphs are merged into one', () => {
    expect(sameForm(LETTER, LETTER.replace('\n\nKind regards', '\nKind regards'))).toBe(false);
  });

  it('leaves a leading ">" alone unless every line is quoted', () => {
    const text = 'Dosage for adults over 60 kg:\n> 2 capsules a day\nwith water';
    expect(sameForm(text, text.replace('> 2', '2'))).toBe(false);
  });
});

describe('strict mode lookups', () => {
  const strict = resolveSemanticSettings({ ...configSchema.parse({}).semantic });
  const scope = { pipeline: 'extract', version: '1' };

  function lookup(): SemanticLookup {
    return new SemanticLookup({ l1: new SemanticIndex({ signer: new SemanticSigner(strict), clock: new ManualClock(0) }), l1TtlCapMs: 600_000, clock: new ManualClock(0) });
  }

  it('is the default mode', () => {
    expect(strict.mode).toBe('strict');
  });

  it('serves formatting and paragraph-order variants, saying which, and nothing else', async () => {
    const index = lookup();
    await index.remember(index.prepare(LETTER), scope, { key: 'k', docId: 'doc-1', ttlMs: 60_000 });
    expect(await index.find(index.prepare(LETTER.toUpperCase()), scope)).toMatchObject({ key: 'k', docId: 'doc-1', difference: 'formatting', score: 1 });
    const [first, second, third] = LETTER.split('\n\n');
    const swapped = await index.find(index.prepare([third, first, second].join('\n\n')), scope);
    expect(swapped).toMatchObject({ key: 'k', difference: 'paragraph-order' });
    expect(swapped?.score).toBeLessThan(1);
    expect(await index.find(index.prepare(LETTER.replace('400 mg', '400 g')), scope)).toBeUndefined();
    expect(await index.find(index.prepare(LETTER), { ...scope, scope: 'tenant-b' })).toBeUndefined();
  });

  it('ignores the threshold: a paragraph-order variant of a text of short paragraphs is still served', async () => {
    // Two-word paragraphs: every 3-word shingle spans a paragraph break, so reordering changes most of them.
    const text = ['alpha red', 'bravo blue', 'charlie green', 'delta amber', 'echo violet', 'foxtrot grey'].join('\n\n');
    const shuffled = text.split('\n\n').reverse().join('\n\n');
    const index = lookup();
    await index.remember(index.prepare(text), scope, { key: 'k', docId: 'doc-1', ttlMs: 60_000 });
    const hit = await index.find(index.prepare(shuffled), scope);
    expect(hit).toMatchObject({ difference: 'paragraph-order' });
    expect(hit?.score).toBeLessThan(strict.threshold);
  });
});

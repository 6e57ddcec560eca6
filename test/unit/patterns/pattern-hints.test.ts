import { describe, expect, it } from 'vitest';
import { extractDocument, extractPipeline } from '../../../src/pipeline/extract/index.js';
import { applyPatternHints, observeTemplate, withPatternHints } from '../../../src/pipeline/extract/pattern-hints.js';
import type { Document, PatternHint, PatternLookup } from '../../../src/pipeline/types.js';
import { invoiceText, portalText, shippingText } from './templates.js';

const signal = () => new AbortController().signal;
const lookupOf = (hints: readonly PatternHint[]): PatternLookup => ({
  get: async (fingerprint) => hints.find((hint) => hint.fingerprint === fingerprint),
});

function hintFor(text: string, overrides: Partial<PatternHint> = {}): PatternHint {
  const fingerprint = extractDocument({ id: 'x', text }).fingerprint;
  return { fingerprint, documents: 12, type: null, labels: [], fields: [], labelFields: {}, ...overrides };
}

const invoiceHint = hintFor(invoiceText(0), {
  type: 'invoice',
  labels: ['invoice no', 'customer', 'issue date', 'contact', 'amount due'],
  fields: ['emails', 'dates', 'amounts', 'total', 'ids.invoice'],
  labelFields: { 'amount due': 'total', contact: 'emails', 'invoice no': 'ids.invoice', 'issue date': 'dates' },
});
const portalHint = hintFor(portalText(0), { type: 'support_ticket', fields: ['ids.reference'], labelFields: { reference: 'ids.reference' } });

describe('extract with pattern hints', () => {
  it('without a lookup runs synchronously and says pattern: null, every other field as before', () => {
    const doc = { id: 'a', text: invoiceText(3) };
    const artifact = extractPipeline.run(doc, { signal: signal() });
    expect(artifact).not.toBeInstanceOf(Promise);
    expect(artifact).toEqual({ ...extractDocument(doc), pattern: null });
    expect(Object.keys(artifact).at(-1)).toBe('pattern');
  });

  it('says which pattern it used, and fills nothing the rules already found', async () => {
    const doc = { id: 'a', text: invoiceText(4) };
    const artifact = await extractPipeline.run(doc, { signal: signal(), patterns: lookupOf([invoiceHint]) });
    expect(artifact).toEqual({ ...extractDocument(doc), pattern: { fingerprint: invoiceHint.fingerprint, documents: 12, filled: [] } });
  });

  it('classifies a document the rules call `other` with the template type', async () => {
    const doc = { id: 'quiet', text: portalText(7, { quiet: true }) };
    expect(extractDocument(doc).type).toBe('other');
    const artifact = await extractPipeline.run(doc, { signal: signal(), patterns: lookupOf([portalHint]) });
    expect(artifact).toMatchObject({ type: 'support_ticket', pattern: { fingerprint: portalHint.fingerprint, filled: ['type'] } });
  });

  it('never overrides a type the input gave or the rules found', async () => {
    const given = await extractPipeline.run(
      { id: 'g', text: portalText(7, { quiet: true }), type: 'callback' },
      { signal: signal(), patterns: lookupOf([portalHint]) },
    );
    expect(given).toMatchObject({ type: 'callback', pattern: { filled: [] } });
    const wrongType = { ...invoiceHint, type: 'contract' };
    const found = await extractPipeline.run({ id: 'i', text: invoiceText(2) }, { signal: signal(), patterns: lookupOf([wrongType]) });
    expect(found).toMatchObject({ type: 'invoice', pattern: { filled: [] } });
  });

  it('never classifies with a type outside the built-in kinds', () => {
    const doc = { id: 'quiet', text: portalText(7, { quiet: true }) };
    const artifact = applyPatternHints(doc, extractDocument(doc), { ...portalHint, type: 'hr_record' });
    expect(artifact).toMatchObject({ type: 'other', pattern: { filled: [] } });
  });

  it('fills the total of a forwarded invoice from the label the template carries it in', async () => {
    const doc = { id: 'fwd', text: invoiceText(9, { forwarded: true }) };
    const plain = extractDocument(doc);
    expect(plain.fingerprint).toBe(invoiceHint.fingerprint);
    expect(plain.total).toBeNull();
    const artifact = await extractPipeline.run(doc, { signal: signal(), patterns: lookupOf([invoiceHint]) });
    expect(artifact).toMatchObject({ total: { amount: 187.5, currency: 'USD', text: '$187.50' }, pattern: { filled: ['total'] } });
  });

  it('fills an id of the kind the template carries from the label value, never a date', () => {
    // "Account" is no id keyword: the rules find no customer number in it, the template knows it holds one.
    const hint = { ...invoiceHint, labelFields: { ...invoiceHint.labelFields, account: 'ids.customer' }, fields: [...invoiceHint.fields, 'ids.customer'] };
    const withCustomerNo = (value: string) => {
      const doc: Document = { id: 'c', text: invoiceText(1).replace(/^(Customer: .*)$/m, `$1\nAccount: ${value}`) };
      expect(extractDocument(doc).ids.map((id) => id.kind)).toEqual(['invoice']);
      return applyPatternHints(doc, extractDocument(doc), hint);
    };
    expect(withCustomerNo('#K-20931 (key account)')).toMatchObject({ pattern: { filled: ['ids.customer'] } });
    expect(withCustomerNo('#K-20931 (key account)').ids).toContainEqual({ kind: 'customer', value: 'K-20931' });
    expect(withCustomerNo('2026-05-04')).toMatchObject({ pattern: { filled: [] } });
    expect(withCustomerNo('Acme GmbH')).toMatchObject({ pattern: { filled: [] } });
  });

  it('fills only fields the template usually carries', () => {
    const doc = { id: 'fwd', text: invoiceText(9, { forwarded: true }) };
    const artifact = applyPatternHints(doc, extractDocument(doc), { ...invoiceHint, fields: invoiceHint.fields.filter((f) => f !== 'total') });
    expect(artifact).toMatchObject({ total: null, pattern: { filled: [] } });
  });

  it('treats a failing, garbage or mismatched lookup as no pattern', async () => {
    const doc = { id: 'fwd', text: invoiceText(9, { forwarded: true }) };
    const expected = { ...extractDocument(doc), pattern: null };
    const lookups: PatternLookup[] = [
      { get: async () => undefined },
      { get: async () => Promise.reject(new Error('cache down')) },
      {
        get: () => {
          throw new Error('sync throw');
        },
      },
      { get: async () => ({ ...invoiceHint, fingerprint: 'ffffffffffffffff' }) },
      { get: async () => ({ ...invoiceHint, documents: -1 }) },
      { get: async () => ({ ...invoiceHint, labelFields: null }) as unknown as PatternHint },
      { get: async () => 'pattern' as unknown as PatternHint },
    ];
    for (const patterns of lookups) expect(await extractPipeline.run(doc, { signal: signal(), patterns })).toEqual(expected);
  });

  it('gives up when the job is aborted while the pattern is looked up', async () => {
    const controller = new AbortController();
    const patterns: PatternLookup = {
      get: async () => {
        controller.abort(new Error('job timed out'));
        return invoiceHint;
      },
    };
    await expect(extractPipeline.run({ id: 'a', text: invoiceText(1) }, { signal: controller.signal, patterns })).rejects.toThrow('job timed out');
  });

  it('is monotone: an artifact made with a pattern holds every value of the one made without', async () => {
    const docs = [invoiceText(1), invoiceText(2, { forwarded: true }), portalText(3), portalText(4, { quiet: true }), shippingText(5)];
    for (const text of docs) {
      const doc = { id: 'm', text };
      const plain = extractDocument(doc);
      const hinted = await withPatternHints(doc, plain, { signal: signal(), patterns: lookupOf([invoiceHint, portalHint]) });
      for (const [key, value] of Object.entries(plain)) {
        if (key === 'ids') expect(hinted.ids.slice(0, plain.ids.length)).toEqual(value);
        else if (value === null || value === 'other') continue; // the only values a hint may replace
        else expect(hinted[key as keyof typeof hinted]).toEqual(value);
      }
    }
  });
});

describe('observeTemplate', () => {
  it('reads labels, non-empty fields and the field each label feeds', () => {
    expect(observeTemplate(extractDocument({ id: 'i', text: invoiceText(0) }))).toEqual({
      fingerprint: invoiceHint.fingerprint,
      type: 'invoice',
      labels: ['invoice no', 'customer', 'issue date', 'contact', 'amount due'],
      fields: ['emails', 'dates', 'amounts', 'total', 'ids.invoice'],
      labelFields: [
        ['invoice no', 'ids.invoice'],
        ['issue date', 'dates'],
        ['contact', 'emails'],
        ['amount due', 'total'],
      ],
    });
  });

  it('takes out what a pattern filled, so learning never feeds on its own hints', async () => {
    for (const text of [invoiceText(9, { forwarded: true }), portalText(2, { quiet: true })]) {
      const doc = { id: 'h', text };
      const plain = extractDocument(doc);
      const hinted = await withPatternHints(doc, plain, { signal: signal(), patterns: lookupOf([invoiceHint, portalHint]) });
      expect(hinted.pattern?.filled).toHaveLength(1);
      expect(observeTemplate(hinted)).toEqual(observeTemplate(plain));
    }
  });

  it('is what extract hands the learner as its pattern hook, with the artifact’s fingerprint', () => {
    const artifact = extractDocument({ id: 'i', text: invoiceText(0) });
    expect(extractPipeline.patterns?.observe(artifact)).toEqual(observeTemplate(artifact));
    expect(extractPipeline.patterns?.fingerprint(artifact)).toBe(invoiceHint.fingerprint);
    expect(extractPipeline.patterns?.fingerprint({ fingerprint: 'a:b' })).toBeUndefined();
    expect(extractPipeline.patterns?.fingerprint({})).toBeUndefined();
  });

  it('does not learn custom input types, and skips artifacts without a usable fingerprint', () => {
    expect(observeTemplate(extractDocument({ id: 't', text: invoiceText(0), type: 'hr_record' }))?.type).toBeUndefined();
    expect(observeTemplate({ fingerprint: 42 })).toBeUndefined();
    expect(observeTemplate({ fingerprint: 'a:b' })).toBeUndefined();
    expect(observeTemplate({ fingerprint: 'abc', labels: 'nope', ids: [null, 3], total: 'x' })).toEqual({
      fingerprint: 'abc',
      type: undefined,
      labels: [],
      fields: [],
      labelFields: [],
    });
  });
});

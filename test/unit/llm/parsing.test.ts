import { describe, expect, it } from 'vitest';
import { parseReply, parseRetryAfter } from '../../../src/llm/index.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('reads delay-seconds, fractions included', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP date, a past one meaning no wait', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:07 GMT', now)).toBe(7_000);
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const value of [null, undefined, '', 'soon', '-1', '1e3', '12:00']) expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('parseReply', () => {
  it('normalises a valid reply: camelCase keys, every key present, scalar field values as strings', () => {
    const parsed = parseReply(
      JSON.stringify({ document_type: ' invoice ', fields: { total: 12.5, paid: false, note: null, po: 'PO-1' }, extra: 'dropped' }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: { documentType: 'invoice', summary: null, entities: [], fields: { total: '12.5', paid: 'false', po: 'PO-1' } },
    });
  });

  it('accepts JSON inside one Markdown code fence', () => {
    expect(parseReply('```json\n{"summary": "A short note."}\n```')).toMatchObject({ ok: true, value: { summary: 'A short note.' } });
  });

  it('says what is wrong with an unusable reply', () => {
    expect(parseReply('Sure! {"summary": "x"')).toEqual({ ok: false, problem: 'the reply is not valid JSON' });
    expect(parseReply('[1, 2]')).toEqual({ ok: false, problem: 'the reply must be one JSON object' });
    expect(parseReply('{}')).toEqual({ ok: false, problem: 'the reply must have at least one of document_type, summary, entities, fields' });
    expect(parseReply('{"summary": 42}')).toMatchObject({ ok: false, problem: expect.stringMatching(/^summary /) });
    expect(parseReply('{"entities": [{"type": "person"}]}')).toMatchObject({ ok: false, problem: expect.stringMatching(/^entities\.0\.value /) });
    expect(parseReply('{"fields": {"a": {"nested": true}}}')).toMatchObject({ ok: false, problem: expect.stringMatching(/^fields\.a /) });
  });
});

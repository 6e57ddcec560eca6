import { describe, expect, it } from 'vitest';
import { SUPPORT_EMAIL_BILLING, SUPPORT_EMAIL_LOGIN, SUPPORT_EMAIL_ORDER } from './fixtures.js';
import { extract } from './helpers.js';

const LUNCH = `From: Sofia Rossi <sofia.rossi@example.org>
To: Team <team@example.org>
Subject: Lunch on Friday

Hi all,

Shall we meet for lunch at the Italian place on Friday? I booked a table for six at 12:30.

Cheers,
Sofia
`;

/** Each e-mail and the fields extract must read from it (arrays in full; objects in them as far as given). */
const emails = [
  {
    name: 'a late-delivery complaint',
    text: SUPPORT_EMAIL_ORDER,
    expected: {
      type: 'support_ticket',
      emails: ['priya.raman@gmail.com', 'support@shopwell.example.com'],
      phones: ['+16465550178'],
      urls: ['https://track.shopwell.example.com/784512'],
      // The header's "09:14:05 +0000" is a time and a zone, not a phone number.
      dates: [
        { date: '2024-03-12', text: '12 Mar 2024' },
        { date: '2024-03-01', text: 'March 1, 2024' },
      ],
      amounts: [
        { amount: 149.99, currency: 'USD', text: '$149.99' },
        { amount: 24.99, currency: 'USD', text: '$24.99' },
      ],
      total: null,
      ids: [{ kind: 'order', value: '784512' }],
      labels: [
        { label: 'from', value: 'Priya Raman <priya.raman@gmail.com>' },
        { label: 'to', value: 'support@shopwell.example.com' },
        { label: 'subject', value: 'Order #784512 still not delivered' },
        { label: 'date', value: 'Tue, 12 Mar 2024 09:14:05 +0000' },
      ],
      summary:
        'I placed order #784512 on March 1, 2024 and paid $149.99 for express delivery, but the parcel still has not arrived. ' +
        'Could you please look into this and either resend the order or refund the express shipping fee of $24.99? ' +
        'You can reach me on +1 (646) 555-0178 during the day.',
    },
  },
  {
    name: 'an agent reply with a ticket id and a national phone number',
    text: SUPPORT_EMAIL_LOGIN,
    expected: {
      type: 'support_ticket',
      emails: ['tom.becker@helpdesk.cloudnote.io', 'a.ruiz@ruiz-partners.co.uk'],
      // No international number in the text: the .co.uk address says which country "0161" is in.
      phones: ['+441614960000'],
      dates: [{ date: '2024-03-07', text: '2024-03-07' }],
      amounts: [],
      ids: [{ kind: 'ticket', value: 'SUP-881' }],
    },
  },
  {
    name: 'a billing dispute quoting an invoice',
    text: SUPPORT_EMAIL_BILLING,
    expected: {
      type: 'support_ticket',
      emails: ['accounts@brightside-dental.example.com', 'billing@northwind.example.com'],
      phones: ['+12175550163'],
      // Dollars and no euros: 03/08/2024 is read month first.
      dates: [
        { date: '2024-03-08', text: '03/08/2024' },
        { date: '2024-03-11', text: '03/11/2024' },
      ],
      amounts: [{ amount: 3572.25, currency: 'USD', text: '$3,572.25' }],
      percentages: [{ value: 100, text: '100%' }],
      ids: [
        { kind: 'invoice', value: 'INV-2024-0042' },
        { kind: 'ticket', value: '00981' },
      ],
      labels: [{ label: 'from' }, { label: 'to' }, { label: 'subject' }, { label: 'tel' }],
      summary:
        'We were charged twice for invoice INV-2024-0042: once on 03/08/2024 and again on 03/11/2024, each time $3,572.25. ' +
        'Please refund the duplicate payment to the card ending 4242. ' +
        'The second charge represents 100% of the invoice amount, so this is not a partial payment.',
    },
  },
  {
    name: 'an e-mail about nothing more specific, as an email',
    text: LUNCH,
    expected: {
      type: 'email',
      summary: 'Shall we meet for lunch at the Italian place on Friday? I booked a table for six at 12:30.',
      phones: [],
    },
  },
];

describe('extract on support e-mails', () => {
  it.each(emails)('reads $name', ({ text, expected }) => {
    expect(extract(text)).toMatchObject(expected);
  });

  it('ranks the complaint’s keywords', () => {
    expect(extract(SUPPORT_EMAIL_ORDER).keywords.slice(0, 2)).toEqual(['order', 'express']);
  });

  it('leaves greeting and sign-off out of the reply’s summary; its first sentence is always in', () => {
    const a = extract(SUPPORT_EMAIL_LOGIN);
    expect(a.labels[2]).toEqual({ label: 'subject', value: 'Re: [Ticket: SUP-881] Cannot log in after password reset' });
    expect(a.summary.startsWith('Thanks for the screenshots. The login error you see ("Invalid session token")')).toBe(true);
    expect(a.summary).not.toContain('Hello');
    expect(a.summary).not.toContain('Best regards');
  });
});

import { describe, expect, it } from 'vitest';
import { SUPPORT_EMAIL_BILLING, SUPPORT_EMAIL_LOGIN, SUPPORT_EMAIL_ORDER } from './fixtures.js';
import { extract } from './helpers.js';

describe('extract on support e-mails', () => {
  it('reads a late-delivery complaint', () => {
    const a = extract(SUPPORT_EMAIL_ORDER);
    expect(a.type).toBe('support_ticket');
    expect(a.emails).toEqual(['priya.raman@gmail.com', 'support@shopwell.example.com']);
    expect(a.phones).toEqual(['+16465550178']);
    expect(a.urls).toEqual(['https://track.shopwell.example.com/784512']);
    // The header's "09:14:05 +0000" is a time and a zone, not a phone number.
    expect(a.dates).toEqual([
      { date: '2024-03-12', text: '12 Mar 2024' },
      { date: '2024-03-01', text: 'March 1, 2024' },
    ]);
    expect(a.amounts).toEqual([
      { amount: 149.99, currency: 'USD', text: '$149.99' },
      { amount: 24.99, currency: 'USD', text: '$24.99' },
    ]);
    expect(a.total).toBeNull();
    expect(a.ids).toEqual([{ kind: 'order', value: '784512' }]);
    expect(a.labels).toEqual([
      { label: 'from', value: 'Priya Raman <priya.raman@gmail.com>' },
      { label: 'to', value: 'support@shopwell.example.com' },
      { label: 'subject', value: 'Order #784512 still not delivered' },
      { label: 'date', value: 'Tue, 12 Mar 2024 09:14:05 +0000' },
    ]);
    expect(a.keywords.slice(0, 2)).toEqual(['order', 'express']);
    expect(a.summary).toBe(
      'I placed order #784512 on March 1, 2024 and paid $149.99 for express delivery, but the parcel still has not arrived. ' +
        'Could you please look into this and either resend the order or refund the express shipping fee of $24.99? ' +
        'You can reach me on +1 (646) 555-0178 during the day.',
    );
  });

  it('reads an agent reply with a ticket id and a national phone number', () => {
    const a = extract(SUPPORT_EMAIL_LOGIN);
    expect(a.type).toBe('support_ticket');
    expect(a.emails).toEqual(['tom.becker@helpdesk.cloudnote.io', 'a.ruiz@ruiz-partners.co.uk']);
    // No international number in the text: the .co.uk address says which country "0161" is in.
    expect(a.phones).toEqual(['+441614960000']);
    expect(a.dates).toEqual([{ date: '2024-03-07', text: '2024-03-07' }]);
    expect(a.amounts).toEqual([]);
    expect(a.ids).toEqual([{ kind: 'ticket', value: 'SUP-881' }]);
    expect(a.labels[2]).toEqual({ label: 'subject', value: 'Re: [Ticket: SUP-881] Cannot log in after password reset' });
    // Greeting and sign-off are not summary material; the first sentence always is.
    expect(a.summary.startsWith('Thanks for the screenshots. The login error you see ("Invalid session token")')).toBe(true);
    expect(a.summary).not.toContain('Hello');
    expect(a.summary).not.toContain('Best regards');
  });

  it('reads a billing dispute quoting an invoice', () => {
    const a = extract(SUPPORT_EMAIL_BILLING);
    expect(a.type).toBe('support_ticket');
    expect(a.emails).toEqual(['accounts@brightside-dental.example.com', 'billing@northwind.example.com']);
    expect(a.phones).toEqual(['+12175550163']);
    // Dollars and no euros: 03/08/2024 is read month first.
    expect(a.dates).toEqual([
      { date: '2024-03-08', text: '03/08/2024' },
      { date: '2024-03-11', text: '03/11/2024' },
    ]);
    expect(a.amounts).toEqual([{ amount: 3572.25, currency: 'USD', text: '$3,572.25' }]);
    expect(a.percentages).toEqual([{ value: 100, text: '100%' }]);
    expect(a.ids).toEqual([
      { kind: 'invoice', value: 'INV-2024-0042' },
      { kind: 'ticket', value: '00981' },
    ]);
    expect(a.labels.map((pair) => pair.label)).toEqual(['from', 'to', 'subject', 'tel']);
    expect(a.summary).toBe(
      'We were charged twice for invoice INV-2024-0042: once on 03/08/2024 and again on 03/11/2024, each time $3,572.25. ' +
        'Please refund the duplicate payment to the card ending 4242. ' +
        'The second charge represents 100% of the invoice amount, so this is not a partial payment.',
    );
  });

  it('calls an e-mail about nothing more specific an email', () => {
    const a = extract(`From: Sofia Rossi <sofia.rossi@example.org>
To: Team <team@example.org>
Subject: Lunch on Friday

Hi all,

Shall we meet for lunch at the Italian place on Friday? I booked a table for six at 12:30.

Cheers,
Sofia
`);
    expect(a.type).toBe('email');
    expect(a.summary).toBe('Shall we meet for lunch at the Italian place on Friday? I booked a table for six at 12:30.');
    expect(a.phones).toEqual([]);
  });
});

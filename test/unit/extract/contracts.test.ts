import { describe, expect, it } from 'vitest';
import { NDA_CONTRACT, SERVICES_CONTRACT } from './fixtures.js';
import { extract } from './helpers.js';

describe('extract on contracts', () => {
  it('reads a services agreement', () => {
    const a = extract(SERVICES_CONTRACT);
    expect(a.type).toBe('contract');
    expect(a.emails).toEqual(['legal@alder-analytics.example.com']);
    expect(a.phones).toEqual([]);
    expect(a.dates).toEqual([
      { date: '2024-04-01', text: 'April 1, 2024' },
      { date: '2026-03-31', text: 'March 31, 2026' },
    ]);
    expect(a.amounts).toEqual([{ amount: 18500, currency: 'USD', text: 'USD 18,500' }]);
    // A monthly fee is not an amount due.
    expect(a.total).toBeNull();
    expect(a.percentages).toEqual([{ value: 1.5, text: '1.5%' }]);
    expect(a.ids).toEqual([{ kind: 'contract', value: 'MSA-2024-017' }]);
    expect(a.labels).toEqual([
      { label: 'contract no', value: 'MSA-2024-017' },
      { label: 'notices to provider', value: 'legal@alder-analytics.example.com' },
    ]);
    expect(a.keywords.slice(0, 3)).toEqual(['agreement', 'provider', 'services']);
    expect(a.summary.startsWith('This Master Services Agreement (the "Agreement") is entered into as of April 1, 2024')).toBe(true);
    expect(a.summary.length).toBeLessThanOrEqual(300);
  });

  it('reads a mutual NDA with a euro amount in continental format', () => {
    const a = extract(NDA_CONTRACT);
    expect(a.type).toBe('contract');
    expect(a.emails).toEqual(['legal@fenwick-robotics.co.uk']);
    expect(a.phones).toEqual(['+33142685300']);
    expect(a.dates).toEqual([{ date: '2024-01-15', text: '15 January 2024' }]);
    expect(a.amounts).toEqual([{ amount: 250000, currency: 'EUR', text: 'EUR 250.000,00' }]);
    expect(a.ids).toEqual([]);
    expect(a.labels).toEqual([{ label: 'contact for notices', value: 'legal@fenwick-robotics.co.uk / +33 1 42 68 53 00' }]);
    expect(a.keywords.slice(0, 3)).toEqual(['agreement', 'confidential', 'fenwick']);
    expect(a.summary.startsWith('This Agreement is made on 15 January 2024 between Fenwick Robotics Ltd')).toBe(true);
  });
});

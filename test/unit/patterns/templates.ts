/**
 * Three document templates for the patterns tests, each rendering distinct values from `n`
 * with one fingerprint per template. Two variants share their template's fingerprint but
 * trip the rules: a forwarded (`> `-quoted) invoice, whose "Amount due" line no longer
 * starts the line so the rules find no total, and a portal request whose message carries
 * no support cue, so the rules say `other`.
 */

const names = ['Acme GmbH', 'Globex Ltd', 'Initech LLC', 'Umbrella plc', 'Hooli Inc', 'Vandelay Industries', 'Stark Co', 'Wayne Corp'];

/** An invoice (type `invoice`, an invoice id, a total). */
export function invoiceText(n: number, options: { forwarded?: boolean } = {}): string {
  const lines = [
    'INVOICE',
    `Invoice No.: INV-2026-${String(1000 + n)}`,
    `Customer: ${names[n % names.length]}`,
    `Issue date: 2026-0${(n % 9) + 1}-1${n % 10}`,
    `Contact: billing${n}@example.com`,
    `Amount due: $${(120 + n * 7.5).toFixed(2)}`,
    '',
    'Thank you for your business. Payment is due within thirty days.',
  ];
  return (options.forwarded ? lines.map((line) => (line ? `> ${line}` : '>')) : lines).join('\n');
}

/** A shipping notice (type `other`, a date, no ids). */
export function shippingText(n: number): string {
  return [
    'SHIPPING NOTICE',
    `Shipment: SHP-${77000 + n}`,
    `Carrier: ${['DHL', 'UPS', 'FedEx'][n % 3]}`,
    `Shipped on: 2026-04-${String((n % 27) + 1).padStart(2, '0')}`,
    `Packages: ${(n % 4) + 1}`,
    `Deliver to: ${names[(n + 3) % names.length]}`,
    '',
    'Your parcel is on its way.',
  ].join('\n');
}

const complaints = [
  'My order has not arrived and the tracking page shows an error, please help or refund me.',
  'The blender I received is damaged and broken, I need a replacement or a refund.',
  'I was charged twice for my subscription, please refund the second payment.',
  'I cannot log in, the password reset link is not working, please help.',
];

/** A customer-portal request (type `support_ticket` from its message's cues, a reference id). */
export function portalText(n: number, options: { quiet?: boolean } = {}): string {
  return [
    'Customer portal request',
    `Customer: ${names[(n + 5) % names.length]}`,
    `Reference: REF-${5000 + n}`,
    `Message: ${options.quiet ? 'Please call me back tomorrow morning.' : complaints[n % complaints.length]}`,
    '',
    'Submitted via the customer portal.',
  ].join('\n');
}

export interface TemplateDoc {
  id: string;
  text: string;
}

/** `perTemplate` documents of each template, numbered from `from`, interleaved. */
export function templateBatch(from: number, perTemplate: number): TemplateDoc[] {
  const docs: TemplateDoc[] = [];
  for (let n = from; n < from + perTemplate; n++) {
    docs.push({ id: `inv-${n}`, text: invoiceText(n) }, { id: `shp-${n}`, text: shippingText(n) }, { id: `prt-${n}`, text: portalText(n) });
  }
  return docs;
}

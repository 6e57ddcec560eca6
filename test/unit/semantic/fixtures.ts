/** Values of the fixture invoice; each test changes one to make a hard negative. */
export interface InvoiceValues {
  readonly number: string;
  readonly date: string;
  readonly customer: string;
  readonly contact: string;
  readonly email: string;
  readonly total: string;
  readonly quantity: string;
  readonly due: string;
  readonly url: string;
}

export const INVOICE: InvoiceValues = Object.freeze({
  number: 'INV-2024-00042',
  date: '2024-03-05',
  customer: 'Northwind Foods',
  contact: 'Jane Okafor',
  email: 'billing@northwind.example',
  total: '$1,234.50',
  quantity: '150',
  due: 'April 4, 2024',
  url: 'https://pay.example.com/inv/42',
});

/** A realistic invoice (~120 words): label block, prose with values, closing. */
export function invoiceText(overrides: Partial<InvoiceValues> = {}): string {
  const v = { ...INVOICE, ...overrides };
  return [
    'INVOICE',
    '',
    `Invoice Number: ${v.number}`,
    `Issue Date: ${v.date}`,
    `Bill To: ${v.customer}`,
    `Contact: ${v.email}`,
    `Amount Due: ${v.total}`,
    '',
    `Dear ${v.contact}, thank you for your business. This invoice covers ${v.quantity} units of`,
    'industrial fasteners shipped to your warehouse as agreed in your purchase order.',
    `The amount due is ${v.total} and payment is due by ${v.due}. You can pay online at`,
    `${v.url} or by bank transfer.`,
    '',
    'Please include the invoice number with your payment. Late payments may be subject',
    'to a fee as set out in our terms and conditions of sale.',
    '',
    'Kind regards,',
    'Accounts Receivable',
  ].join('\n');
}

import {
  amountField,
  cityName,
  companyName,
  dateField,
  type FieldSpec,
  idField,
  numberField,
  personName,
} from './fields.js';

/** Field values of one document, by field name. */
export type Values = Readonly<Record<string, string>>;

/** A document before rendering: heading, label lines, paragraphs, closing lines. */
export interface DocModel {
  readonly heading: string;
  readonly labels: readonly (readonly [string, string])[];
  readonly paragraphs: readonly string[];
  readonly closing: readonly string[];
}

/** Sentences the renderer picks: `b(slot)` is the chosen phrasing of a boilerplate slot. */
export interface Sentences {
  readonly b: (slot: number) => string;
  /** The negatable sentence, affirmative or negated. */
  readonly negatable: string;
  /** The flippable sentence, in one of its two meanings. */
  readonly flippable: string;
}

/** A realistic document template. */
export interface Template {
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Boilerplate slots, each with interchangeable phrasings (same meaning, no salient values). */
  readonly boilerplate: readonly (readonly string[])[];
  /** [affirmative, negated]: the guard counts negations, so these must not match. */
  readonly negatable: readonly [string, string];
  /** Two meanings one ordinary word apart: beyond any token guard (reported, not targeted). */
  readonly flippable: readonly [string, string];
  readonly render: (v: Values, s: Sentences) => DocModel;
}

const invoice: Template = {
  name: 'invoice',
  fields: {
    number: idField('invoice'), issued: dateField('iso'), due: dateField('long'), customer: companyName,
    contact: personName, quantity: numberField(2, 400), unit: amountField('$'), total: amountField('$'),
    terms: numberField(10, 90),
  },
  boilerplate: [
    ['Thank you for your business.', 'We appreciate your business.', 'Thank you for choosing us as your supplier.'],
    ['Please include the invoice number with your payment.', 'When paying, please quote the invoice number above.'],
    ['Late payments may be subject to a fee as set out in our terms.', 'A late fee may apply to overdue balances under our terms of sale.'],
    ['If you have any questions about this invoice, reply to this message.', 'Questions about this invoice? Simply reply to this e-mail.'],
  ],
  negatable: ['This invoice has been paid in full.', 'This invoice has not been paid in full.'],
  flippable: ['The goods were accepted on delivery.', 'The goods were rejected on delivery.'],
  render: (v, s) => ({
    heading: 'INVOICE',
    labels: [['Invoice Number', v.number!], ['Issue Date', v.issued!], ['Bill To', v.customer!], ['Attention', v.contact!], ['Amount Due', v.total!]],
    paragraphs: [
      `Dear ${v.contact}, ${s.b(0)} This invoice covers ${v.quantity} units of industrial fasteners at ${v.unit} per unit, shipped to your warehouse as agreed in your purchase order. The amount due is ${v.total} and payment is due by ${v.due}, which is ${v.terms} days after the issue date.`,
      `${s.b(1)} ${s.b(2)} ${s.negatable} ${s.flippable}`,
      s.b(3),
    ],
    closing: ['Kind regards,', 'Accounts Receivable', 'Northwind Trading'],
  }),
};

const supportEmail: Template = {
  name: 'support-email',
  fields: {
    ticket: idField('ticket'), customer: personName, agent: personName, opened: dateField('day-month'),
    order: idField('order'), refund: amountField('EUR'), days: numberField(2, 21),
  },
  boilerplate: [
    ['Thank you for contacting our support team.', 'Thanks for reaching out to customer support.', 'We are grateful that you got in touch with our support team.'],
    ['We are sorry for the inconvenience this has caused.', 'We apologise for any trouble this may have caused you.'],
    ['You can reply to this message at any time to add more information.', 'Feel free to answer this e-mail if you want to share more details.'],
    ['This conversation will be closed automatically if we do not hear back.', 'If we do not hear back, this conversation will be closed automatically.'],
  ],
  negatable: ['The replacement part is in stock.', 'The replacement part is not in stock.'],
  flippable: ['Your warranty claim has been approved.', 'Your warranty claim has been declined.'],
  render: (v, s) => ({
    heading: 'Re: Your support request',
    labels: [['Ticket', v.ticket!], ['Order', v.order!], ['Opened', v.opened!]],
    paragraphs: [
      `Hello ${v.customer},`,
      `${s.b(0)} We have looked into the problem you reported with order ${v.order} on ${v.opened}. ${s.b(1)} ${s.flippable} A refund of ${v.refund} will be issued to your original payment method within ${v.days} business days. ${s.negatable}`,
      `${s.b(2)} ${s.b(3)}`,
    ],
    closing: ['Best regards,', v.agent!, 'Customer Care'],
  }),
};

const contract: Template = {
  name: 'contract',
  fields: {
    agreement: idField('contract'), client: companyName, signatory: personName, start: dateField('long'),
    months: numberField(6, 60), fee: amountField('£'), notice: numberField(15, 120), city: cityName,
  },
  boilerplate: [
    ['This notice confirms the renewal of the agreement referenced below.', 'With this letter we confirm that the agreement below has been renewed.'],
    ['All other terms and conditions of the agreement remain unchanged.', 'The remaining terms and conditions of the agreement stay in force without change.'],
    ['Either party may terminate the agreement by written notice.', 'The agreement may be ended by either party giving notice in writing.'],
    ['Please keep this notice together with your copy of the agreement.', 'We recommend filing this letter with your copy of the agreement.'],
  ],
  negatable: ['The renewal includes the optional maintenance service.', 'The renewal does not include the optional maintenance service.'],
  flippable: ['The fee will increase at each renewal.', 'The fee will decrease at each renewal.'],
  render: (v, s) => ({
    heading: 'SERVICE AGREEMENT RENEWAL',
    labels: [['Agreement', v.agreement!], ['Client', v.client!], ['Effective Date', v.start!], ['Monthly Fee', v.fee!]],
    paragraphs: [
      `${s.b(0)} The agreement between ${v.client} and our company is renewed for a term of ${v.months} months starting on ${v.start}, at a monthly fee of ${v.fee}. ${s.negatable} ${s.flippable}`,
      `${s.b(1)} ${s.b(2)} The notice period is ${v.notice} days. Any dispute shall be settled by the courts of ${v.city}.`,
      s.b(3),
    ],
    closing: ['Signed on behalf of the client,', v.signatory!],
  }),
};

const shipping: Template = {
  name: 'shipping-notice',
  fields: {
    tracking: idField('tracking'), order: idField('order'), recipient: personName, shipped: dateField('dmy'),
    eta: dateField('dmy'), parcels: numberField(1, 12), weight: numberField(1, 90), city: cityName,
    value: amountField('EUR'),
  },
  boilerplate: [
    ['Good news: your order is on its way.', 'Your order has left our warehouse and is on its way to you.'],
    ['You can follow the delivery online with the tracking number below.', 'Use the tracking number below to follow your parcel online.'],
    ['Someone will need to sign for the delivery.', 'A signature will be required when the parcel is delivered.'],
    ['We hope you enjoy your purchase.', 'We hope you are happy with your order.'],
  ],
  negatable: ['The courier will leave the parcel with a neighbour if you are out.', 'The courier will not leave the parcel with a neighbour if you are out.'],
  flippable: ['Customs duties have been prepaid by the sender.', 'Customs duties will be collected from the recipient.'],
  render: (v, s) => ({
    heading: 'Shipping Confirmation',
    labels: [['Order Number', v.order!], ['Tracking Number', v.tracking!], ['Ship Date', v.shipped!], ['Estimated Delivery', v.eta!]],
    paragraphs: [
      `Hi ${v.recipient},`,
      `${s.b(0)} We shipped ${v.parcels} parcels with a total weight of ${v.weight} kg from our depot in ${v.city} on ${v.shipped}. The declared value of the shipment is ${v.value}. ${s.b(1)} ${s.b(2)}`,
      `${s.negatable} ${s.flippable} ${s.b(3)}`,
    ],
    closing: ['Thanks,', 'The Shipping Team'],
  }),
};

const reminder: Template = {
  name: 'payment-reminder',
  fields: {
    invoice: idField('invoice'), customer: personName, company: companyName, due: dateField('iso'),
    balance: amountField('$'), overdue: numberField(3, 120), fee: amountField('$'),
  },
  boilerplate: [
    ['Our records show that the invoice below is still open.', 'According to our records, the invoice below remains unpaid.'],
    ['If you have already paid, please disregard this reminder.', 'Please ignore this reminder if your payment has already been sent.'],
    ['We would appreciate your prompt attention to this matter.', 'Your prompt attention to this matter would be appreciated.'],
    ['Contact our accounts team if you would like to arrange a payment plan.', 'To set up a payment plan, get in touch with our accounts team.'],
  ],
  negatable: ['A late fee has been added to the balance.', 'No late fee has been added to the balance.'],
  flippable: ['Your account remains active while the balance is open.', 'Your account is suspended while the balance is open.'],
  render: (v, s) => ({
    heading: 'Payment Reminder',
    labels: [['Invoice', v.invoice!], ['Customer', v.company!], ['Due Date', v.due!], ['Balance', v.balance!]],
    paragraphs: [
      `Dear ${v.customer},`,
      `${s.b(0)} The balance of ${v.balance} was due on ${v.due} and is now ${v.overdue} days overdue. ${s.negatable} A fee of ${v.fee} applies to payments received after the next statement. ${s.flippable}`,
      `${s.b(1)} ${s.b(2)} ${s.b(3)}`,
    ],
    closing: ['Sincerely,', 'Credit Control', v.company!],
  }),
};

/** All templates of the harness corpus. */
export const TEMPLATES: readonly Template[] = [invoice, supportEmail, contract, shipping, reminder];

/**
 * Writes examples/sample-batch.jsonl, the batch `npm start` processes: 240 documents
 * (invoices from three templates, support e-mails, contracts, meeting notes), 30 exact
 * duplicates and 30 near-duplicates, so a run shows cache hits of both kinds.
 *
 *   npx tsx scripts/make-examples.ts [output-path]
 *
 * Seeded: every run writes the same bytes, so the committed file only changes when this
 * script does. Amounts are computed in integer cents and formatted by hand (not with
 * `toLocaleString`, whose output depends on the ICU data of the running Node).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom as makeRng } from './lib/seeded-random.js';

const SEED = 20_240_305;

interface Doc {
  id: string;
  text: string;
  type?: string;
  meta: Record<string, unknown>;
}

// Seeded, unlike Math.random: the same file on every run and platform.
const rng = makeRng(SEED);
const int = (min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
function shuffle<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// --- people, companies, places -------------------------------------------------------
const FIRST = 'Jane Marcus Priya Tom Alvaro Sofia Liam Hannah Daniel Aisha Chen Olivia Mateo Emma Noah Fatima Lukas Chloe Ethan Amara Jonas Grace Ravi Elena Samuel Mia Oscar Leila Henrik Nora'.split(' ');
const LAST = 'Cooper Webb Raman Becker Ruiz Rossi Murphy Schneider Okafor Tanaka Walsh Novak Lindqvist Haddad Fischer Brennan Kowalski Patel Moreau Jensen Silva Nakamura Hughes Bauer Costa Dubois Larsen Ahmed Keller Olsen'.split(' ');
const person = (): [string, string] => [pick(FIRST), pick(LAST)];
const US_COMPANIES = ['Brightside Dental Group', 'Crestview Logistics', 'Pinecone Analytics', 'Summit Ridge Outfitters', 'Bluewater Marine Supply', 'Redwood Family Clinic', 'Lakeshore Property Management', 'Ironclad Fitness', 'Maple Street Books', 'Granite Peak Engineering'];
const US_STREETS = ['Elm Street', 'Oak Avenue', 'Maple Drive', 'Cedar Lane', 'Lincoln Road', 'Washington Boulevard', 'Lake Street'];
const US_CITIES = [['Springfield', 'IL', '62704'], ['Austin', 'TX', '78701'], ['Denver', 'CO', '80202'], ['Portland', 'OR', '97205'], ['Columbus', 'OH', '43215'], ['Raleigh', 'NC', '27601'], ['Salt Lake City', 'UT', '84111']] as const;
const EU_COMPANIES = ['Müller Maschinenbau AG', 'Brandt Logistik GmbH', 'Hoffmann Elektrotechnik KG', 'Nordlicht Energie GmbH', 'Van Dijk Handelsgroep BV', 'Alpenblick Hotels GmbH', 'Rheinwerk Automation GmbH'];
const EU_PLACES = [['Industriestraße', '70565', 'Stuttgart'], ['Am Hafen', '20457', 'Hamburg'], ['Lindenallee', '50968', 'Köln'], ['Bahnhofstraße', '80335', 'München'], ['Ringstraße', '04109', 'Leipzig']] as const;
const UK_COMPANIES = ['Marlow & Finch Architects', 'Kestrel Events Ltd', 'Thornbury Estates', 'Oakham Brewing Co', 'Penrose Dental Care', 'Ashdown Legal LLP', 'Wren & Bishop Interiors', 'Halden Cycles'];
const PROJECTS = ['Atlas', 'Beacon', 'Cobalt', 'Driftwood', 'Evergreen', 'Falcon', 'Granite', 'Harbor'];

// --- money and dates -------------------------------------------------------------------
function group(units: number, sep: string): string {
  return String(units).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}
const usd = (cents: number): string => `$${group(Math.floor(cents / 100), ',')}.${pad(cents % 100, 2)}`;
const gbp = (cents: number): string => `£${group(Math.floor(cents / 100), ',')}.${pad(cents % 100, 2)}`;
const eur = (cents: number): string => `${group(Math.floor(cents / 100), '.')},${pad(cents % 100, 2)}`;
const MONTHS = 'January February March April May June July August September October November December'.split(' ');
const DAYS = 'Sun Mon Tue Wed Thu Fri Sat'.split(' ');
const randomDate = (): Date => new Date(Date.UTC(2024, 0, 2) + int(0, 300) * 86_400_000);
const plusDays = (d: Date, days: number): Date => new Date(d.getTime() + days * 86_400_000);
const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const usLong = (d: Date): string => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
const usNumeric = (d: Date): string => `${pad(d.getUTCMonth() + 1, 2)}/${pad(d.getUTCDate(), 2)}/${d.getUTCFullYear()}`;
const deNumeric = (d: Date): string => `${pad(d.getUTCDate(), 2)}.${pad(d.getUTCMonth() + 1, 2)}.${d.getUTCFullYear()}`;
const ukLong = (d: Date): string => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}
const rfc2822 = (d: Date): string =>
  `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)} ${d.getUTCFullYear()} ${pad(int(8, 17), 2)}:${pad(int(0, 59), 2)}:${pad(int(0, 59), 2)} +0000`;
const usPhone = (): string => `(${int(201, 989)}) 555-${pad(int(100, 199), 4)}`;

interface Line {
  description: string;
  qty: number;
  unitCents: number;
}
function lineItems(catalogue: readonly (readonly [string, number, number])[], maxQty: number): Line[] {
  return shuffle(catalogue)
    .slice(0, int(1, 4))
    .map(([description, low, high]) => ({ description, qty: int(1, maxQty), unitCents: int(low, high) * 50 }));
}
const sum = (lines: readonly Line[]): number => lines.reduce((total, l) => total + l.qty * l.unitCents, 0);

// --- invoices: three templates, one supplier each ----------------------------------------
const US_ITEMS = [['Annual support plan', 2400, 9600], ['On-site training', 200, 400], ['Cloud backup subscription', 300, 1200], ['Network security audit', 3000, 8000], ['Managed IT services', 1500, 6000], ['Data migration', 1000, 5000], ['Laptop setup and imaging', 150, 300]] as const;
function usInvoice(n: number): string {
  const issued = randomDate();
  const [city, state, zip] = pick(US_CITIES);
  const [first, last] = person();
  const items = lineItems(US_ITEMS, 8);
  const subtotal = sum(items);
  const rate = pick([6, 7.25, 8.25, 8.875]);
  const tax = Math.round((subtotal * rate) / 100);
  const rows = items.map((l) => `${l.description.padEnd(32)}${String(l.qty).padStart(3)}   ${usd(l.unitCents).padStart(11)}   ${usd(l.qty * l.unitCents).padStart(11)}`);
  return `Northwind Traders LLC
1200 Harbor Blvd, Suite 300
Oakland, CA 94607
Phone: (510) 555-0147 | billing@northwind.example.com

INVOICE

Invoice No.: INV-2024-${pad(n, 4)}
Invoice Date: ${usLong(issued)}
Due Date: ${usNumeric(plusDays(issued, 30))}
PO Number: PO-${int(1000, 9999)}

Bill To:
${first} ${last}
${pick(US_COMPANIES)}
${int(10, 9800)} ${pick(US_STREETS)}
${city}, ${state} ${zip}

Description                     Qty    Unit Price        Amount
${rows.join('\n')}

Subtotal: ${usd(subtotal)}
Sales Tax (${rate}%): ${usd(tax)}
Total Due: ${usd(subtotal + tax)}

Payment terms: Net 30
Questions? Call 1-800-555-0199 or visit https://northwind.example.com/billing.
`;
}

const EU_ITEMS = [['Industrial sensor KV-40', 60, 120], ['Mounting kit', 10, 30], ['Control unit', 400, 900], ['Signal cable', 5, 15], ['Calibration service', 150, 300], ['Pressure valve', 40, 90]] as const;
function euInvoice(n: number): string {
  const issued = randomDate();
  const [street, zip, city] = pick(EU_PLACES);
  const [first, last] = person();
  const items = lineItems(EU_ITEMS, 20);
  const net = sum(items);
  const vat = Math.round(net * 0.19);
  const rows = items.map((l, i) => `${String(i + 1).padEnd(5)}${l.description.padEnd(28)}${String(l.qty).padStart(3)}  ${`${eur(l.unitCents)} €`.padStart(12)}  ${`${eur(l.qty * l.unitCents)} €`.padStart(12)}`);
  return `Kessler & Vogt GmbH
Friedrichstraße 118, 10117 Berlin
Tel. +49 30 2345 6789 · rechnungen@kessler-vogt.de

Rechnung / Invoice

Invoice number: 2024/${pad(n, 3)}
Date: ${deNumeric(issued)}
Delivery date: ${deNumeric(plusDays(issued, -int(1, 10)))}
Customer No.: K-${int(10000, 99999)}
Your order: Order #${int(100000, 999999)}

Bill to:
${pick(EU_COMPANIES)}
Attn. ${first} ${last}
${street} ${int(1, 140)}
${zip} ${city}

Pos  Description                 Qty    Unit price         Total
${rows.join('\n')}

Net amount: ${eur(net)} EUR
VAT 19 %: ${eur(vat)} EUR
Total amount: ${eur(net + vat)} EUR

Payment within 14 days without deduction.
IBAN: DE89 3704 0044 0532 0130 00 · BIC: COBADEFFXXX
Questions about this invoice: 030 2345 6700
`;
}

const UK_ITEMS = [['Brand identity refresh', 2000, 6000], ['Website design', 2500, 9000], ['Photography day rate', 800, 1400], ['Copywriting package', 600, 2000], ['Social media templates', 400, 1200], ['Brochure print design', 700, 1800]] as const;
function ukInvoice(n: number): string {
  const issued = randomDate();
  const items = lineItems(UK_ITEMS, 1);
  const subtotal = sum(items);
  const vat = subtotal / 5;
  const rows = items.map((l) => `${l.description.padEnd(34)}${gbp(l.unitCents).padStart(10)}`);
  return `TAX INVOICE

Harwick Studio Ltd
14 Cavendish Row, Manchester M1 4EQ
+44 (0)161 496 0753 | accounts@harwickstudio.co.uk

Invoice #: ${10400 + n}
Issue date: ${ordinal(issued.getUTCDate())} ${MONTHS[issued.getUTCMonth()]} ${issued.getUTCFullYear()}
Payment due: ${ukLong(plusDays(issued, 30))}
Client: ${pick(UK_COMPANIES)}
Purchase Order: 45000${int(10000, 99999)}

${rows.join('\n')}

Subtotal: ${gbp(subtotal)}
VAT (20%): ${gbp(vat)}
Amount Due: ${gbp(subtotal + vat)}

Please pay by bank transfer to sort code 20-00-00, account 55779911.
Late payments are charged at 2.5% per month.
`;
}

// --- support e-mails ---------------------------------------------------------------------
function email(from: string, to: string, subject: string, date: Date, body: string): string {
  return `From: ${from}\nTo: ${to}\nSubject: ${subject}\nDate: ${rfc2822(date)}\n\n${body}\n`;
}
const SIGN_OFFS = ['Thanks,', 'Best regards,', 'Kind regards,', 'Many thanks,'];
function supportEmail(): string {
  const [first, last] = person();
  const who = `${first} ${last}`;
  const mailbox = `${first.toLowerCase()}.${last.toLowerCase()}@${pick(['gmail.com', 'outlook.com', 'proton.me', 'fastmail.com'])}`;
  const sent = randomDate();
  const ordered = plusDays(sent, -int(5, 20));
  const order = int(100000, 999999);
  const sign = `${pick(SIGN_OFFS)}\n${who}`;
  switch (int(0, 4)) {
    case 0:
      return email(`${who} <${mailbox}>`, 'support@shopwell.example.com', `Order #${order} still not delivered`, sent,
        `Hi Shopwell team,\n\nI placed order #${order} on ${usLong(ordered)} and paid ${usd(int(20, 400) * 100 + 99)} for express delivery, but the parcel still has not arrived. ${pick(['The tracking page has shown "in transit" for a week.', 'The courier says the parcel was handed back to your warehouse.', 'Nobody rang the bell and no card was left.'])}\n\nCould you please look into this and either resend the order or refund the express shipping fee of ${usd(int(9, 29) * 100 + 99)}? You can reach me on +1 ${usPhone()} during the day.\n\n${sign}`);
    case 1: {
      const agent = person();
      return email(`${agent.join(' ')} <${agent[0].toLowerCase()}@helpdesk.cloudnote.io>`, `${who} <${mailbox}>`, `Re: [Ticket: SUP-${int(100, 9999)}] Cannot log in after password reset`, sent,
        `Hello ${first},\n\nThanks for the screenshots. The login error you see ("Invalid session token") happens when the old session cookie is still stored after a password reset. ${pick(['Clearing the browser cookies for cloudnote.io fixes the problem in most cases.', 'Signing out on every device and signing in again usually fixes it.'])}\n\nIf the issue persists, please reply to this ticket with your browser version and we will escalate it to our engineering team. Our support line is open on +44 161 496 ${pad(int(0, 999), 4)} from 9:00 to 18:00.\n\nBest regards,\n${agent.join(' ')}\nCloudNote Support`);
    }
    case 2: {
      const amount = int(300, 9000) * 100 + int(0, 99);
      return email(`accounts@${pick(['brightside-dental', 'crestview-logistics', 'pinecone-analytics'])}.example.com`, 'billing@northwind.example.com', `Duplicate charge on invoice INV-2024-${pad(int(1, 90), 4)}`, sent,
        `Dear Northwind billing team,\n\nWe were charged twice for the same invoice: once on ${usNumeric(ordered)} and again on ${usNumeric(plusDays(ordered, int(1, 4)))}, each time ${usd(amount)}. Please refund the duplicate payment to the card ending ${int(1000, 9999)}.\n\nOur support case reference is Case #${pad(int(1, 9999), 5)}. The second charge represents 100% of the invoice amount, so this is not a partial payment.\n\n${pick(SIGN_OFFS)}\n${who}\nAccounts Payable\nTel: ${usPhone()}`);
    }
    case 3:
      return email(`${who} <${mailbox}>`, 'help@parcelo.example.com', `Damaged item in order ORD-${order}`, sent,
        `Hello,\n\nMy order ORD-${order} arrived on ${usLong(sent)} but the ${pick(['ceramic lamp', 'glass coffee table', 'standing desk', 'bookshelf'])} inside was broken, and the box was crushed on one side. I have attached three photos of the damage and of the packaging.\n\nI paid ${usd(int(80, 600) * 100)} for it. I would prefer a replacement, but a full refund is also fine if the item is out of stock.\n\n${sign}`);
    default:
      return email(`${who} <${mailbox}>`, 'support@streamly.example.com', 'Please cancel my subscription', sent,
        `Hi,\n\nPlease cancel my ${pick(['Premium', 'Family', 'Student'])} subscription (account ${mailbox}) before it renews on ${usLong(plusDays(sent, int(2, 12)))}. I was charged ${usd(int(9, 29) * 100 + 99)} per month and I no longer use the service.\n\nCould you also confirm by e-mail that no further payments will be taken? I tried to cancel in the app but the button returns an error.\n\n${sign}`);
  }
}

// --- contracts ---------------------------------------------------------------------------
const PROVIDERS = ['Alder Analytics Inc.', 'Brookfield Data Labs Inc.', 'Quarry Software Inc.', 'Tidewater Consulting Inc.'];
const CLIENTS = ['Crestview Logistics LLC', 'Granite Peak Engineering LLC', 'Lakeshore Property Management LLC', 'Summit Ridge Outfitters LLC'];
function servicesAgreement(n: number): string {
  const start = randomDate();
  return `MASTER SERVICES AGREEMENT

Contract No.: MSA-2024-${pad(n, 3)}

This Master Services Agreement (the "Agreement") is entered into as of ${usLong(start)} (the "Effective Date") by and between ${pick(PROVIDERS)}, a Delaware corporation ("Provider"), and ${pick(CLIENTS)} ("Client"), together the "Parties".

1. Services. Provider shall deliver the ${pick(['data engineering', 'software development', 'cloud operations', 'analytics'])} services described in each statement of work.

2. Fees. Client shall pay Provider a monthly fee of USD ${group(int(40, 300) * 500, ',')} within 30 days of each invoice. Late amounts bear interest at 1.5% per month.

3. Term and Termination. The term of this Agreement begins on the Effective Date and ends on ${usLong(plusDays(start, 365 * int(1, 3) - 1))}. Either party may terminate this Agreement for convenience on ${pick([30, 60, 90])} days' written notice.

4. Governing Law. This Agreement is governed by the laws of the State of ${pick(['New York', 'Delaware', 'California', 'Texas'])}.

Notices to Provider: legal@${pick(['alder-analytics', 'brookfield-data', 'quarry-software', 'tidewater-consulting'])}.example.com

IN WITNESS WHEREOF, the Parties have executed this Agreement as of the Effective Date.
`;
}
function nda(): string {
  const [a, city] = pick([['Fenwick Robotics Ltd', 'Bristol'], ['Cartwright Medical Ltd', 'Leeds'], ['Osprey Materials Ltd', 'Glasgow']] as const);
  const b = pick(['Lumière Systèmes SAS', 'Vasquez Ingeniería SL', 'Hollander Techniek BV']);
  return `MUTUAL NON-DISCLOSURE AGREEMENT

This Agreement is made on ${ukLong(randomDate())} between ${a}, whose registered office is at ${int(1, 90)} ${pick(['Quay Street', 'Market Place', 'Station Road'])}, ${city}, and ${b}, together the "Parties".

WHEREAS the parties wish to explore a joint ${pick(['development of warehouse robots', 'clinical study', 'supply arrangement'])} and will need to exchange Confidential Information for that purpose.

1. Each party shall keep the other party's Confidential Information secret and use it only for the purpose above.

2. This Agreement remains in force for a term of ${int(2, 5)} years from the date above. The obligations of confidentiality survive termination for 5 years.

3. A party that breaches this Agreement shall pay liquidated damages of EUR ${eur(int(5, 50) * 5_000_000)} without prejudice to any other remedy.

4. This Agreement is governed by the laws of England and Wales.

Contact for notices: legal@${a.split(' ')[0]!.toLowerCase()}.co.uk / +33 1 ${int(40, 49)} ${int(10, 99)} ${int(10, 99)} ${int(10, 99)}
`;
}

// --- meeting notes -----------------------------------------------------------------------
const TOPICS = ['release checklist', 'on-call rota', 'customer feedback from the beta', 'Q3 hiring plan', 'data retention policy', 'vendor renewal', 'dashboard performance'];
const TASKS = ['draft the rollout plan', 'book the design review', 'update the runbook', 'send the budget to finance', 'collect quotes from two vendors', 'write up the incident review'];
function meetingNotes(): string {
  const held = randomDate();
  const people = shuffle(FIRST).slice(0, int(3, 6));
  const topics = shuffle(TOPICS).slice(0, int(2, 3));
  const actions = people.slice(0, int(1, 3)).map((who) => `- ${who} to ${pick(TASKS)} by ${usLong(plusDays(held, int(2, 14)))}.`);
  return `Meeting notes: ${pick(PROJECTS)} weekly sync
Date: ${isoDate(held)}
Attendees: ${people.join(', ')}

Agenda
${topics.map((t) => `- ${t}`).join('\n')}

Discussion
${people[0]} reported that the ${topics[0]} is ${pick(['on track', 'two days behind', 'blocked on a decision'])}. The team agreed to review it again next week. ${people[1]} raised a concern about ${topics[1]} and suggested a ${int(15, 45)} minute follow-up session.

Action items
${actions.join('\n')}

Next meeting: ${usLong(plusDays(held, 7))} at 10:00.
`;
}

// --- near-duplicate edits: same values, different surface --------------------------------
// Applied in this order; `crlf` last so the others see plain line feeds.
const EDITS: Readonly<Record<string, (text: string) => string>> = {
  'trailing-space': (text) => text.replace(/\n/g, () => (rng() < 0.3 ? '  \n' : '\n')).replace(/\n\n/g, '\n\n\n'),
  'label-case': (text) => text.replace(/^([A-Za-z][A-Za-z .#]{0,30}):/gm, (_, label: string) => `${label.toUpperCase()}:`),
  punctuation: (text) => text.replace(/(?<=[a-z])[.,]$/gm, ''),
  // Re-wraps prose only between two words, never next to a value, so no value is split.
  rewrap: (text) => text.replace(/(?<=\b[a-z]{3,}) (?=[a-z]{3,}\b)/g, () => (rng() < 0.08 ? '\n' : ' ')),
  crlf: (text) => text.replace(/\n/g, '\r\n'),
};
const EDIT_NAMES = Object.keys(EDITS);

// --- assembly ----------------------------------------------------------------------------
function build(): Doc[] {
  const base: Doc[] = [];
  const add = (prefix: string, count: number, template: string, make: (n: number) => string, type?: string): void => {
    const start = base.filter((d) => d.id.startsWith(`${prefix}-`)).length;
    for (let i = 1; i <= count; i++) {
      const id = `${prefix}-${pad(start + i, 4)}`;
      const text = make(start + i);
      // Key order as documented for input lines: id, text, type, meta.
      base.push(type === undefined ? { id, text, meta: { template } } : { id, text, type, meta: { template } });
    }
  };
  add('invoice', 30, 'invoice-us', usInvoice);
  add('invoice', 30, 'invoice-de', euInvoice);
  add('invoice', 30, 'invoice-uk', ukInvoice);
  add('support', 60, 'support-email', supportEmail);
  add('contract', 20, 'services-agreement', servicesAgreement);
  add('contract', 16, 'nda', nda);
  add('notes', 54, 'meeting-notes', meetingNotes, 'meeting_notes');

  const next = new Map<string, number>();
  for (const d of base) next.set(d.id.split('-')[0]!, (next.get(d.id.split('-')[0]!) ?? 0) + 1);
  const nextId = (original: Doc): string => {
    const prefix = original.id.split('-')[0]!;
    const n = next.get(prefix)! + 1;
    next.set(prefix, n);
    return `${prefix}-${pad(n, 4)}`;
  };
  const chosen = shuffle(base).slice(0, 60);
  const copies: Doc[] = chosen.map((original, i) => {
    const { template } = original.meta;
    const type = original.type === undefined ? {} : { type: original.type };
    if (i < 30) return { id: nextId(original), text: original.text, ...type, meta: { template, duplicateOf: original.id } };
    const edits = shuffle(EDIT_NAMES)
      .slice(0, int(1, 3))
      .sort((a, b) => EDIT_NAMES.indexOf(a) - EDIT_NAMES.indexOf(b));
    const text = edits.reduce((t, edit) => EDITS[edit]!(t), original.text);
    return { id: nextId(original), text, ...type, meta: { template, nearDuplicateOf: original.id, edits } };
  });

  // Each copy lands somewhere after its original, as repeats do in real batches.
  const out = shuffle(base);
  for (const copy of copies) {
    const of = (copy.meta.duplicateOf ?? copy.meta.nearDuplicateOf) as string;
    const at = int(out.findIndex((d) => d.id === of) + 1, out.length);
    out.splice(at, 0, copy);
  }
  return out;
}

function main(): void {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const target = path.resolve(process.argv[2] ?? path.join(here, '..', 'examples', 'sample-batch.jsonl'));
  const docs = build();
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${docs.map((d) => JSON.stringify(d)).join('\n')}\n`);
  const kinds = new Map<string, number>();
  for (const d of docs) kinds.set(String(d.meta.template), (kinds.get(String(d.meta.template)) ?? 0) + 1);
  process.stdout.write(`wrote ${docs.length} documents to ${path.relative(process.cwd(), target)}: ${Array.from(kinds, ([k, n]) => `${k} ${n}`).join(', ')}\n`);
}

main();

/**
 * The documents of the queue and ingest benches: ~290-byte invoices, support e-mails,
 * contracts and tickets, generated from a fixed seed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { seededRandom } from '../lib/seeded-random.js';

const WRITE_BLOCK = 10_000;

const names = ['Anna Keller', 'Marco Rossi', 'Priya Nair', 'Tom Becker', 'Lena Fischer', 'Omar Haddad', 'Julia Santos', 'Kenji Mori'];
const companies = ['Northwind Traders', 'Acme Logistics GmbH', 'Bluefin Analytics', 'Helios Energy Ltd', 'Orchid Dental Care', 'Kestrel Software'];
const products = ['annual support plan', 'cloud storage (2 TB)', 'onboarding workshop', 'replacement router', 'API usage overage', 'office chairs (x4)'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function makeText(i: number, rnd: () => number): { type: string; text: string } {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const num = (digits: number) => String(Math.floor(rnd() * 10 ** digits)).padStart(digits, '0');
  const amount = (rnd() * 4_000 + 20).toFixed(2);
  const date = `2024-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
  const person = pick(names);
  const company = pick(companies);
  const email = `${person.split(' ')[0]?.toLowerCase()}@${company.split(' ')[0]?.toLowerCase()}.example.com`;
  switch (i % 4) {
    case 0:
      return {
        type: 'invoice',
        text:
          `INVOICE INV-${num(6)}\nDate: ${date}\nBill to: ${company}, attn. ${person}\n` +
          `Item: ${pick(products)}  Qty: ${1 + Math.floor(rnd() * 9)}  Total: EUR ${amount}\n` +
          `VAT 19% included. Payment due within 30 days to IBAN DE${num(2)} 3704 0044 0532 ${num(4)} 00.\n` +
          `Questions about this invoice: billing@${company.split(' ')[0]?.toLowerCase()}.example.com, ref. PO-${num(5)}`,
      };
    case 1:
      return {
        type: 'email',
        text:
          `From: ${email}\nSubject: Order #${num(7)} arrived damaged\n\nHello support team,\n` +
          `the ${pick(products)} we received on ${date} was damaged in transit. Could you send a replacement ` +
          `or refund USD ${amount}? You can reach me at +1 555 ${num(3)} ${num(4)}.\nThanks, ${person}\n${company}`,
      };
    case 2:
      return {
        type: 'contract',
        text:
          `SERVICE AGREEMENT No. C-${num(5)} (renewal)\nThis agreement is made on ${1 + Math.floor(rnd() * 28)} ${pick(months)} 2024 between ` +
          `${company} ("Client") and Kestrel Software ("Provider"). The Provider delivers the ${pick(products)} ` +
          `for a monthly fee of GBP ${amount}. Either party may terminate with 60 days' written notice.`,
      };
    default:
      return {
        type: 'ticket',
        text:
          `Ticket TCK-${num(6)} | Priority: ${pick(['low', 'normal', 'high', 'urgent'])}\nReporter: ${person} <${email}>\n` +
          `Opened: ${date}\nSummary: login fails after password reset; error rate up ${(rnd() * 40).toFixed(1)}% since ` +
          `the last deploy. Affects ${company} workspace, about ${num(3)} users. Steps to reproduce and HAR file attached.`,
      };
  }
}

/**
 * Writes `count` documents as JSONL (what batchline ingests; the raw producers read the same
 * file): seeded, so every run and every bench gets the same input. Written in blocks, so a
 * 1,000,000-line file (~330 MB) is never one string in memory.
 */
export function writeDocuments(file: string, count: number): { bytes: number } {
  const rnd = seededRandom(42);
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    for (let start = 0; start < count; start += WRITE_BLOCK) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(count, start + WRITE_BLOCK); i++) {
        const { type, text } = makeText(i, rnd);
        bytes += Buffer.byteLength(text);
        lines.push(JSON.stringify({ id: `doc-${String(i).padStart(7, '0')}`, text, type }));
      }
      writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    closeSync(fd);
  }
  return { bytes };
}

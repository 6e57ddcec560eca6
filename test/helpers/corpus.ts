import { writeFileSync } from 'node:fs';
import path from 'node:path';

const customers = ['Acme GmbH', 'Globex Ltd', 'Initech LLC', 'Umbrella plc', 'Hooli Inc', 'Vandelay Industries'];

/** An invoice-like text whose values all derive from `n`. */
export function invoiceText(n: number): string {
  const customer = customers[n % customers.length];
  return [
    `Invoice No. INV-2026-${String(n).padStart(5, '0')}`,
    `Customer: ${customer}`,
    `Date: 2026-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 28) + 1).padStart(2, '0')}`,
    `Contact: billing${n}@example.com`,
    `Amount due: $${(100 + n * 3.17).toFixed(2)}`,
    '',
    `Thank you for your business. Payment is due within ${15 + (n % 3) * 15} days.`,
  ].join('\n');
}

/**
 * `total` documents of which `unique` have distinct texts; the rest repeat earlier texts,
 * half verbatim and half with different whitespace (the same canonical input).
 */
export function writeCorpusWithDuplicates(dir: string, total: number, unique: number, name = 'dups.jsonl') {
  const lines: string[] = [];
  for (let i = 0; i < total; i++) {
    const source = i < unique ? i : (i * 7919) % unique;
    let text = invoiceText(source);
    if (i >= unique && i % 2 === 1) text = `  ${text.replace(/\n/g, '\n\n').replace(/ /g, '  ')}  `;
    lines.push(JSON.stringify({ id: `doc-${String(i).padStart(5, '0')}`, text }));
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

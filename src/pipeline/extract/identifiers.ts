import { uniqueBy } from './limits.js';

/** What an id-like token identifies. */
export type IdKind = 'invoice' | 'order' | 'po' | 'ticket' | 'reference' | 'customer' | 'contract';

/** An id-like token found in the text. */
export interface Identifier {
  readonly kind: IdKind;
  /** The id as written (`INV-2024-0042`), without the `#` or `No.` before it. */
  readonly value: string;
}

/** Words that introduce an id, and the kind each means. Longest alternatives first. */
const KEYWORDS: readonly (readonly [string, IdKind])[] = [
  ['invoice', 'invoice'],
  ['inv', 'invoice'],
  ['purchase\\s{1,2}order', 'po'],
  ['p\\.?o\\.?', 'po'],
  ['order', 'order'],
  ['ticket', 'ticket'],
  ['case', 'ticket'],
  ['reference', 'reference'],
  ['ref', 'reference'],
  ['customer', 'customer'],
  ['contract', 'contract'],
];

/**
 * A keyword, an optional marker (`No.`, `number`, `ID`, `#`, `:`), then a value of 2-40
 * letters, digits and `/_.-` that contains a digit, so "Invoice date" is not an id.
 * `(?!\s?box)`: "P.O. Box 12" is an address. A value followed by more digits is the
 * first group of a phone or account number, not an id.
 */
const ID_RE = new RegExp(
  String.raw`\b(?<kw>${KEYWORDS.map(([source]) => source).join('|')})(?![a-z])(?!\s?box\b)\.?\s{0,3}` +
    String.raw`(?<mk>(?:(?:no|nr|num|number|id)\b\.?\s{0,3})?[:#]{0,2})\s{0,3}#?\s{0,2}` +
    String.raw`(?<val>(?=[a-z0-9/_.-]{0,40}\d)[a-z0-9][a-z0-9/_.-]{0,38}[a-z0-9])(?![a-z0-9/_-]|\s\d)`,
  'gi',
);

/** Prefixed ids that stand on their own: `INV-2024-0042`, `PO-7781`. */
const BARE_ID_RE = /(?<![\w-])(?<prefix>INV|ORD|PO|TKT)-(?=[A-Z0-9/-]{0,30}\d)[A-Z0-9][A-Z0-9/-]{0,30}(?<![/-])(?![\w-])/g;
const BARE_KINDS: Readonly<Record<string, IdKind>> = { INV: 'invoice', ORD: 'order', PO: 'po', TKT: 'ticket' };

/** A value that is a date is not an id: "Invoice 05/03/2024" names the invoice's date. */
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;

/** "In case 2024 …": an unmarked year is never an id. */
const YEAR = /^(?:19|20)\d\d$/;

/**
 * Distinct ids (by kind and value) in order of appearance: invoice, order, purchase-order,
 * ticket, reference, customer and contract numbers introduced by their keyword
 * (`Invoice No. INV-2024-0042`, `Order #123456`, `Ticket: SUP-881`, `PO 4500012345`), and
 * bare prefixed ids (`INV-…`, `ORD-…`, `PO-…`, `TKT-…`). Without a marker the value must
 * be at least 4 characters: "order 12 chairs" names no order.
 */
export function extractIdentifiers(text: string): Identifier[] {
  const found: { index: number; id: Identifier }[] = [];
  for (const m of text.matchAll(ID_RE)) {
    const g = m.groups!;
    const value = g.val!;
    const marked = g.mk!.trim() !== '' || m[0].includes('#');
    if (DATE_LIKE.test(value) || (!marked && (value.length < 4 || YEAR.test(value)))) continue;
    found.push({ index: m.index!, id: { kind: kindOf(g.kw!), value } });
  }
  for (const m of text.matchAll(BARE_ID_RE)) {
    found.push({ index: m.index!, id: { kind: BARE_KINDS[m.groups!.prefix!]!, value: m[0] } });
  }
  // Both passes are in text order; merging by position keeps the artifact in reading order.
  found.sort((x, y) => x.index - y.index);
  return uniqueBy(
    found.map((f) => f.id),
    (id) => `${id.kind} ${id.value}`,
  );
}

const KIND_TESTS = KEYWORDS.map(([source, kind]) => [new RegExp(`^(?:${source})$`, 'i'), kind] as const);

function kindOf(keyword: string): IdKind {
  return KIND_TESTS.find(([re]) => re.test(keyword))?.[1] ?? 'reference';
}

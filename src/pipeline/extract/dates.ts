import { uniqueBy } from './limits.js';
import { DATE_RE, monthNumber } from './patterns.js';

/** A date found in the text, normalised. */
export interface FoundDate {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** The date as written. */
  readonly text: string;
}

/** How to read an ambiguous numeric date such as `05/03/2024`. */
export type DateOrder = 'dmy' | 'mdy';

interface Numeric {
  readonly a: number;
  readonly b: number;
  readonly year: number;
  readonly sep: string;
}

/**
 * Distinct dates in order of first appearance, as ISO `YYYY-MM-DD`. Reads ISO dates,
 * numeric dates (`05/03/2024`, `3.5.2024`, `05-03-24`) and written ones (`March 5, 2024`,
 * `5 March 2024`, `Mar 5th 2024`); impossible dates (`31/02/2024`) are skipped.
 *
 * Dotted numeric dates are always day first (the European convention). Slashed and
 * dashed ones are day first or month first as the document's own unambiguous dates show
 * (`25/03/2024` proves day first); with no such evidence `fallbackOrder` decides.
 */
export function extractDates(text: string, fallbackOrder: DateOrder = 'dmy'): FoundDate[] {
  const matches = Array.from(text.matchAll(DATE_RE));
  const order = documentOrder(matches) ?? fallbackOrder;
  const found: FoundDate[] = [];
  for (const m of matches) {
    const date = toIso(m, order);
    if (date !== undefined) found.push({ date, text: m[0] });
  }
  return uniqueBy(found, (d) => d.date);
}

function documentOrder(matches: readonly RegExpMatchArray[]): DateOrder | undefined {
  let dmy = 0;
  let mdy = 0;
  for (const m of matches) {
    const n = numeric(m);
    if (n === undefined || n.sep === '.') continue;
    if (n.a > 12 && n.b <= 12) dmy++;
    else if (n.b > 12 && n.a <= 12) mdy++;
  }
  if (dmy === mdy) return undefined;
  return dmy > mdy ? 'dmy' : 'mdy';
}

function numeric(m: RegExpMatchArray): Numeric | undefined {
  const g = m.groups!;
  if (g.na === undefined) return undefined;
  const y = Number(g.ny);
  // Two-digit years pivot at 70: "24" is 2024, "85" is 1985.
  const year = g.ny!.length === 2 ? (y < 70 ? 2000 + y : 1900 + y) : y;
  return { a: Number(g.na), b: Number(g.nb), year, sep: g.ns! };
}

function toIso(m: RegExpMatchArray, order: DateOrder): string | undefined {
  const g = m.groups!;
  if (g.iy !== undefined) return iso(Number(g.iy), Number(g.im), Number(g.id));
  const n = numeric(m);
  if (n !== undefined) {
    const dayFirst = n.sep === '.' || n.a > 12 || (n.b <= 12 && order === 'dmy');
    return dayFirst ? iso(n.year, n.b, n.a) : iso(n.year, n.a, n.b);
  }
  if (g.wm !== undefined) return iso(Number(g.wy), monthNumber(g.wm), Number(g.wd));
  return iso(Number(g.vy), monthNumber(g.vm!), Number(g.vd));
}

/** `YYYY-MM-DD` for a real calendar date in 1900-2199, else `undefined`. */
export function iso(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

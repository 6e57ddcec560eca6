import { uniqueBy } from './limits.js';
import { PHONE_RE } from './patterns.js';
import { callingCodeOf, callingCodeOfHost } from './region.js';

/** `(415) 555-0132`, `415-555-0132`, `1 415.555.0132`: the North American layouts. */
const NANP_LAYOUT = /^(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}$/;
const NANP_DIGITS = /^[2-9]\d{2}[2-9]\d{6}$/;
/** A numeric date at the start of a candidate: `05.03.2024 12` is a date and a number. */
const LEADING_DATE = /^\d{1,2}([./-])\d{1,2}\1\d{2,4}(?!\d)/;

interface Candidate {
  readonly raw: string;
  /** Digits only, without any `00` international prefix. */
  readonly digits: string;
  readonly international: boolean;
}

/**
 * Distinct phone numbers in order of first appearance, normalised to `+` and digits:
 * international ones as written (`+44 (0)20 7946 0958` → `+442079460958`), North
 * American ones with `+1`, and national ones with a trunk `0` (`030 1234 5678`) with the
 * document's country code (see `region.ts`). A national number whose country cannot be
 * inferred stays in national digits (`03012345678`), because guessing a country would
 * make a wrong number look right.
 *
 * @param hosts e-mail addresses and URLs of the document, for the country fallback.
 */
export function extractPhones(text: string, hosts: readonly string[]): string[] {
  const candidates: Candidate[] = [];
  for (const m of text.matchAll(PHONE_RE)) {
    const raw = m[0];
    const international = raw.startsWith('+') || raw.startsWith('00');
    // "+44 (0)20": the (0) is the national trunk prefix, dialled only from inside the country.
    const digits = (international ? raw.replace('(0)', '') : raw).replace(/\D/g, '');
    candidates.push({ raw, digits: raw.startsWith('00') ? digits.slice(2) : digits, international });
  }
  const region = inferCallingCode(candidates, hosts);
  const phones: string[] = [];
  for (const c of candidates) {
    const phone = normalise(c, region);
    if (phone !== undefined) phones.push(phone);
  }
  return uniqueBy(phones, (phone) => phone);
}

function inferCallingCode(candidates: readonly Candidate[], hosts: readonly string[]): string | undefined {
  for (const c of candidates) {
    if (c.international && isInternational(c.digits)) return callingCodeOf(c.digits);
  }
  for (const host of hosts) {
    const code = callingCodeOfHost(host);
    if (code !== undefined) return code;
  }
  return undefined;
}

function isInternational(digits: string): boolean {
  return digits.length >= 8 && digits.length <= 15 && !digits.startsWith('0');
}

function normalise(c: Candidate, region: string | undefined): string | undefined {
  if (c.international) return isInternational(c.digits) ? `+${c.digits}` : undefined;
  // Unformatted digit runs are order numbers, postcodes and amounts far more often than phones.
  if (!/[ .()-]/.test(c.raw) || LEADING_DATE.test(c.raw)) return undefined;
  const nanp = c.digits.length === 11 && c.digits.startsWith('1') ? c.digits.slice(1) : c.digits;
  if (NANP_LAYOUT.test(c.raw) && NANP_DIGITS.test(nanp)) return `+1${nanp}`;
  if (/^0[1-9]/.test(c.digits) && c.digits.length >= 9 && c.digits.length <= 11) {
    return region === undefined || region === '1' ? c.digits : `+${region}${c.digits.slice(1)}`;
  }
  return undefined;
}

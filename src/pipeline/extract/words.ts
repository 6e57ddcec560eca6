import { EMAIL_RE, URL_RE } from './patterns.js';

/** A word: letters, with inner apostrophes or hyphens (`don't`, `e-mail`); long runs are cut. */
const WORD_RE = /\p{L}[\p{L}\p{M}]{0,39}(?:['’-]\p{L}[\p{L}\p{M}]{0,39}){0,3}/gu;

/**
 * The lower-case words of a text, in order. Digits and punctuation separate words;
 * `toLowerCase` (not the locale-aware variant) keeps the result the same on every
 * machine.
 */
export function words(text: string): string[] {
  return Array.from(text.matchAll(WORD_RE), (m) => m[0].toLowerCase().replace(/’/g, "'"));
}

/**
 * The text with e-mail addresses and URLs blanked out, so their fragments (`com`,
 * `https`, a user name) do not count as words.
 */
export function withoutAddresses(text: string): string {
  return text.replace(URL_RE, ' ').replace(EMAIL_RE, ' ');
}

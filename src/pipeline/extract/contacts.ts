import { uniqueBy } from './limits.js';
import { EMAIL_RE, URL_RE } from './patterns.js';

/** Distinct e-mail addresses, lower-cased, in order of first appearance. */
export function extractEmails(text: string): string[] {
  return uniqueBy(
    Array.from(text.matchAll(EMAIL_RE), (m) => m[0].toLowerCase()),
    (email) => email,
  );
}

/** Distinct URLs in order of first appearance, without trailing sentence punctuation. */
export function extractUrls(text: string): string[] {
  const urls: string[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const url = trimUrl(m[0]);
    // A bare "www." with nothing after it is a word, not a host.
    if (/^(?:https?:\/\/|www\.)[^./]+\.[^.]/i.test(url) || /^https?:\/\/[^/]/i.test(url)) urls.push(url);
  }
  return uniqueBy(urls, (url) => url);
}

/**
 * Prose wraps URLs in punctuation: "see https://x.io/a." or "(https://x.io/a)". A closing
 * parenthesis is kept only when the URL opened one itself (Wikipedia-style paths).
 */
function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1);
    if (last === undefined) return url;
    if ('.,;:!?\'"'.includes(last)) {
      url = url.slice(0, -1);
    } else if (last === ')' || last === ']') {
      const open = last === ')' ? '(' : '[';
      if (count(url, open) >= count(url, last)) return url;
      url = url.slice(0, -1);
    } else {
      return url;
    }
  }
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

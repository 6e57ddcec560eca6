/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds (`120`, fractions
 * accepted) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`, a date in the past meaning
 * 0). `undefined` when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only dates with a weekday or month name: `Date.parse` also accepts plain numbers and odd strings.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

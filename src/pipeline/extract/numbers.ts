/**
 * The value of a number as written in either convention: `1,234.50`, `1.234,56`,
 * `1'234.50`, `99,00`, `7,5`. When both `,` and `.` occur the last one is the decimal
 * separator; when only one occurs, once, and is not followed by exactly three digits, it
 * is the decimal separator (`99,00`); otherwise it groups thousands (`1,234`, `1.234`).
 * Returns `undefined` for anything that is not a finite number.
 */
export function parseLocaleNumber(written: string): number | undefined {
  const s = written.replace(/[\s\u00a0\u202f']/g, '');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let decimal: string | undefined;
  if (lastComma >= 0 && lastDot >= 0) {
    decimal = lastComma > lastDot ? ',' : '.';
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const last = Math.max(lastComma, lastDot);
    const once = s.indexOf(sep) === last;
    if (once && s.length - last - 1 !== 3) decimal = sep;
  }
  let plain = '';
  for (const ch of s) {
    if (ch >= '0' && ch <= '9') plain += ch;
    else if (ch === decimal) plain += '.';
    else if (ch === '-' && plain === '') plain = '-';
  }
  if (plain === '' || plain === '-' || plain === '.') return undefined;
  const value = Number(plain);
  return Number.isFinite(value) ? value : undefined;
}

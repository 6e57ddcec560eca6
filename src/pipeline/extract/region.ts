/**
 * Which country's numbering plan a document's national phone numbers (`020 7946 0958`)
 * follow. A national number has no country code, so the code is borrowed from the
 * document itself: its first international number, else the country TLD of its first
 * e-mail or URL that has one.
 */

/** Country calling codes of one and two digits (ITU-T E.164 zones); all others have three. */
const ONE_DIGIT = new Set(['1', '7']);
const TWO_DIGIT = new Set(
  (
    '20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 ' +
    '60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'
  ).split(' '),
);

/** Country-code TLDs of the places batchline's users mostly write from. */
const TLD_CODES: Readonly<Record<string, string>> = {
  uk: '44', de: '49', fr: '33', nl: '31', be: '32', es: '34', it: '39', at: '43', ch: '41',
  ie: '353', pt: '351', se: '46', dk: '45', no: '47', fi: '358', pl: '48', cz: '420',
  au: '61', nz: '64', ca: '1', us: '1', in: '91', jp: '81', sg: '65', za: '27', br: '55', mx: '52',
};

/** The country calling code at the start of E.164 digits (without `+`), if it is plausible. */
export function callingCodeOf(digits: string): string | undefined {
  if (digits.length < 8 || digits.startsWith('0')) return undefined;
  if (ONE_DIGIT.has(digits.slice(0, 1))) return digits.slice(0, 1);
  if (TWO_DIGIT.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/** The calling code for the country TLD of a host or e-mail address, if known. */
export function callingCodeOfHost(hostOrEmail: string): string | undefined {
  const host = hostOrEmail
    .replace(/^[a-z]+:\/\/|^[^@]*@/i, '')
    .split(/[/:?#]/, 1)[0]!
    .toLowerCase();
  const tld = host.slice(host.lastIndexOf('.') + 1);
  return TLD_CODES[tld];
}

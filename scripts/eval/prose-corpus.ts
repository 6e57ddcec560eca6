import { PROSE_TEMPLATES, type ProseTemplate } from './prose-templates.js';
import { Rng } from './random.js';

/**
 * The free-prose corpus of the semantic accuracy harness: originals from PROSE_TEMPLATES
 * with random values, and for each original one variant per duplicate kind (formatting
 * alone: strict mode must serve it) and per hard-negative kind (one real change: nothing
 * may serve it). Written to break a similarity-based guard: a negative changes one word,
 * sign or symbol in 120–300 words of prose.
 */

/** Formatting-only changes. */
export const PROSE_DUPLICATE_KINDS = [
  'whitespace',
  'crlf-rewrap',
  'case-heading',
  'case-labels',
  'case-lower',
  'case-upper',
  'punctuation',
  'curly-quotes',
  'invisible',
  'quoted-reply',
  'paragraphs-swapped',
] as const;
export type ProseDuplicateKind = (typeof PROSE_DUPLICATE_KINDS)[number];

/**
 * One real change each. The first ones are placeholder kinds of the templates; the last four
 * attack what the strict form drops, with punctuation that changes the meaning.
 */
export const PROSE_NEGATIVE_KINDS = [
  'antonym',
  'label-antonym',
  'negation',
  'affix',
  'number-words',
  'unit',
  'currency',
  'scale',
  'percent',
  'minus',
  'date',
  'name',
  'lower-name',
  'roles',
  'sentence-appended',
  'list-item-removed',
  // Aimed at the strict canonical form itself: punctuation that does carry value.
  'decimal-separator',
  'thousands-separator',
  'hyphen-removed',
  'question-mark',
] as const;
export type ProseNegativeKind = (typeof PROSE_NEGATIVE_KINDS)[number];

export interface ProseVariant {
  /** Index of the original this variant was made from. */
  readonly base: number;
  readonly kind: ProseDuplicateKind | ProseNegativeKind;
  readonly duplicate: boolean;
  readonly text: string;
}

export interface ProseOriginal {
  readonly domain: string;
  readonly text: string;
}

type Part = string | Slot;

interface Slot {
  readonly kind: string;
  /** Options to choose from (`{kind:a|b}`), or undefined for a generated value. */
  readonly options?: readonly string[];
  /** Pool of a generated value (`{kind@pool}` or `{=pool}`). */
  readonly pool?: string;
}

const PLACEHOLDER = /\{(?:([a-z-]+):([^{}]*)|([a-z-]+)@([a-z]+)|=([a-z]+))\}/gu;

function parse(template: ProseTemplate): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.text.matchAll(PLACEHOLDER)) {
    parts.push(template.text.slice(last, match.index));
    const [, optionKind, options, poolKind, pool, filler] = match;
    if (optionKind) parts.push({ kind: optionKind, options: options!.split('|') });
    else if (poolKind) parts.push({ kind: poolKind, pool: pool! });
    else parts.push({ kind: 'filler', pool: filler! });
    last = match.index + match[0].length;
  }
  parts.push(template.text.slice(last));
  return parts;
}

const FIRST = ['Amira', 'Bruno', 'Chen', 'Dalia', 'Emeka', 'Freya', 'Goran', 'Hana', 'Ines', 'Jonas', 'Keiko', 'Luca', 'Maja', 'Nikolai', 'Oona', 'Pavel', 'Rosa', 'Sven', 'Tariq', 'Uma'];
const LAST = ['Alvarez', 'Brandt', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ivanova', 'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Novak', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Sato', 'Tanaka'];
const LOWER_NAMES = ['meadowcare', 'brightlet', 'parcelbee', 'nordpay', 'quillstone', 'tidewell', 'zephyrbox', 'loomly', 'cobaltway', 'fernhill', 'swiftcrate', 'ambergate', 'oakpoint', 'lumenpay', 'driftwood', 'kettleby'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const FILLERS: Readonly<Record<string, readonly string[]>> = {
  surname: LAST,
  ward: ['cardiology', 'surgical', 'respiratory', 'orthopaedic', 'neurology'],
  drug: ['amoxicillin', 'metformin', 'ibuprofen', 'omeprazole', 'doxycycline'],
  role: ['data analyst', 'payroll officer', 'site engineer', 'product designer', 'nurse practitioner'],
  city: ['Lisbon', 'Leeds', 'Gdansk', 'Utrecht', 'Porto', 'Aarhus', 'Lyon'],
  department: ['finance', 'operations', 'research', 'customer care', 'logistics'],
  product: ['the Trailmate 2 headlamp', 'the Aero kettle', 'the Pulse fitness band', 'the Nimbus desk fan', 'the Orbit speaker'],
};

/** Generated values, each in a format a later mutation can change in one place. */
function generate(pool: string, rng: Rng): string {
  switch (pool) {
    case 'person':
      return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    case 'money': {
      const whole = rng.int(10, 99_999);
      const amount = `${whole.toLocaleString('en-US')}.${String(rng.int(0, 99)).padStart(2, '0')}`;
      return rng.chance(0.2) ? `${rng.pick(['-', '−'])}${amount}` : amount;
    }
    case 'pct':
      return `${rng.chance(0.5) ? rng.int(1, 40) : `${rng.int(1, 9)}.${rng.int(1, 9)}`}%`;
    case 'date':
      return formatDate(rng.int(1, 28), rng.int(0, 11), rng.int(2019, 2027), rng.int(0, 3));
    case 'dose':
      return `${rng.pick([5, 20, 50, 100, 250, 400, 500])} ${rng.pick(['mg', 'g', 'mcg'])}`;
    case 'weight':
      return `${rng.int(1, 9)}.${rng.int(0, 9)} ${rng.pick(['kg', 'lb'])}`;
    case 'orderid':
      return `#${rng.int(100_000, 999_999)}`;
    case 'ticket':
      return `SUP-${rng.int(1000, 99_999)}`;
    case 'prnumber':
      return `#${rng.int(100, 9999)}`;
    case 'millis':
      return String(rng.int(3, 400));
    case 'clinic':
    case 'agency':
    case 'merchant':
    case 'portal':
    case 'carrier':
    case 'app':
    case 'repo':
    case 'handle':
      return rng.pick(LOWER_NAMES);
    default: {
      const values = FILLERS[pool];
      if (!values) throw new RangeError(`unknown pool ${pool}`);
      return rng.pick(values);
    }
  }
}

const DATE_FORMATS = 4;

function formatDate(day: number, month: number, year: number, format: number): string {
  const mm = String(month + 1).padStart(2, '0');
  const dd = String(day).padStart(2, '0');
  switch (format % DATE_FORMATS) {
    case 0:
      return `${day} ${MONTHS[month]} ${year}`;
    case 1:
      return `${MONTHS[month]} ${day}, ${year}`;
    case 2:
      return `${year}-${mm}-${dd}`;
    default:
      return `${dd}/${mm}/${year}`;
  }
}

/** One real change of a generated value: another name, sign, unit, day… */
function mutate(slot: Slot, value: string, rng: Rng): string {
  if (slot.options) return rng.pick(slot.options.filter((option) => option !== value));
  switch (slot.kind) {
    case 'name': {
      const [first, last] = value.split(' ');
      return rng.chance(0.5) ? `${rng.pick(FIRST.filter((n) => n !== first))} ${last}` : `${first} ${rng.pick(LAST.filter((n) => n !== last))}`;
    }
    case 'lower-name':
      return rng.pick(LOWER_NAMES.filter((n) => n !== value));
    case 'minus':
      return /^[-−]/u.test(value) ? value.slice(1) : `${rng.pick(['-', '−'])}${value}`;
    case 'percent':
      return value.replace('%', '');
    case 'unit': {
      const families = [['mg', 'g', 'mcg'], ['kg', 'lb']];
      const [number, unit] = value.split(' ');
      const family = families.find((units) => units.includes(unit!))!;
      return `${number} ${rng.pick(family.filter((u) => u !== unit))}`;
    }
    case 'date':
      return value.replace(/\d+/u, (first) => {
        // Change the first number (the year for ISO dates, the day otherwise) by a little.
        const n = Number(first);
        return String(n + (n > 27 && n < 1000 ? -1 : 1)).padStart(first.length, '0');
      });
    default:
      throw new RangeError(`no mutation for ${slot.kind}`);
  }
}

const APPENDED = [
  'This offer is void.',
  'Please disregard the previous notice.',
  'The deadline has been extended by one week.',
  'This letter replaces all earlier versions.',
  'The arrangement described above has been cancelled.',
];

/** The first match changes: 1,234.50 → 1,234,50; 7,052.27 → 7052.27; non-refundable → non refundable; "….\n" → "…?\n". */
const PUNCTUATION_ATTACKS: Readonly<Record<string, readonly [RegExp, string]>> = {
  'decimal-separator': [/(\d)\.(\d\d)\b/u, '$1,$2'],
  'thousands-separator': [/(\d),(\d{3})\b/u, '$1$2'],
  'hyphen-removed': [/(\p{L})-(\p{L})/u, '$1 $2'],
  'question-mark': [/(\p{L})\.(\n)/u, '$1?$2'],
};

const LABEL_LINE = /^[A-Z][\w ]{0,30}: \S/u;
const LIST_LINE = /^- /u;

function paragraphsOf(text: string): string[] {
  return text.split('\n\n');
}

/** Prose paragraphs (no label or list lines, not the heading block), by index. */
function proseParagraphs(paragraphs: readonly string[]): number[] {
  return paragraphs
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => i > 0 && p.split('\n').every((line) => !LABEL_LINE.test(line) && !LIST_LINE.test(line)) && p.split(' ').length > 12)
    .map(({ i }) => i);
}

function rewrap(paragraph: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(/\s+/u)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

function titleCase(line: string): string {
  return line.replace(/(^|\s)(\p{Ll})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
}

function duplicate(text: string, kind: ProseDuplicateKind, rng: Rng): string {
  const paragraphs = paragraphsOf(text);
  switch (kind) {
    case 'whitespace':
      return text
        .split('\n')
        .map((line) => (rng.chance(0.3) ? '  ' : '') + line.replace(/ /gu, () => (rng.chance(0.15) ? rng.pick(['  ', '   ', '\t']) : ' ')) + (rng.chance(0.3) ? '  ' : ''))
        .join('\n');
    case 'crlf-rewrap': {
      const width = rng.int(40, 90);
      const prose = new Set(proseParagraphs(paragraphs));
      return paragraphs.map((p, i) => (prose.has(i) ? rewrap(p.replaceAll('\n', ' '), width) : p)).join('\n\n').replaceAll('\n', '\r\n');
    }
    case 'case-heading': {
      const [heading = '', ...rest] = text.split('\n');
      return [rng.chance(0.5) ? titleCase(heading) : heading.toUpperCase(), ...rest].join('\n');
    }
    case 'case-labels':
      return text
        .split('\n')
        .map((line) => (LABEL_LINE.test(line) ? line.replace(/^[^:]+/u, (label) => label.toUpperCase()) : line))
        .join('\n');
    case 'case-lower':
      return text.toLowerCase();
    case 'case-upper':
      return text.toUpperCase();
    case 'punctuation':
      return text
        .replace(/, /gu, () => (rng.chance(0.6) ? ' ' : ', '))
        .replace(/\.(\n|$)/gu, (_, end: string) => (rng.chance(0.5) ? end : `!${end}`))
        .replace(/^([A-Z][\w ]{0,30}): /gmu, (_, label: string) => (rng.chance(0.5) ? `${label} ` : `${label}: `));
    case 'curly-quotes': {
      let quotes = 0;
      return text.replace(/'/gu, '’').replace(/"/gu, () => (quotes++ % 2 === 0 ? '“' : '”'));
    }
    case 'invisible': {
      const invisible = text
        .replace(/ /gu, () => (rng.chance(0.1) ? '\u00A0' : ' '))
        .replace(/\b(\p{L}{4,})(\p{L}{3,})\b/gu, (_, a: string, b: string) => (rng.chance(0.05) ? `${a}${rng.pick(['\u200B', '\u00AD', '\u200C', '\u2060'])}${b}` : `${a}${b}`));
      return `\uFEFF${invisible}`;
    }
    case 'quoted-reply':
      return text
        .split('\n')
        .map((line) => (line === '' ? '>' : `> ${line}`))
        .join('\n');
    case 'paragraphs-swapped': {
      const prose = proseParagraphs(paragraphs);
      const at = rng.int(0, prose.length - 2);
      const [i, j] = [prose[at]!, prose[at + 1]!];
      const swapped = [...paragraphs];
      [swapped[i], swapped[j]] = [paragraphs[j]!, paragraphs[i]!];
      return swapped.join('\n\n');
    }
  }
}

interface Original {
  readonly parts: readonly Part[];
  readonly values: readonly string[];
}

function renderOriginal({ parts, values }: Original): string {
  let slot = 0;
  return parts.map((part) => (typeof part === 'string' ? part : values[slot++]!)).join('');
}

/** The variant of one negative kind, or undefined when the template has no such place. */
function negative(original: Original, kind: ProseNegativeKind, rng: Rng): string | undefined {
  const text = renderOriginal(original);
  if (kind === 'sentence-appended') {
    const paragraphs = paragraphsOf(text);
    const at = rng.pick(proseParagraphs(paragraphs));
    paragraphs[at] = `${paragraphs[at]} ${rng.pick(APPENDED)}`;
    return paragraphs.join('\n\n');
  }
  const punctuation = PUNCTUATION_ATTACKS[kind as keyof typeof PUNCTUATION_ATTACKS];
  if (punctuation) {
    const changed = text.replace(punctuation[0], punctuation[1]);
    return changed === text ? undefined : changed;
  }
  if (kind === 'list-item-removed') {
    const lines = text.split('\n');
    const items = lines.flatMap((line, i) => (LIST_LINE.test(line) ? [i] : []));
    if (items.length === 0) return undefined;
    lines.splice(rng.pick(items), 1);
    return lines.join('\n');
  }
  const slots = original.parts.filter((part): part is Slot => typeof part !== 'string');
  const candidates = slots.flatMap((slot, i) => (slot.kind === kind ? [i] : []));
  if (candidates.length === 0) return undefined;
  const at = rng.pick(candidates);
  const values = [...original.values];
  values[at] = mutate(slots[at]!, values[at]!, rng);
  return renderOriginal({ parts: original.parts, values });
}

/**
 * `perDomain` originals per template and, for each, one variant per duplicate kind and per
 * negative kind the template has a place for.
 */
export function buildProseCorpus(seed: number, perDomain: number): { originals: ProseOriginal[]; variants: ProseVariant[] } {
  const rng = new Rng(seed);
  const originals: ProseOriginal[] = [];
  const variants: ProseVariant[] = [];
  for (const template of PROSE_TEMPLATES) {
    const parts = parse(template);
    for (let n = 0; n < perDomain; n++) {
      const values = parts.filter((part): part is Slot => typeof part !== 'string').map((slot) => (slot.options ? rng.pick(slot.options) : generate(slot.pool!, rng)));
      const original = { parts, values };
      const text = renderOriginal(original);
      const base = originals.length;
      originals.push({ domain: template.domain, text });
      for (const kind of PROSE_DUPLICATE_KINDS) {
        const variant = duplicate(text, kind, rng);
        if (variant !== text) variants.push({ base, kind, duplicate: true, text: variant });
      }
      for (const kind of PROSE_NEGATIVE_KINDS) {
        const variant = negative(original, kind, rng);
        if (variant !== undefined && variant !== text) variants.push({ base, kind, duplicate: false, text: variant });
      }
    }
  }
  return { originals, variants };
}

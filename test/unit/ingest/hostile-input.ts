/**
 * Seeded generator of hostile JSONL: good documents mixed with every kind of bad line
 * batchline must reject, each with the outcome expected of it. The unit tests feed it to
 * `jsonlRecords`, the chaos test to the real CLI; a failure names its seed, and the same
 * seed rebuilds the same bytes (`HOSTILE_SEED=<n>` picks one).
 */

import { seededRandom } from '../../../scripts/lib/seeded-random.js';
import type { InputLimits } from '../../../src/ingest/input-record.js';
import { maxLineBytes } from '../../../src/ingest/jsonl-source.js';

export { seededRandom };

/** The seed of this run: `HOSTILE_SEED` when set (to reproduce a failure), else a fixed one. */
export function hostileSeed(): number {
  const fromEnv = Number(process.env.HOSTILE_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 20_260_601;
}

export type Expected = { kind: 'doc'; id: string; text: string } | { kind: 'reject'; reason: RegExp } | { kind: 'blank' };

export interface HostileLine {
  /** The line's bytes, without its line end. */
  bytes: Buffer;
  expected: Expected;
  /** What kind of case it is, for failure messages. */
  label: string;
}

export interface HostileFile {
  bytes: Buffer;
  /** Expected outcome of every line, by 1-based line number (blank lines included). */
  lines: HostileLine[];
  docs: { id: string; text: string; line: number }[];
  rejects: { line: number; reason: RegExp; label: string }[];
}

const words = ['invoice', 'naïve', '日本語', '🙂', 'tab\there', 'quote"d', 'back\\slash', 'line\u2028sep', 'nul\u0000byte', 'Ωmega', 'x'];
const deep = (depth: number, inner: string) => `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/**
 * One bad or good line, chosen at random. `n` makes ids unique; `id` is the id a good
 * line would use: opaque, path-like ones included. Reasons are the ones the sources
 * promise (see validate-record.ts).
 */
function hostileLine(rand: () => number, n: number, limits: InputLimits, idPrefix: string): HostileLine {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const text = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(words)).join(' ');
  const id = idPrefix + pick([`fz-${n}`, `../../fz-${n}`, `dir/sub/fz-${n}`, `C:\\fz\\${n}`, `..${n}`, `fz ${n} ü`, `/abs/fz-${n}`]);
  const reject = (label: string, bytes: Buffer, reason: RegExp): HostileLine => ({ label, bytes, expected: { kind: 'reject', reason } });
  const cases: (() => HostileLine)[] = [
    () => ({ label: 'good', bytes: json({ id, text }), expected: { kind: 'doc', id, text } }),
    () => ({ label: 'good with type and meta', bytes: json({ id, text, type: 'memo', meta: { n, nested: { ok: true } } }), expected: { kind: 'doc', id, text } }),
    () => ({ label: 'good, unknown deep field ignored', bytes: Buffer.from(`{"id":${JSON.stringify(id)},"text":${JSON.stringify(text)},"x":${deep(10_000, '1')}}`), expected: { kind: 'doc', id, text } }),
    () => reject('invalid UTF-8', Buffer.concat([Buffer.from(`{"id":"u-${n}","text":"a`), Buffer.from(pick([[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]])), Buffer.from('"}')]), /not valid UTF-8/),
    () => reject('raw NUL inside a string', Buffer.from(`{"id":"nul-${n}","text":"a\u0000b"}`), /invalid JSON/),
    () => reject('raw NUL between tokens', Buffer.from(`{"id":"nul-${n}",\u0000"text":"a"}`), /invalid JSON/),
    () => reject('escaped NUL in id', json({ id: `nul\u0000${n}`, text }), /"id" contains a control character \(U\+0000 at character 4\)/),
    () => reject('line separator in id', json({ id: `ls\u2028${n}`, text }), /"id" contains a line or paragraph separator \(U\+2028/),
    () => reject('bidi override in id', json({ id: `rlo\u202e${n}`, text }), /"id" contains a bidirectional text control \(U\+202E/),
    () => reject('number as meta.scope', json({ id, text, meta: { scope: n } }), /"meta\.scope" must be a non-empty string \(it isolates cached artifacts\), got a number/),
    () => reject('empty meta.scope', json({ id, text, meta: { scope: '' } }), /"meta\.scope" is empty/),
    () => reject('number as id', Buffer.from(`{"id":${n},"text":"a"}`), /"id" must be a string, got a number/),
    () => reject('object as id', json({ id: { n }, text }), /"id" must be a string, got an object/),
    () => reject('array as id', json({ id: [n], text }), /"id" must be a string, got an array/),
    () => reject('null id', json({ id: null, text }), /"id" must be a string, got null/),
    () => reject('number as text', json({ id, text: n }), /"text" must be a string, got a number/),
    () => reject('object as text', json({ id, text: { text } }), /"text" must be a string, got an object/),
    () => reject('boolean as text', json({ id, text: true }), /"text" must be a string, got a boolean/),
    () => reject('number as type', json({ id, text, type: 5 }), /"type" must be a string/),
    () => reject('array as meta', json({ id, text, meta: [1] }), /"meta" must be an object, got an array/),
    () => reject('string as meta', json({ id, text, meta: 'm' }), /"meta" must be an object, got a string/),
    () => reject('empty text', json({ id, text: ' \t ' }), /"text" is missing or empty/),
    () => reject('blank id', json({ id: '  ', text }), /"id" is empty/),
    () => reject('long id', json({ id: `L${n}-${'i'.repeat(limits.maxIdLength + Math.floor(rand() * 2_000))}`, text }), /"id" is \d+ characters long, more than the limit/),
    () => reject('text over maxDocBytes', json({ id, text: 'é'.repeat(Math.ceil(limits.maxDocBytes / 2) + 1) }), /"text" is \d+ bytes, more than the limit/),
    () => reject('line over the line limit', Buffer.from(`{"id":"z-${n}","text":"${'z'.repeat(maxLineBytes(limits) + Math.floor(rand() * 100))}"}`), /line is \d+ bytes, longer than the limit/),
    () => reject('JSON nested 10,000 deep', Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), /expected a JSON object, got an array/),
    () => reject('meta nested 10,000 deep', Buffer.from(`{"id":"deep-${n}","text":"a","meta":${deep(10_000, '1')}}`), /"meta" is nested more than 64 levels deep/),
    () => reject('truncated JSON', Buffer.from(`{"id":"t-${n}","text":"unfinished`), /invalid JSON/),
    () => reject('not JSON at all', Buffer.from(pick(['hello', '<xml/>', '{', '}{', "{'id':'single'}"])), /invalid JSON/),
    () => reject('JSON scalar', Buffer.from(pick(['42', '"text"', 'null', 'true'])), /expected a JSON object/),
    () => reject('lone surrogate in id', Buffer.from(`{"id":"s-${n}-\\ud800","text":"a"}`), /"id" is not valid Unicode/),
    () => reject('lone surrogate in text', Buffer.from(`{"id":"s-${n}","text":"a\\udc00b"}`), /"text" is not valid Unicode/),
    () => reject('BOM in the middle of the file', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ id: `bom-${n}`, text })]), /invalid JSON/),
    () => ({ label: 'blank line', bytes: Buffer.from(pick(['', '   ', '\t'])), expected: { kind: 'blank' } }),
  ];
  // Good lines are half of all lines, so a bad line next to a good one is common.
  return rand() < 0.5 ? (pick(cases.slice(0, 3)) as () => HostileLine)() : (pick(cases.slice(3)) as () => HostileLine)();
}

/**
 * `count` lines: a BOM first, line ends LF or CRLF at random, and no newline after the
 * last line. Good ids are unique; `idPrefix` keeps them apart from other inputs' ids.
 */
export function hostileFile(seed: number, count: number, limits: InputLimits, idPrefix = ''): HostileFile {
  const rand = seededRandom(seed);
  const lines: HostileLine[] = [];
  for (let n = 0; n < count; n++) lines.push(hostileLine(rand, n, limits, idPrefix));
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
  lines.forEach((line, i) => {
    parts.push(line.bytes);
    if (i < lines.length - 1) parts.push(Buffer.from(rand() < 0.5 ? '\r\n' : '\n'));
  });
  const docs: HostileFile['docs'] = [];
  const rejects: HostileFile['rejects'] = [];
  lines.forEach(({ expected, label }, i) => {
    if (expected.kind === 'doc') docs.push({ id: expected.id, text: expected.text, line: i + 1 });
    if (expected.kind === 'reject') rejects.push({ line: i + 1, reason: expected.reason, label });
  });
  return { bytes: Buffer.concat(parts), lines, docs, rejects };
}

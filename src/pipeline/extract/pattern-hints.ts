import type { Artifact, Document, PatternHint, PatternHook, PipelineContext, TemplateObservation } from '../types.js';
import type { Identifier, IdKind } from './identifiers.js';
import type { LabelPair } from './labels.js';
import { LIMITS } from './limits.js';
import { extractMoney, type Money } from './money.js';

/**
 * Learned templates (the `patterns` queue) as hints for `extract`, both ways: what an
 * artifact tells about its template (`extractPatternHook`, the pipeline's `patterns` hook
 * the learner calls) and what a template's pattern adds to a new document's artifact
 * (`withPatternHints`).
 *
 * Hints are monotone: they only fill what the rules left empty — `type` when it is `other`
 * and the input gave none, `total` when it is null, an id of a kind none was found of —
 * and only from the document's own `Label: value` lines. Everything the rules found stays
 * as it is, so an artifact made with a pattern holds every value of the one made without,
 * and `pattern.filled` names exactly what was added.
 *
 * Patterns do not change the pipeline's version: they are hints, not code, and the cache
 * key stays (pipeline, version, scope, text). So an artifact cached before its template had
 * a pattern (`pattern: null`) is served for its text until it expires, and one made with a
 * pattern keeps what it filled after the pattern grows, changes or is lost. Both are correct
 * outputs of the version, and `pattern` says which one a result is: the same text may come
 * back with or without the fills `pattern.filled` names, never with different rule-based
 * values. Keying artifacts by pattern was rejected: the fingerprint is only known after
 * extraction, and every pattern update would orphan every cached artifact of its template.
 */

/** Which pattern an artifact used, and what it filled; `pattern: null` when none was used. */
export interface PatternUse {
  readonly fingerprint: string;
  /** Documents the pattern had been learned from when it was used. */
  readonly documents: number;
  /** Fields filled from it (`type`, `total`, `ids.<kind>`), in the order they were filled. */
  readonly filled: readonly string[];
}

/** The part of an `extract` artifact hints read and fill. */
export interface HintableArtifact {
  readonly type: string;
  readonly ids: readonly Identifier[];
  readonly total: Money | null;
  readonly labels: readonly LabelPair[];
  readonly fingerprint: string;
}

export type WithPattern<A> = A & { readonly pattern: PatternUse | null };

/** The kinds `guessType` tells apart; a pattern never classifies with anything else (custom input types stay per document). */
const PATTERN_TYPES: ReadonlySet<string> = new Set(['invoice', 'email', 'contract', 'support_ticket']);
const ID_KINDS: ReadonlySet<string> = new Set<IdKind>(['invoice', 'order', 'po', 'ticket', 'reference', 'customer', 'contract']);
const LIST_FIELDS = ['emails', 'phones', 'urls', 'dates', 'amounts', 'percentages'] as const;
const FINGERPRINT = /^[A-Za-z0-9_-]{1,128}$/;
/** The same shape `extractIdentifiers` accepts for a value; a date is not an id. */
const ID_VALUE = /^[A-Za-z0-9][A-Za-z0-9/_.-]{0,38}[A-Za-z0-9]$/;
const DATE_LIKE = /^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$/;

/**
 * The artifact with `pattern` added: without a lookup at once (`pattern: null`), with one
 * after looking the fingerprint up. Any failure of the lookup is "no pattern".
 */
export function withPatternHints<A extends HintableArtifact>(
  doc: Document,
  artifact: A,
  context?: PipelineContext,
): WithPattern<A> | Promise<WithPattern<A>> {
  const lookup = context?.patterns;
  if (!lookup) return { ...artifact, pattern: null };
  const signal = context?.signal;
  return findPattern(lookup, artifact.fingerprint).then((hint) => {
    signal?.throwIfAborted();
    return applyPatternHints(doc, artifact, hint);
  });
}

async function findPattern(lookup: NonNullable<PipelineContext['patterns']>, fingerprint: string): Promise<PatternHint | undefined> {
  try {
    const hint = await lookup.get(fingerprint);
    return isUsable(hint, fingerprint) ? hint : undefined;
  } catch {
    return undefined;
  }
}

/** Fills what the rules left empty from a pattern (see the module comment). Pure. */
export function applyPatternHints<A extends HintableArtifact>(doc: Document, artifact: A, hint: PatternHint | undefined): WithPattern<A> {
  if (!hint) return { ...artifact, pattern: null };
  const filled: string[] = [];
  let { type, ids, total } = artifact;
  const given = typeof doc.type === 'string' && doc.type.trim() !== '';
  if (!given && type === 'other' && hint.type !== null && PATTERN_TYPES.has(hint.type)) {
    type = hint.type;
    filled.push('type');
  }
  const carried = new Set(hint.fields);
  for (const [label, field] of Object.entries(hint.labelFields)) {
    if (!carried.has(field) || filled.includes(field)) continue;
    const value = artifact.labels.find((pair) => pair.label === label)?.value;
    if (value === undefined) continue;
    if (field === 'total' && total === null) {
      const money = extractMoney(value)[0];
      if (money === undefined) continue;
      total = money;
      filled.push(field);
    } else if (field.startsWith('ids.')) {
      const kind = field.slice(4);
      if (!ID_KINDS.has(kind) || ids.some((id) => id.kind === kind) || ids.length >= LIMITS.maxItems) continue;
      const id = idValue(value);
      if (id === undefined) continue;
      ids = [...ids, { kind: kind as IdKind, value: id }];
      filled.push(field);
    }
  }
  return { ...artifact, type, ids, total, pattern: { fingerprint: hint.fingerprint, documents: hint.documents, filled } };
}

/** The id a label's value holds: its first word, without a leading `#` or trailing punctuation, shaped like an id. */
function idValue(value: string): string | undefined {
  const word = value.trim().replace(/^#\s*/, '').split(/\s+/)[0]?.replace(/[.,;:)]+$/, '') ?? '';
  return ID_VALUE.test(word) && /\d/.test(word) && !DATE_LIKE.test(word) ? word : undefined;
}

/** A pattern as the lookup should return it; anything else is treated as no pattern. */
function isUsable(hint: unknown, fingerprint: string): hint is PatternHint {
  if (typeof hint !== 'object' || hint === null) return false;
  const h = hint as Partial<PatternHint>;
  const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
  return (
    h.fingerprint === fingerprint &&
    Number.isInteger(h.documents) &&
    (h.documents ?? 0) > 0 &&
    (h.type === null || typeof h.type === 'string') &&
    strings(h.labels) &&
    strings(h.fields) &&
    typeof h.labelFields === 'object' &&
    h.labelFields !== null &&
    Object.values(h.labelFields).every((field) => typeof field === 'string')
  );
}

/** `extract`'s pattern hook: its artifacts carry their template's `fingerprint`, and `observeTemplate` reads the rest. */
export const extractPatternHook: PatternHook = { fingerprint: fingerprintOf, observe: observeTemplate };

/** The artifact's `fingerprint`, when it is one. */
function fingerprintOf(artifact: Artifact): string | undefined {
  const { fingerprint } = artifact;
  return typeof fingerprint === 'string' && FINGERPRINT.test(fingerprint) ? fingerprint : undefined;
}

/**
 * What an artifact (read back from a batch's results, so of unknown shape) shows about its
 * template; undefined without a usable `fingerprint`. What a pattern filled (`pattern.filled`)
 * is taken out first, so patterns are learned from the rules' output only and never feed on
 * their own hints.
 */
export function observeTemplate(artifact: Artifact): TemplateObservation | undefined {
  const fingerprint = fingerprintOf(artifact);
  if (fingerprint === undefined) return undefined;
  const filled = new Set(filledBy(artifact.pattern));
  const rawType = typeof artifact.type === 'string' ? artifact.type : undefined;
  const type = filled.has('type') ? 'other' : rawType !== undefined && (rawType === 'other' || PATTERN_TYPES.has(rawType)) ? rawType : undefined;
  const ids = listOf(artifact.ids).filter(
    (id): id is Identifier => isRecord(id) && typeof id.kind === 'string' && typeof id.value === 'string' && !filled.has(`ids.${id.kind}`),
  );
  const total = !filled.has('total') && isRecord(artifact.total) && typeof artifact.total.text === 'string' ? artifact.total.text : undefined;
  const pairs = listOf(artifact.labels).filter(
    (pair): pair is LabelPair => isRecord(pair) && typeof pair.label === 'string' && typeof pair.value === 'string',
  );

  const fields: string[] = LIST_FIELDS.filter((name) => listOf(artifact[name]).length > 0);
  if (total !== undefined) fields.push('total');
  for (const kind of new Set(ids.map((id) => id.kind))) fields.push(`ids.${kind}`);

  const texts = (name: 'dates' | 'amounts') =>
    listOf(artifact[name]).flatMap((item) => (isRecord(item) && typeof item.text === 'string' ? [item.text] : []));
  const strings = (name: 'emails' | 'urls') => listOf(artifact[name]).filter((item): item is string => typeof item === 'string');
  const dates = texts('dates');
  const amounts = texts('amounts');
  const emails = strings('emails');
  const urls = strings('urls');
  const labels: string[] = [];
  const labelFields: [string, string][] = [];
  for (const { label, value } of pairs) {
    if (labels.includes(label)) continue;
    labels.push(label);
    const id = ids.find((candidate) => holds(value, candidate.value));
    const lower = value.toLowerCase();
    const field = id
      ? `ids.${id.kind}`
      : total !== undefined && holds(value, total)
        ? 'total'
        : dates.some((text) => holds(value, text))
          ? 'dates'
          : amounts.some((text) => holds(value, text))
            ? 'amounts'
            : emails.some((email) => holds(lower, email))
              ? 'emails'
              : urls.some((url) => holds(value, url))
                ? 'urls'
                : undefined;
    if (field !== undefined) labelFields.push([label, field]);
  }
  return { fingerprint, type, labels, fields, labelFields };
}

function filledBy(pattern: unknown): string[] {
  if (!isRecord(pattern) || !Array.isArray(pattern.filled)) return [];
  return pattern.filled.filter((field): field is string => typeof field === 'string');
}

/** `needle` occurs in `text` as a whole token (no letter or digit right before or after it). */
function holds(text: string, needle: string): boolean {
  if (needle === '') return false;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    const before = text[at - 1];
    const after = text[at + needle.length];
    if ((before === undefined || !/[\p{L}\p{N}]/u.test(before)) && (after === undefined || !/[\p{L}\p{N}]/u.test(after))) return true;
  }
  return false;
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

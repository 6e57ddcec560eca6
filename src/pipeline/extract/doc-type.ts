import type { Identifier } from './identifiers.js';
import type { LabelPair } from './labels.js';

/** The document kinds `guessType` can tell apart. */
export type DocumentKind = 'invoice' | 'email' | 'contract' | 'support_ticket' | 'other';

type Scored = Exclude<DocumentKind, 'other'>;

/**
 * Cue words and phrases per kind. Each distinct cue counts once, so a long document does
 * not win by repetition. Phrases are matched on whole words.
 */
const CUES: Readonly<Record<Scored, readonly string[]>> = {
  invoice: [
    'invoice', 'bill to', 'amount due', 'balance due', 'total due', 'subtotal', 'vat', 'tax',
    'due date', 'payment terms', 'remit', 'iban', 'unit price', 'qty', 'net',
  ],
  contract: [
    'agreement', 'whereas', 'hereinafter', 'hereby', 'parties', 'governing law', 'termination',
    'shall', 'in witness whereof', 'effective date', 'indemnify', 'confidential information', 'term',
  ],
  support_ticket: [
    'ticket', 'support', 'issue', 'error', 'not working', 'problem', 'bug', 'troubleshooting',
    'reproduce', 'refund', 'escalate', 'customer service', 'still not', 'help desk', 'cancel',
    'replacement', 'damaged', 'broken', 'not arrived', 'tracking', 'subscription', 'resend',
    'complaint', 'faulty', 'charged twice', 'log in', 'password',
  ],
  email: ['dear', 'hi', 'hello', 'regards', 'thanks', 'sincerely', 'wrote', 'reply', 'forwarded'],
};

const EMAIL_HEADERS = new Set(['from', 'to', 'subject', 'cc', 'sent', 'reply to']);
/** Kinds that say what a document is about, in tie-break order. */
const CONTENT_KINDS: readonly Scored[] = ['invoice', 'contract', 'support_ticket'];
/** Fewer distinct cues than this is too little evidence: the guess is `other`. */
const MIN_SCORE = 3;

/**
 * A guess at what kind of document this is, from cue words, e-mail headers and the ids
 * found in it. A support request or an invoice sent by e-mail is a `support_ticket` or an
 * `invoice`: `email` is for e-mails that are about nothing more specific.
 *
 * @param words the document's lower-case words, from `words()`.
 */
export function guessType(words: readonly string[], labels: readonly LabelPair[], ids: readonly Identifier[]): DocumentKind {
  const joined = ` ${words.join(' ')} `;
  const scores = new Map<Scored, number>();
  for (const kind of [...CONTENT_KINDS, 'email'] as const) {
    scores.set(kind, CUES[kind].filter((cue) => joined.includes(` ${cue} `)).length);
  }
  const headers = new Set(labels.map((pair) => pair.label).filter((label) => EMAIL_HEADERS.has(label)));
  add(scores, 'email', headers.has('from') && (headers.has('to') || headers.has('subject')) ? headers.size + 1 : 0);
  add(scores, 'invoice', ids.some((id) => id.kind === 'invoice') ? 2 : 0);
  add(scores, 'support_ticket', ids.some((id) => id.kind === 'ticket') ? 2 : 0);
  add(scores, 'contract', ids.some((id) => id.kind === 'contract') ? 2 : 0);
  // Headers only say how a document travelled; what it is about decides first.
  let best: DocumentKind = 'other';
  let bestScore = MIN_SCORE - 1;
  for (const kind of CONTENT_KINDS) {
    const score = scores.get(kind)!;
    if (score > bestScore) {
      best = kind;
      bestScore = score;
    }
  }
  if (best === 'other' && scores.get('email')! >= MIN_SCORE) return 'email';
  return best;
}

function add(scores: Map<Scored, number>, kind: Scored, points: number): void {
  scores.set(kind, scores.get(kind)! + points);
}

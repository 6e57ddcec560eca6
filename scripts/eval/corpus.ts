import type { FieldKind } from './fields.js';
import { Rng } from './random.js';
import { DEFAULT_RENDER, type RenderOptions, render } from './render.js';
import { type DocModel, TEMPLATES, type Template, type Values } from './templates.js';

/** Formatting-only or meaning-preserving changes: the lookup should serve these. */
export const DUPLICATE_KINDS = [
  'whitespace', 'line-breaks', 'casing', 'punctuation', 'reordered-labels', 'reworded', 'combined',
] as const;
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number];

/** One value changed (or a negation flipped): the lookup must never serve these. */
export const NEGATIVE_KINDS = ['number', 'date', 'amount', 'id', 'name', 'negation'] as const satisfies readonly (FieldKind | 'negation')[];
export type NegativeKind = (typeof NEGATIVE_KINDS)[number];

/** One ordinary word flips the meaning: no token guard can see it; reported to show the residual risk. */
export const BEYOND_GUARD_KIND = 'meaning-flip';

export interface BaseDoc {
  readonly id: string;
  readonly template: string;
  readonly text: string;
}

export interface Query {
  /** Index of the base document this query was derived from. */
  readonly base: number;
  readonly kind: DuplicateKind | NegativeKind | typeof BEYOND_GUARD_KIND;
  /** True for duplicates: the only correct hit is the base document. */
  readonly duplicate: boolean;
  readonly text: string;
}

interface State {
  readonly template: Template;
  readonly values: Values;
  readonly phrasing: readonly number[];
  readonly negated: boolean;
  readonly flipped: boolean;
}

function model(state: State): DocModel {
  const { template } = state;
  return template.render(state.values, {
    b: (slot) => template.boilerplate[slot]![state.phrasing[slot]!]!,
    negatable: template.negatable[state.negated ? 1 : 0],
    flippable: template.flippable[state.flipped ? 1 : 0],
  });
}

function newState(template: Template, rng: Rng): State {
  const values = Object.fromEntries(Object.entries(template.fields).map(([name, spec]) => [name, spec.make(rng)]));
  const phrasing = template.boilerplate.map((options) => rng.int(0, options.length - 1));
  return { template, values, phrasing, negated: rng.chance(0.5), flipped: rng.chance(0.5) };
}

function withSpaces(text: string, rng: Rng): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return text
    .split(eol)
    .map((line) => {
      const spaced = line.replace(/ /gu, () => (rng.chance(0.2) ? rng.pick(['  ', '   ', '\t']) : ' '));
      return (rng.chance(0.2) ? '  ' : '') + spaced + (rng.chance(0.3) ? '   ' : '');
    })
    .join(eol);
}

function labelOrder(count: number, rng: Rng): number[] {
  const identity = Array.from({ length: count }, (_, i) => i);
  for (;;) {
    const order = rng.shuffle(identity);
    if (order.some((v, i) => v !== i)) return order;
  }
}

function reworded(state: State, rng: Rng): State {
  const slot = rng.int(0, state.template.boilerplate.length - 1);
  const choices = state.template.boilerplate[slot]!.map((_, i) => i).filter((i) => i !== state.phrasing[slot]);
  const phrasing = [...state.phrasing];
  phrasing[slot] = rng.pick(choices);
  return { ...state, phrasing };
}

function duplicate(state: State, kind: DuplicateKind, rng: Rng): string {
  const m = model(state);
  const layout = (overrides: Partial<RenderOptions>): RenderOptions => ({ ...DEFAULT_RENDER, ...overrides });
  switch (kind) {
    case 'whitespace':
      return withSpaces(render(m), rng);
    case 'line-breaks':
      return render(m, layout({ eol: '\r\n', width: rng.int(40, 110), blankLines: rng.int(1, 3) }));
    case 'casing':
      return render(m, layout({ labelCase: rng.pick(['upper', 'lower'] as const), headingCase: rng.pick(['upper', 'title'] as const) }));
    case 'punctuation': {
      const text = render(m, layout({ valueDecor: rng.pick(['period', 'quotes'] as const), colon: rng.pick([' : ', ':\t'] as const) }));
      return text.replace(/, /gu, () => (rng.chance(0.5) ? ' ' : ', '));
    }
    case 'reordered-labels':
      return render(m, layout({ labelOrder: labelOrder(m.labels.length, rng) }));
    case 'reworded':
      return render(model(reworded(state, rng)));
    case 'combined': {
      const changed = model(reworded(state, rng));
      const options = layout({ labelOrder: labelOrder(changed.labels.length, rng), labelCase: 'upper', width: rng.int(50, 100), eol: '\r\n' });
      return withSpaces(render(changed, options), rng);
    }
  }
}

function negative(state: State, kind: NegativeKind | typeof BEYOND_GUARD_KIND, rng: Rng): string {
  if (kind === 'negation') return render(model({ ...state, negated: !state.negated }));
  if (kind === BEYOND_GUARD_KIND) return render(model({ ...state, flipped: !state.flipped }));
  const fields = Object.entries(state.template.fields).filter(([, spec]) => spec.kind === kind);
  const [name, spec] = rng.pick(fields);
  let value = spec.make(rng);
  while (value === state.values[name]) value = spec.make(rng);
  return render(model({ ...state, values: { ...state.values, [name]: value } }));
}

/**
 * The labelled corpus: `perTemplate` base documents per template, and for each base one
 * query per duplicate kind, per negative kind and one beyond-the-guard query.
 */
export function buildCorpus(seed: number, perTemplate: number): { bases: BaseDoc[]; queries: Query[] } {
  const rng = new Rng(seed);
  const bases: BaseDoc[] = [];
  const queries: Query[] = [];
  for (const template of TEMPLATES) {
    for (let i = 0; i < perTemplate; i++) {
      const state = newState(template, rng);
      const base = bases.length;
      bases.push({ id: `${template.name}-${i}`, template: template.name, text: render(model(state)) });
      for (const kind of DUPLICATE_KINDS) queries.push({ base, kind, duplicate: true, text: duplicate(state, kind, rng) });
      for (const kind of NEGATIVE_KINDS) queries.push({ base, kind, duplicate: false, text: negative(state, kind, rng) });
      queries.push({ base, kind: BEYOND_GUARD_KIND, duplicate: false, text: negative(state, BEYOND_GUARD_KIND, rng) });
    }
  }
  return { bases, queries };
}

/**
 * `count` base documents only (templates in turn), with one true duplicate and one hard
 * negative per document: for latency and memory measurements at 100k scale.
 */
export function* generateDocuments(seed: number, count: number): Generator<{ text: string; duplicate: string; negative: string }> {
  const rng = new Rng(seed);
  for (let i = 0; i < count; i++) {
    const state = newState(TEMPLATES[i % TEMPLATES.length]!, rng);
    yield {
      text: render(model(state)),
      duplicate: duplicate(state, rng.pick(DUPLICATE_KINDS), rng),
      negative: negative(state, rng.pick(NEGATIVE_KINDS), rng),
    };
  }
}

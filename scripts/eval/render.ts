import type { DocModel } from './templates.js';

/** How a document model is laid out as text: everything here is formatting, never content. */
export interface RenderOptions {
  /** Paragraphs are wrapped at this many characters. */
  readonly width: number;
  readonly eol: '\n' | '\r\n';
  /** Blank lines between blocks. */
  readonly blankLines: number;
  readonly labelCase: 'as-is' | 'upper' | 'lower';
  readonly headingCase: 'as-is' | 'upper' | 'title';
  /** Label line order, as indexes into the model's labels. */
  readonly labelOrder?: readonly number[];
  /** Between label and value. */
  readonly colon: ': ' | ' : ' | ':\t';
  /** Punctuation around label values. */
  readonly valueDecor: 'none' | 'period' | 'quotes';
}

export const DEFAULT_RENDER: RenderOptions = Object.freeze({
  width: 72,
  eol: '\n',
  blankLines: 1,
  labelCase: 'as-is',
  headingCase: 'as-is',
  colon: ': ',
  valueDecor: 'none',
});

function wrap(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of paragraph.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
}

/** Lays out a document model as text. */
export function render(model: DocModel, options: RenderOptions = DEFAULT_RENDER): string {
  const heading =
    options.headingCase === 'upper' ? model.heading.toUpperCase() : options.headingCase === 'title' ? titleCase(model.heading) : model.heading;
  const order = options.labelOrder ?? model.labels.map((_, i) => i);
  const labelLines = order.map((i) => {
    const [label, value] = model.labels[i]!;
    const shownLabel = options.labelCase === 'upper' ? label.toUpperCase() : options.labelCase === 'lower' ? label.toLowerCase() : label;
    const shownValue = options.valueDecor === 'period' ? `${value}.` : options.valueDecor === 'quotes' ? `"${value}"` : value;
    return `${shownLabel}${options.colon}${shownValue}`;
  });
  const blocks: string[][] = [[heading], labelLines, ...model.paragraphs.map((p) => wrap(p, options.width)), [...model.closing]];
  const separator = Array<string>(options.blankLines + 1).fill(options.eol).join('');
  return blocks.map((block) => block.join(options.eol)).join(separator) + options.eol;
}

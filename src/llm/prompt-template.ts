import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchlineError, ErrorCode } from '../errors.js';

/** Where the bundled default template lives, relative to the package root. */
const DEFAULT_TEMPLATE = path.join('examples', 'prompts', 'extract.txt');

/** A loaded prompt template. */
export interface PromptTemplate {
  /** The file it was read from (absolute). */
  readonly file: string;
  /** Its text, exactly as read: it is part of the pipeline version. */
  readonly text: string;
}

/**
 * The bundled template: found by walking up from this module, so it works from `src/`
 * (tsx), from `dist/src/` and from an installed package (`files` ships `examples/`).
 */
export function defaultPromptFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, DEFAULT_TEMPLATE);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new BatchlineError(ErrorCode.CONFIG, `the bundled prompt template ${DEFAULT_TEMPLATE} is missing`);
    dir = parent;
  }
}

/**
 * Reads the template (`llm.promptFile`, relative to `cwd`, or the bundled one) and checks
 * it once, at start-up: it must hold `{{document}}` and mention JSON (OpenAI's JSON mode
 * refuses prompts that do not).
 *
 * @throws BatchlineError `E_CONFIG` when the file cannot be read or fails those checks.
 */
export function loadPromptTemplate(promptFile: string | undefined, cwd: string): PromptTemplate {
  const file = promptFile === undefined ? defaultPromptFile() : path.resolve(cwd, promptFile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BatchlineError(ErrorCode.CONFIG, `invalid config: llm.promptFile: cannot read ${file}`, { cause: error });
  }
  if (!text.includes('{{document}}')) {
    throw new BatchlineError(ErrorCode.CONFIG, `invalid config: llm.promptFile: ${file} has no {{document}} placeholder`);
  }
  if (!/json/i.test(text)) {
    throw new BatchlineError(ErrorCode.CONFIG, `invalid config: llm.promptFile: ${file} must ask for JSON (say "JSON" in it)`);
  }
  return { file, text };
}

/**
 * The prompt for one document: `{{document}}` becomes the text, `{{fields}}` the fields
 * already extracted, as JSON. One pass, so placeholders inside the document stay as written.
 */
export function renderPrompt(template: string, values: { document: string; fields: unknown }): string {
  const fields = JSON.stringify(values.fields, null, 2);
  return template.replace(/\{\{(document|fields)\}\}/g, (_, name: string) => (name === 'document' ? values.document : fields));
}

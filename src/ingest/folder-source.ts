import { type Dirent, promises as fs } from 'node:fs';
import path from 'node:path';
import { type InputLimits, type InputRecord, type Origin, rejectRecord } from './input-record.js';
import { checkId, checkText, validateRecord } from './validate-record.js';

/** File kinds a folder input turns into documents; other files are ignored. */
export const DOCUMENT_EXTENSIONS = new Set(['.txt', '.md', '.json']);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Documents from a folder, recursively, in a stable (sorted) order. Each .txt/.md file is
 * one document with its text; each .json file one `{"text","type"?,"meta"?}` object. The
 * id is the path relative to the folder, with `/` separators. Symbolic links are followed
 * only when they resolve to a file inside the folder; any other link is rejected.
 */
export async function* folderRecords(root: string, limits: InputLimits): AsyncGenerator<InputRecord> {
  const realRoot = await fs.realpath(root);
  yield* walk(realRoot, realRoot, root, limits);
}

async function* walk(dir: string, realRoot: string, shownRoot: string, limits: InputLimits): AsyncGenerator<InputRecord> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield rejectRecord({ file: path.join(shownRoot, path.relative(realRoot, dir)) }, `cannot read folder: ${(error as Error).message}`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const id = path.relative(realRoot, full).split(path.sep).join('/');
    const origin = { file: path.join(shownRoot, id) };
    if (entry.isDirectory()) {
      yield* walk(full, realRoot, shownRoot, limits);
      continue;
    }
    if (!DOCUMENT_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
    if (entry.isSymbolicLink()) {
      const target = await fs.realpath(full).catch(() => undefined);
      const inside = target?.startsWith(realRoot + path.sep) ?? false;
      const stat = target ? await fs.stat(target).catch(() => undefined) : undefined;
      if (!target || !inside || !stat?.isFile()) {
        yield rejectRecord(origin, 'symbolic link to something outside the input folder (or not a file); not followed');
        continue;
      }
      yield await fileRecord(target, id, origin, limits);
    } else if (entry.isFile()) {
      yield await fileRecord(full, id, origin, limits);
    }
  }
}

/** One file as one document (also used for a single .txt/.md/.json file given on the command line). */
export async function fileRecord(file: string, id: string, origin: Origin, limits: InputLimits): Promise<InputRecord> {
  const idProblem = checkId(id, limits);
  if (idProblem) return rejectRecord(origin, idProblem);
  try {
    const { size } = await fs.stat(file);
    if (size > limits.maxDocBytes * 2) {
      return rejectRecord(origin, `file is ${size} bytes, more than the limit of ${limits.maxDocBytes}`);
    }
    let text: string;
    try {
      text = utf8.decode(await fs.readFile(file));
    } catch {
      return rejectRecord(origin, 'file is not valid UTF-8');
    }
    if (path.extname(file).toLowerCase() !== '.json') {
      const problem = checkText(text, limits);
      return problem ? rejectRecord(origin, problem) : { kind: 'doc', doc: { id, text }, origin };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return rejectRecord(origin, `invalid JSON: ${(error as Error).message.slice(0, 200)}`);
    }
    const withId = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, id } : value;
    const doc = validateRecord(withId, limits);
    return typeof doc === 'string' ? rejectRecord(origin, doc) : { kind: 'doc', doc, origin };
  } catch (error) {
    return rejectRecord(origin, `cannot read file: ${(error as Error).message}`);
  }
}

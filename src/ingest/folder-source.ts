import { constants, type Dirent, promises as fs, type Stats } from 'node:fs';
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
 * only when they resolve to a file inside the folder (see `linkRecord`).
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
    } else if (entry.isSymbolicLink()) {
      const record = await linkRecord(full, id, origin, realRoot, limits);
      if (record) yield record;
    } else if (isDocument(entry.name)) {
      // A FIFO, socket or device named like a document is reported, never opened: opening
      // a FIFO blocks until something writes to it, and reading a device may never end.
      yield entry.isFile() ? await fileRecord(full, id, origin, limits) : rejectRecord(origin, notRegular(entry));
    }
  }
}

const isDocument = (name: string) => DOCUMENT_EXTENSIONS.has(path.extname(name).toLowerCase());

/**
 * A symbolic link is read only when it resolves to a regular file inside the folder.
 * A link to a folder is never walked, wherever it points: that alone rules out loops and
 * the same files under two ids; it is reported so its documents are not silently missing.
 * A link that is neither named like a document nor points at a folder is ignored, as any
 * other non-document file is; every other link is reported with the reason.
 */
async function linkRecord(
  full: string,
  id: string,
  origin: Origin,
  realRoot: string,
  limits: InputLimits,
): Promise<InputRecord | undefined> {
  const target = await fs.realpath(full).catch(() => undefined); // ENOENT, ELOOP
  const stat = target ? await fs.stat(target).catch(() => undefined) : undefined;
  if (stat?.isDirectory()) return rejectRecord(origin, 'symbolic link to a folder; folders behind links are not walked');
  if (!isDocument(full)) return undefined;
  if (!target || !stat) return rejectRecord(origin, 'broken symbolic link (missing target, or a loop); not followed');
  if (!target.startsWith(realRoot + path.sep)) return rejectRecord(origin, 'symbolic link to a file outside the input folder; not followed');
  if (!stat.isFile()) return rejectRecord(origin, 'symbolic link to something that is not a regular file; not followed');
  return fileRecord(target, id, origin, limits);
}

/** What a non-regular file is, as a rejection reason. */
function notRegular(kind: Dirent | Stats): string {
  const what = kind.isFIFO()
    ? 'a FIFO (named pipe)'
    : kind.isSocket()
      ? 'a socket'
      : kind.isCharacterDevice()
        ? 'a character device'
        : kind.isBlockDevice()
          ? 'a block device'
          : 'something other than a file';
  return `${what}, not a regular file: skipped without reading it`;
}

/**
 * Opens for reading without ever blocking: O_NONBLOCK makes opening a FIFO return at once
 * (a plain open waits for a writer), and the file's kind is then checked on the open
 * descriptor, so a regular file swapped for a FIFO after the folder was listed is caught too.
 */
async function openRegular(file: string): Promise<fs.FileHandle | string> {
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  const stat = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (stat.isFile()) return handle;
  await handle.close();
  return notRegular(stat);
}

/** One file as one document (also used for a single .txt/.md/.json file given on the command line). */
export async function fileRecord(file: string, id: string, origin: Origin, limits: InputLimits): Promise<InputRecord> {
  const idProblem = checkId(id, limits);
  if (idProblem) return rejectRecord(origin, idProblem);
  try {
    // Checked by name first, so a device is not even opened; then again on the descriptor.
    const named = await fs.stat(file);
    if (!named.isFile()) return rejectRecord(origin, notRegular(named));
    const handle = await openRegular(file);
    if (typeof handle === 'string') return rejectRecord(origin, handle);
    let content: Buffer;
    try {
      const { size } = await handle.stat();
      if (size > limits.maxDocBytes * 2) {
        return rejectRecord(origin, `file is ${size} bytes, more than twice the limit of ${limits.maxDocBytes} (ingest.maxDocBytes)`);
      }
      content = await handle.readFile();
    } finally {
      await handle.close();
    }
    const bytes = content.length;
    let text: string;
    try {
      text = utf8.decode(content);
    } catch {
      return rejectRecord(origin, 'file is not valid UTF-8');
    }
    if (path.extname(file).toLowerCase() !== '.json') {
      const problem = checkText(text, limits);
      return problem ? rejectRecord(origin, problem) : { kind: 'doc', doc: { id, text }, origin, bytes };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return rejectRecord(origin, `invalid JSON: ${(error as Error).message.slice(0, 200)}`);
    }
    const withId = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, id } : value;
    const doc = validateRecord(withId, limits);
    return typeof doc === 'string' ? rejectRecord(origin, doc) : { kind: 'doc', doc, origin, bytes };
  } catch (error) {
    return rejectRecord(origin, `cannot read file: ${(error as Error).message}`);
  }
}

import { accessSync, constants, statSync } from 'node:fs';
import { BatchlineError, ErrorCode } from '../errors.js';

/**
 * Checks, before anything is enqueued, that every input named on the command line exists
 * and can be read: a typo in a path is a usage error (exit 2, one line naming the path),
 * not a finished batch with one rejected record. `-` (stdin) is always fine. A file that
 * vanishes after this check is still reported by the ingester as a rejected record.
 */
export function assertInputsReadable(inputs: readonly string[]): void {
  for (const input of inputs) {
    if (input === '-') continue;
    let isFolder: boolean;
    try {
      isFolder = statSync(input).isDirectory();
    } catch (error) {
      throw inputError(input, error);
    }
    try {
      // A folder must be listable and enterable; a file readable.
      accessSync(input, isFolder ? constants.R_OK | constants.X_OK : constants.R_OK);
    } catch (error) {
      throw inputError(input, error);
    }
  }
}

function inputError(input: string, error: unknown): BatchlineError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or folder'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied (cannot be read)'
        : code === 'ENOTDIR'
          ? 'a part of the path is not a folder'
          : `cannot be read (${code ?? 'unknown error'})`;
  return new BatchlineError(ErrorCode.USAGE, `input ${input}: ${why}`, { cause: error });
}

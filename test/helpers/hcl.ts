import { createRequire } from 'node:module';

/**
 * HashiCorp's HCL parser, compiled to WebAssembly, from @cdktf/hcl2json. Its typings pull
 * in the DOM lib (`/// <reference lib="dom" />`), which would retype Node's globals (such
 * as `performance`) for the whole typecheck; loading it through `require` keeps them out.
 */
const hcl2json = createRequire(import.meta.url)('@cdktf/hcl2json') as {
  /** One file's HCL as terraform's JSON syntax; rejects on a syntax error. */
  parse(fileName: string, contents: string): Promise<Record<string, unknown>>;
  /** Every `.tf` file of a folder (a module) merged as terraform's JSON syntax. */
  convertFiles(folder: string): Promise<Record<string, unknown>>;
};

export const parseHcl = hcl2json.parse;
export const parseTerraformModule = hcl2json.convertFiles;

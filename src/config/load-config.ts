import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { BatchlineError, ErrorCode, scrubCredentials } from '../errors.js';
import { type Config, type ConfigInput, configSchema, environmentKeys } from './schema.js';

export const CONFIG_FILE_NAME = 'batchline.config.json';

/** A config layer as one JSON object (for values no single variable can hold, e.g. `schedules`): above the file, below the other variables. */
export const CONFIG_JSON_VARIABLE = 'BATCHLINE_CONFIG_JSON';

/**
 * Carries the config a parent resolved to its worker processes. When set it is the whole
 * config: no file and no other variable is read, so every process runs with what the
 * parent resolved (its flags included).
 */
export const RESOLVED_CONFIG_VARIABLE = 'BATCHLINE_RESOLVED_CONFIG';

/**
 * The environment of a child process (a worker) that must run with `resolved`: this
 * process's environment plus the config, whole, which the child reads instead of file and
 * environment.
 */
export function childEnvironment(resolved: unknown): NodeJS.ProcessEnv {
  return { ...process.env, [RESOLVED_CONFIG_VARIABLE]: JSON.stringify(resolved) };
}

/** The directories of the PATH, for finding executables (redis-server). */
export function executablePath(): string {
  return process.env.PATH ?? '';
}

export interface LoadConfigOptions {
  /** The process environment (only `BATCHLINE_*` keys are read). */
  env?: NodeJS.ProcessEnv;
  /** Directory in which `batchline.config.json` is looked for. */
  cwd?: string;
  /** Explicit config file; an error if it does not exist. */
  configFile?: string;
  /** Values from command-line flags; they win over everything else. */
  overrides?: ConfigInput;
}

type Layer = { source: string; values: Record<string, unknown> };

/**
 * Builds the validated, frozen config: schema defaults, then the config file, then
 * BATCHLINE_CONFIG_JSON, then the environment, then flags; in a worker of `run`/`dev`,
 * the config its parent resolved (BATCHLINE_RESOLVED_CONFIG), then flags. The only place in batchline that reads the environment or a
 * config file. Throws a one-line E_CONFIG error naming the key, its source and the problem.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const layers: Layer[] = [];

  const resolved = env[RESOLVED_CONFIG_VARIABLE];
  if (resolved) {
    // A parent process (`run`, `dev`) hands its workers the config it resolved from file,
    // environment and flags: it is the whole config. Layering the file or the inherited
    // environment over it again would let BATCHLINE_* variables beat the parent's flags.
    layers.push({ source: RESOLVED_CONFIG_VARIABLE, values: parseJsonObject(RESOLVED_CONFIG_VARIABLE, resolved) });
  } else {
    const fileName = options.configFile ?? env.BATCHLINE_CONFIG ?? defaultConfigFile(cwd);
    if (fileName !== undefined) layers.push({ source: fileName, values: readConfigFile(path.resolve(cwd, fileName)) });
    const json = env[CONFIG_JSON_VARIABLE];
    if (json) layers.push({ source: CONFIG_JSON_VARIABLE, values: parseJsonObject(CONFIG_JSON_VARIABLE, json) });
    layers.push({ source: 'environment', values: fromEnvironment(env) });
  }
  if (options.overrides) layers.push({ source: 'command line', values: options.overrides as Record<string, unknown> });

  const merged = layers.reduce<Record<string, unknown>>((acc, layer) => deepMerge(acc, layer.values), {});
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) throw configError(parsed.error, layers);
  return deepFreeze(parsed.data);
}

function defaultConfigFile(cwd: string): string | undefined {
  return existsSync(path.join(cwd, CONFIG_FILE_NAME)) ? CONFIG_FILE_NAME : undefined;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BatchlineError(ErrorCode.CONFIG, `config file ${file} cannot be read`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BatchlineError(ErrorCode.CONFIG, `config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BatchlineError(ErrorCode.CONFIG, `config file ${file} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

function parseJsonObject(variable: string, json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    if (isPlainObject(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new BatchlineError(ErrorCode.CONFIG, `${variable} must hold a JSON object`);
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  let values: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(environmentKeys)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    values = deepMerge(values, nest(key, parseScalar(raw)));
  }
  return values;
}

/** Numbers and booleans arrive as strings; anything else stays a string for the schema to judge. */
function parseScalar(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

function nest(dottedKey: string, value: unknown): Record<string, unknown> {
  return dottedKey
    .split('.')
    .reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (isPlainObject(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

function configError(error: z.ZodError, layers: Layer[]): BatchlineError {
  const issue = error.issues[0];
  // An unknown key is reported at its parent; name the key itself.
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const pathParts = [...(issue?.path ?? []), ...(unknownKey ? [unknownKey] : [])] as PropertyKey[];
  const key = pathParts.join('.') || '(root)';
  const source = sourceOf(key, layers);
  const envName = Object.entries(environmentKeys).find(([, k]) => k === key)?.[0];
  const where = source === 'environment' && envName ? envName : source;
  // Secrets are never echoed back, not even when they are wrong.
  const secret = /password|token|apikey|secret/i.test(key);
  const got = unknownKey || secret ? undefined : valueAt(pathParts, layers);
  // A bad URL may still carry a password: never echo one back.
  const shown = got === undefined ? '' : `, got ${scrubCredentials(JSON.stringify(got))}`;
  return new BatchlineError(
    ErrorCode.CONFIG,
    `invalid config: ${key}${where ? ` (from ${where})` : ''}: ${issue?.message ?? 'invalid'}${shown}`,
  );
}

function valueAt(pathParts: PropertyKey[], layers: Layer[]): unknown {
  for (const layer of [...layers].reverse()) {
    let cursor: unknown = layer.values;
    for (const part of pathParts) cursor = isPlainObject(cursor) ? cursor[part as string] : undefined;
    if (cursor !== undefined) return cursor;
  }
  return undefined;
}

function sourceOf(key: string, layers: Layer[]): string | undefined {
  const parts = key.split('.');
  for (const layer of [...layers].reverse()) {
    if (valueAt(parts, [layer]) !== undefined) return layer.source;
  }
  return undefined;
}

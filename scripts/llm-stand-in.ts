/**
 * A local OpenAI-compatible chat completions server, for development and tests only:
 *
 *   node --import tsx scripts/llm-stand-in.ts --port 0 --latency-ms 800
 *
 * prints its base URL (`http://127.0.0.1:<port>/v1`) on stdout; point batchline at it with
 * BATCHLINE_LLM_BASE_URL=<that URL> BATCHLINE_LLM_MODEL=stand-in. Ctrl-C stops it.
 *
 * Flags (environment variable in brackets): --port [LLM_STAND_IN_PORT], --host
 * [LLM_STAND_IN_HOST], --latency-ms [LLM_STAND_IN_LATENCY_MS], --jitter-ms
 * [LLM_STAND_IN_JITTER_MS], --prompt-tokens [LLM_STAND_IN_PROMPT_TOKENS],
 * --completion-tokens [LLM_STAND_IN_COMPLETION_TOKENS], --error-rate
 * [LLM_STAND_IN_ERROR_RATE], --rate-429 [LLM_STAND_IN_RATE_429], --retry-after
 * [LLM_STAND_IN_RETRY_AFTER], --invalid-rate [LLM_STAND_IN_INVALID_RATE], --api-key
 * [LLM_STAND_IN_API_KEY], --seed [LLM_STAND_IN_SEED]. Per-document fault markers
 * (`LLM_429`, `LLM_500x2`, `LLM_BAD_JSON_ONCE`, `LLM_NEVER_VALID`, `LLM_HANG`, ...) are
 * listed in `scripts/llm-stand-in/faults.ts`. `GET /stats` counts requests; `POST /reset`
 * clears the counts. Tests start it in-process with {@link startStandIn}.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type StandInOptions, startStandIn } from './llm-stand-in/server.js';

export { parseFaults } from './llm-stand-in/faults.js';
export { maxInWindow, type StandIn, type StandInOptions, type StandInStats, startStandIn } from './llm-stand-in/server.js';

const numeric = {
  port: 'LLM_STAND_IN_PORT',
  'latency-ms': 'LLM_STAND_IN_LATENCY_MS',
  'jitter-ms': 'LLM_STAND_IN_JITTER_MS',
  'prompt-tokens': 'LLM_STAND_IN_PROMPT_TOKENS',
  'completion-tokens': 'LLM_STAND_IN_COMPLETION_TOKENS',
  'error-rate': 'LLM_STAND_IN_ERROR_RATE',
  'rate-429': 'LLM_STAND_IN_RATE_429',
  'invalid-rate': 'LLM_STAND_IN_INVALID_RATE',
  seed: 'LLM_STAND_IN_SEED',
} as const;
const textual = { host: 'LLM_STAND_IN_HOST', 'retry-after': 'LLM_STAND_IN_RETRY_AFTER', 'api-key': 'LLM_STAND_IN_API_KEY' } as const;

/** Options from flags, then the environment. */
export function standInOptionsFrom(argv: readonly string[], env: NodeJS.ProcessEnv): StandInOptions {
  const names = [...Object.keys(numeric), ...Object.keys(textual)];
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])),
    strict: true,
  });
  const pick = (flag: string, variable: string): string | undefined => (values[flag] as string | undefined) ?? env[variable];
  const number = (flag: keyof typeof numeric): number | undefined => {
    const raw = pick(flag, numeric[flag]);
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`--${flag} must be a non-negative number, got "${raw}"`);
    return value;
  };
  const options: StandInOptions = {};
  const set = <K extends keyof StandInOptions>(key: K, value: StandInOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('port', number('port'));
  set('latencyMs', number('latency-ms'));
  set('jitterMs', number('jitter-ms'));
  set('promptTokens', number('prompt-tokens'));
  set('completionTokens', number('completion-tokens'));
  set('errorRate', number('error-rate'));
  set('rate429', number('rate-429'));
  set('invalidRate', number('invalid-rate'));
  set('seed', number('seed'));
  set('host', pick('host', textual.host));
  set('retryAfter', pick('retry-after', textual['retry-after']));
  set('apiKey', pick('api-key', textual['api-key']));
  return options;
}

async function main(): Promise<void> {
  const standIn = await startStandIn(standInOptionsFrom(process.argv.slice(2), process.env));
  process.stdout.write(`${standIn.url}\n`);
  const stop = () => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const entry = process.argv[1];
if (entry !== undefined && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`llm-stand-in: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}

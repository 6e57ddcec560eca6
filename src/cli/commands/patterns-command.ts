import type { Command } from 'commander';
import { type Cache, createCache } from '../../cache/index.js';
import { systemClock } from '../../time.js';
import { type Config, redactUrl } from '../../config/index.js';
import { BatchlineError, ErrorCode } from '../../errors.js';
import { createLogger } from '../../log.js';
import {
  comparePatterns,
  FINGERPRINT_RE,
  formatPattern,
  formatPatternList,
  type PatternScope,
  PatternStore,
  parsePipelineId,
  type StoredPattern,
  summarizePattern,
} from '../../patterns/index.js';
import type { CommonFlags } from '../cli-options.js';
import { configFor, configOption, logLevelOption } from '../shared-options.js';

type PatternFlags = CommonFlags & { json?: boolean; pipeline?: string };

/**
 * Runs `fn` with a cache on the configured cache Redis (read through the cache module's
 * guarded API, like the workers), then closes it. Patterns live only there, so without a
 * cache URL, or with the cache unreachable, this fails with a clear message.
 */
async function withPatternCache<T>(config: Config, fn: (cache: Cache) => Promise<T>): Promise<T> {
  if (!config.cacheUrl) {
    throw new BatchlineError(ErrorCode.CONFIG, 'patterns live in the cache Redis: set cacheUrl (BATCHLINE_CACHE_URL) to read them');
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // A person is waiting, not a job: the operator's budget (`cache.operatorOpTimeoutMs`), not a worker's.
  const { connectTimeoutMs, operatorOpTimeoutMs } = config.cache;
  const cache = createCache({ ...config.cache, enabled: true, opTimeoutMs: operatorOpTimeoutMs }, { url: config.cacheUrl, logger, clock: systemClock });
  try {
    if (!(await cache.ready(connectTimeoutMs + operatorOpTimeoutMs))) throw unavailable(config);
    return await fn(cache);
  } finally {
    await cache.close();
  }
}

function unavailable(config: Config): BatchlineError {
  return new BatchlineError(ErrorCode.CACHE_UNAVAILABLE, `cannot read patterns: the cache Redis at ${redactUrl(config.cacheUrl)} did not answer`);
}

/** The pipeline versions with patterns: all of the namespace, or those of the pipeline (`name` or `name@version`) given. */
async function scopesOf(cache: Cache, config: Config, pipeline: string | undefined): Promise<PatternScope[]> {
  const scopes = await PatternStore.scopes(cache, config.cache.namespace);
  if (scopes === undefined) throw unavailable(config);
  const wanted = pipeline === undefined ? undefined : (parsePipelineId(pipeline) ?? { pipeline, version: undefined });
  return scopes.filter(
    (scope) => !wanted || (scope.pipeline === wanted.pipeline && (wanted.version === undefined || scope.version === wanted.version)),
  );
}

/** Every pattern of those pipeline versions, in `list` order. */
async function allPatterns(cache: Cache, config: Config, pipeline: string | undefined): Promise<StoredPattern[]> {
  const patterns: StoredPattern[] = [];
  for (const scope of await scopesOf(cache, config, pipeline)) {
    const found = await new PatternStore(cache, scope).list();
    if (found === undefined) throw unavailable(config);
    patterns.push(...found);
  }
  return patterns.sort(comparePatterns);
}

export function registerPatternsCommand(program: Command): void {
  const patterns = program
    .command('patterns')
    .description('document templates learned after each batch (kept 90 days in the cache Redis; hints for the pipeline)');

  patterns
    .command('list')
    .description('every learned pattern, per pipeline version')
    .option('--json', 'print JSON')
    .option('-p, --pipeline <pipeline>', 'only this pipeline (`name` or `name@version`)')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (flags: PatternFlags) => {
      const config = configFor(flags);
      const found = await withPatternCache(config, (cache) => allPatterns(cache, config, flags.pipeline));
      process.stdout.write(flags.json ? `${JSON.stringify(found.map(summarizePattern))}\n` : formatPatternList(found));
    });

  patterns
    .command('show')
    .description('one pattern: vocabulary, field layout, type and the counts behind them')
    .argument('<fingerprint>', 'template fingerprint (an artifact\'s `fingerprint`, or from `patterns list`)')
    .option('--json', 'print JSON (the stored pattern, counts included)')
    .option('-p, --pipeline <pipeline>', 'only this pipeline (`name` or `name@version`); else the most recently updated match')
    .addOption(configOption())
    .addOption(logLevelOption())
    .action(async (fingerprint: string, flags: PatternFlags) => {
      const config = configFor(flags);
      if (!FINGERPRINT_RE.test(fingerprint)) {
        throw new BatchlineError(ErrorCode.BAD_INPUT, `"${fingerprint.slice(0, 140)}" is not a template fingerprint`);
      }
      const pattern = await withPatternCache(config, async (cache) => {
        const found: StoredPattern[] = [];
        for (const scope of await scopesOf(cache, config, flags.pipeline)) {
          const latest = await new PatternStore(cache, scope).latest(fingerprint);
          if (latest === undefined) throw unavailable(config);
          if (latest) found.push(latest);
        }
        return found.sort((a, b) => b.updatedAt - a.updatedAt)[0];
      });
      if (!pattern) {
        throw new BatchlineError(
          ErrorCode.BAD_INPUT,
          `no pattern for fingerprint ${fingerprint} (patterns are learned after a batch holds at least patterns.minDocuments documents of a template; a restarted cache Redis holds none)`,
        );
      }
      process.stdout.write(flags.json ? `${JSON.stringify(pattern)}\n` : formatPattern(pattern));
    });
}

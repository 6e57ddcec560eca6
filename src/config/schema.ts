import { z } from 'zod';
import { hashTagOf, isClusterUrl, parseClusterUrl } from './cluster-url.js';

/**
 * The one configuration schema. Every default and unit lives here; nothing else in
 * batchline carries a configuration literal. Layers (file, environment, flags) are merged
 * by `load-config.ts` and validated here once.
 */

const redisUrl = z.string().superRefine((value, context) => {
  if (isClusterUrl(value)) {
    try {
      parseClusterUrl(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: `Redis Cluster URL: ${(error as Error).message}` });
    }
    return;
  }
  try {
    const url = new URL(value);
    if ((url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '') return;
  } catch {
    // reported below
  }
  context.addIssue({
    code: 'custom',
    message: 'must be a redis:// or rediss:// URL with a host, or a Redis Cluster as redis+cluster://host1:port1,host2:port2 (rediss+cluster:// for TLS)',
  });
});

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().nonnegative();

const queueConcurrency = z
  .object({
    /** Jobs one `default` worker process runs at once. */
    default: positiveInt.default(8),
    /** Jobs one `batch` worker process runs at once. */
    batch: positiveInt.default(8),
    /** Jobs one `patterns` worker process runs at once. */
    patterns: positiveInt.default(1),
  })
  .prefault({});

const workerSchema = z
  .object({
    concurrency: queueConcurrency,
    /** Worker processes `run` starts for the batch's queue. */
    processes: positiveInt.max(64).default(2),
    /** A job whose pipeline runs longer than this fails with E_JOB_TIMEOUT (ms). */
    jobTimeoutMs: positiveInt.default(120_000),
    /** On SIGTERM/SIGINT, active jobs get this long to finish before the worker exits and they go back to the queue (ms). */
    shutdownTimeoutMs: positiveInt.default(20_000),
    /** How long a worker's lock on a job lasts without renewal; a dead worker's jobs return after this (ms). */
    lockDurationMs: positiveInt.default(30_000),
    /** How often workers look for stalled jobs (ms). */
    stalledIntervalMs: positiveInt.default(30_000),
    /** How many times a job may stall (its worker died) before it fails. */
    maxStalledCount: nonNegativeInt.default(3),
    /** How often a worker publishes its heartbeat (state, cache health) to the broker (ms). */
    heartbeatMs: positiveInt.default(5_000),
    /**
     * Times `run` starts a worker process again in one slot after it died (its jobs come back
     * through stall detection); one more death and `run` gives up with an error instead of
     * waiting forever.
     */
    maxRestarts: nonNegativeInt.max(1_000).default(5),
    /**
     * Rate limit of the `batch` queue across all its workers (BullMQ's limiter): at most
     * `max` jobs per `duration` ms. Unset: no limit. Keeps backfills from hogging shared resources.
     */
    batchRateLimit: z.object({ max: positiveInt, duration: positiveInt }).optional(),
  })
  .prefault({});

const jobsSchema = z
  .object({
    /** Attempts per job for transient errors (bad input never retries). */
    attempts: positiveInt.max(100).default(3),
    /** First retry delay; doubles each attempt (ms). */
    backoffMs: positiveInt.default(1_000),
    /**
     * Completed document jobs kept in the broker, at most this many per queue (0: removed as
     * they complete). A document's result lives in the batch store, recorded before its job
     * completes, so a completed job holds nothing more; keeping them cost ~5 broker commands
     * per document (retention trimming) and an AOF rewrite per 20,000 documents.
     */
    keepCompletedCount: nonNegativeInt.default(0),
    /** ...and at most this old (seconds). */
    keepCompletedSeconds: nonNegativeInt.default(3_600),
    /** Failed jobs kept per queue, for inspection on the dashboard. */
    keepFailedCount: nonNegativeInt.default(10_000),
    /** Failed jobs are kept at most this old (seconds). */
    keepFailedSeconds: nonNegativeInt.default(7 * 24 * 3_600),
  })
  .prefault({});

const ingestSchema = z
  .object({
    /** Jobs per `addBulk` call (BullMQ adds each call atomically). */
    chunkSize: positiveInt.max(10_000).default(500),
    /** Ingest pauses while the queue holds more waiting jobs than this. */
    highWaterMark: positiveInt.default(20_000),
    /** Largest accepted document text, in bytes of UTF-8. */
    maxDocBytes: positiveInt.max(64 * 1_048_576).default(1_048_576),
    /** Longest accepted document id, in characters. */
    maxIdLength: positiveInt.default(512),
    /** Most documents one batch may hold; the rest are rejected. */
    maxBatchDocs: positiveInt.default(50_000_000),
    /** How long ingest keeps retrying while the broker is unreachable before it gives up (ms). */
    brokerRetryMs: nonNegativeInt.default(60_000),
  })
  .prefault({});

const resultsSchema = z
  .object({
    /** Seconds a batch's results and counters stay in the broker after its last update. */
    ttlSeconds: positiveInt.default(14 * 24 * 3_600),
    /**
     * How long a batch's progress must stand still before `run` and `status` look for
     * documents no job will finish (stranded): a look reads every pending id, too much for
     * every poll of a large batch, and a batch with stranded documents stops moving (ms).
     */
    strandedQuietMs: positiveInt.default(5_000),
  })
  .prefault({});

const cacheSchema = z
  .object({
    /** Turn the cache off entirely (`--no-cache`). */
    enabled: z.boolean().default(true),
    /** Every cache operation gets at most this long, measured by batchline's own timer (ms). */
    opTimeoutMs: positiveInt.max(10_000).default(50),
    /**
     * The budget of one cache operation when a person waits for it (`doctor`, the `patterns`
     * commands), not a job: longer than a worker's, and also what they add to
     * `connectTimeoutMs` while waiting for the first connection (ms).
     */
    operatorOpTimeoutMs: positiveInt.max(60_000).default(2_000),
    /** Key namespace in the cache Redis. */
    namespace: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/).default('batchline'),
    /** How long one attempt to connect to the cache Redis may take before it counts as failed (ms). */
    connectTimeoutMs: positiveInt.max(60_000).default(1_000),
    breaker: z
      .object({
        /** Consecutive failures that open the breaker. */
        failureThreshold: positiveInt.default(5),
        /** How long an open breaker short-circuits every call before one probe (ms). */
        openMs: positiveInt.default(300_000),
      })
      .prefault({}),
    backoff: z
      .object({
        /** First reconnect delay of the cache client (ms). */
        baseMs: positiveInt.default(100),
        /** Longest reconnect delay (ms). */
        capMs: positiveInt.default(2_000),
      })
      .prefault({}),
    l1: z
      .object({
        /** Bytes of artifacts the in-process cache may hold. */
        maxBytes: positiveInt.default(64 * 1_048_576),
        /** Longest an entry lives in the in-process cache, whatever its tier (ms). */
        ttlCapMs: positiveInt.max(2_147_483_647).default(10 * 60_000),
      })
      .prefault({}),
    /** Cache writes in flight per process; writes beyond it are dropped and counted. */
    maxWritesInFlight: positiveInt.default(256),
    claims: z
      .object({
        /**
         * A miss claims its key in the cache Redis while the pipeline runs, so a repeat on
         * another worker process waits for that artifact instead of running the pipeline too.
         */
        enabled: z.boolean().default(true),
        /** Longest a repeat waits for another process's artifact before running the pipeline itself (ms). */
        waitMs: positiveInt.max(600_000).default(30_000),
        /** Claims are made only while the pipeline takes at least this long on average (ms): below it, a repeat computed twice costs less than the claim's round trips. */
        minPipelineMs: nonNegativeInt.default(20),
      })
      .prefault({}),
  })
  .prefault({});

const semanticSchema = z
  .object({
    /** Serve near-duplicates from the cache, not only exact repeats. */
    enabled: z.boolean().default(true),
    /**
     * `strict`: serve a near-duplicate only when the two texts differ in formatting alone (case,
     * whitespace, line wrapping, quotes, invisible characters, punctuation without value,
     * paragraph order): never a wrong artifact. `similar`: serve one above `threshold` with the
     * same salient tokens; it also serves real changes the guard does not see (measured false
     * hits in BENCHMARKS.md), so use it only for pipelines whose output does not depend on every word.
     */
    mode: z.enum(['strict', 'similar']).default('strict'),
    /**
     * `similar` mode only: least estimated Jaccard similarity of word shingles for a hit. 0.75
     * was the strictest value serving ≥ 93 % of true duplicates in the eval's templated corpus.
     */
    threshold: z.number().min(0.5).max(1).default(0.75),
    /** Words per shingle. */
    shingleSize: positiveInt.max(8).default(3),
    /** MinHash permutations (signature length); bands × rows are derived from it and the threshold. */
    permutations: positiveInt.min(16).max(512).default(128),
    /** Texts with fewer words than this never get a semantic hit. */
    minWords: positiveInt.default(8),
    /** Seed of the MinHash permutations; every process must use the same one (it is part of the index id). */
    seed: nonNegativeInt.max(0xffffffff).default(1),
    /** Most documents the in-process (L1) semantic index holds (~0.7 KB each in strict mode); least recently used go first. */
    l1MaxEntries: positiveInt.default(20_000),
    /** Entries one fingerprint's bucket of the L2 (cache Redis) index keeps; beyond it the soonest-expiring are dropped on read. */
    maxBucketEntries: positiveInt.default(64),
  })
  .prefault({});

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL with a host and no credentials (the key goes in llm.apiKey)');

/**
 * The LLM step of the built-in `extract` pipeline (an OpenAI-compatible chat completions
 * endpoint). On only when both `baseUrl` and `model` are set. A stuck endpoint costs at
 * most about `(maxRetries + 1) × timeoutMs` plus the waits between retries per call: keep
 * that under `workers.jobTimeoutMs` (the defaults do), or a job times out for good
 * (E_JOB_TIMEOUT) instead of failing with E_LLM and being retried later.
 */
const llmSchema = z
  .object({
    /** Base URL of the API, e.g. `https://api.openai.com/v1`; `/chat/completions` is appended. Unset: no LLM step. */
    baseUrl: httpUrl.optional(),
    /**
     * Optional price table: turns a batch's tokens into money in `status` and the `run`
     * summary. Prices per million tokens; `currency` is only a label.
     */
    price: z
      .object({ inputPerMillion: z.number().nonnegative(), outputPerMillion: z.number().nonnegative(), currency: z.string().min(1).max(8).default('USD') })
      .strict()
      .optional(),
    /** Model sent with every request. Part of the `extract` pipeline version. Unset: no LLM step. */
    model: z.string().min(1).max(200).optional(),
    /** Sent only as `Authorization: Bearer <apiKey>`; never logged, never in errors or artifacts. Local servers may need none. */
    apiKey: z.string().min(1).optional(),
    /** Prompt template (`{{document}}`, `{{fields}}`); relative to the working directory. Unset: the bundled `examples/prompts/extract.txt`. Its text is part of the pipeline version. */
    promptFile: z.string().min(1).optional(),
    /** One HTTP request may take this long before it is abandoned and retried (ms). */
    timeoutMs: positiveInt.max(600_000).default(25_000),
    /** Retries of one request after a 429, a 5xx, a timeout or a network error (0: none). */
    maxRetries: nonNegativeInt.max(20).default(3),
    /** Wait before the first retry; doubles each retry, jittered (ms). A `Retry-After` answer replaces it. */
    retryBaseMs: positiveInt.default(500),
    /** Longest wait before a retry, `Retry-After` included (ms). */
    retryMaxMs: positiveInt.default(10_000),
    /** A reply that is not JSON or fails the reply schema is re-asked this many times; then the document fails for good (E_LLM_INVALID_REPLY). */
    maxInvalidReplies: nonNegativeInt.max(10).default(2),
    /**
     * Jobs started per window across all worker processes of a queue (BullMQ's limiter; the
     * `default` and `batch` queues each get this budget). One job makes one LLM call
     * normally; retries and re-asks inside a job are not counted, cache hits are. Unset: no limit.
     */
    requestsPerMinute: positiveInt.optional(),
    /** The rate limit's window (ms); 60 000 makes `requestsPerMinute` literal. Tests shorten it. */
    rateLimitWindowMs: positiveInt.default(60_000),
  })
  .prefault({})
  .superRefine((llm, context) => {
    if ((llm.baseUrl === undefined) !== (llm.model === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [llm.model === undefined ? 'model' : 'baseUrl'],
        message: 'llm.baseUrl and llm.model must be set together (both turn the LLM step on)',
      });
    }
  });

const dashboardSchema = z
  .object({
    /** Address the dashboard listens on. Anything but loopback requires credentials. */
    host: z.string().min(1).default('127.0.0.1'),
    /** TCP port of the dashboard, `/metrics`, `/healthz` and `/readyz`. */
    port: z.number().int().min(0).max(65_535).default(3000),
    /** Basic-auth user name (with `password`). */
    username: z.string().min(1).optional(),
    /** Basic-auth password (with `username`). Never logged. */
    password: z.string().min(1).optional(),
    /** Bearer token, as an alternative or in addition to basic auth. Never logged. */
    token: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Hide and refuse (HTTP 405) every write action: retry, clean, pause, ... */
    readOnly: z.boolean().default(false),
    /** Seconds between samples of queue depth kept for the charts. */
    sampleSeconds: positiveInt.default(30),
  })
  .prefault({})
  .refine((d) => (d.username === undefined) === (d.password === undefined), {
    message: 'username and password must be set together',
  });

const share = z.number().gt(0).max(1);

const patternsSchema = z
  .object({
    /**
     * Learn document templates after each batch (a `learn-patterns` job on the `patterns`
     * queue) and hand them to the pipeline as hints. Patterns live in the cache Redis: without
     * it (or with `cache.enabled: false`) nothing is learned and extraction works as without.
     */
    enabled: z.boolean().default(true),
    /**
     * Documents of one template (fingerprint) a batch must hold before a pattern is first
     * learned for it; once a pattern exists, later batches add whatever they saw.
     */
    minDocuments: positiveInt.default(5),
    /** Share of a template's documents a label must appear in to join its vocabulary (0-1]. */
    minLabelShare: share.default(0.8),
    /** Share of a template's documents in which a field must be non-empty to be part of its layout (0-1]. */
    minFieldShare: share.default(0.8),
    /** Share of a template's documents the most common type needs before the pattern classifies `other` documents as it (0-1]. */
    minTypeShare: share.default(0.6),
  })
  .prefault({});

const scheduleSchema = z
  .object({
    /** Unique name; scheduled batches are named `<name>-<date>`. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"'),
    /** Cron pattern (5 or 6 fields), e.g. "0 2 * * *" for 02:00 every night. */
    cron: z.string().min(9),
    /** IANA time zone of the cron pattern. */
    timezone: z.string().min(1).default('UTC'),
    /** Input files or folders, as for `batchline run` (read by the worker that runs the schedule). */
    inputs: z.array(z.string().min(1)).min(1),
    /** Queue the documents go to. */
    queue: z.enum(['default', 'batch']).default('batch'),
    /** Pipeline recorded with the batch (the `batch` workers run their configured pipeline). */
    pipeline: z.string().min(1).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    /**
     * Broker Redis (durable, noeviction). Unset: `run` starts an embedded one. A Redis Cluster
     * is given by its seed nodes: `redis+cluster://[user:password@]h1:p1,h2:p2` (`rediss+cluster://` for TLS).
     */
    brokerUrl: redisUrl.optional(),
    /** Cache Redis (disposable, allkeys-lru). Unset with a broker URL set: no L2 cache. May be a cluster URL, as brokerUrl. */
    cacheUrl: redisUrl.optional(),
    /** Allow broker and cache on one Redis instance (not recommended: their policies conflict). */
    allowSharedRedis: z.boolean().default(false),
    /** Prefix of every queue key; the braces make it a Redis Cluster hash tag. */
    queuePrefix: z.string().min(1).max(64).regex(/^[^:\s]+$/, 'must not contain ":" or spaces').default('{batchline}'),
    /** Where the embedded servers keep their files. */
    dataDir: z.string().min(1).default('.batchline'),
    /** Where `run` and `export` write results and error files. */
    outDir: z.string().min(1).default('results'),
    /** Built-in pipeline name (`extract`) or path to a pipeline module. */
    pipeline: z.string().min(1).default('extract'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Log lines on stderr: `json` (one object per line), `pretty` (one human-readable line
     * each), or `auto`: pretty when stderr is a terminal, JSON otherwise (files, pipes, CI).
     */
    logFormat: z.enum(['auto', 'json', 'pretty']).default('auto'),
    workers: workerSchema,
    jobs: jobsSchema,
    ingest: ingestSchema,
    results: resultsSchema,
    cache: cacheSchema,
    semantic: semanticSchema,
    /** Template learning on the `patterns` queue (PATTERN tier, 90 days in the cache). */
    patterns: patternsSchema,
    dashboard: dashboardSchema,
    /** The optional LLM step of the built-in `extract` pipeline. */
    llm: llmSchema,
    /** Recurring batches, applied as BullMQ job schedulers by `batchline schedule apply` (and `dev`). */
    schedules: z.array(scheduleSchema).default([]),
  })
  .strict()
  .superRefine((config, context) => {
    const names = config.schedules.map((schedule) => schedule.name);
    const repeated = names.find((name, i) => names.indexOf(name) !== i);
    if (repeated) context.addIssue({ code: 'custom', path: ['schedules'], message: `schedule name "${repeated}" is used twice` });
    if (config.brokerUrl && isClusterUrl(config.brokerUrl) && hashTagOf(config.queuePrefix) === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['queuePrefix'],
        message:
          'must hold a Redis Cluster hash tag such as {batchline} when brokerUrl is a cluster: BullMQ and the batch store run scripts over several keys, which must share one slot',
      });
    }
    if (config.brokerUrl && config.cacheUrl && !config.allowSharedRedis && sameInstance(config.brokerUrl, config.cacheUrl)) {
      context.addIssue({
        code: 'custom',
        path: ['cacheUrl'],
        message:
          'points at the same Redis as brokerUrl; the broker needs noeviction and the cache allkeys-lru, so use two instances (or set allowSharedRedis to force it)',
      });
    }
  });

const loopbackNames = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Same host (loopback names count as one) and port; the database number does not separate
 * instances. For a cluster URL, any seed node in common counts as the same instance.
 */
function sameInstance(a: string, b: string): boolean {
  const endpoints = (value: string): string[] => {
    const nodes = isClusterUrl(value)
      ? parseClusterUrl(value).nodes.map((node) => ({ host: node.host, port: String(node.port) }))
      : [{ host: new URL(value).hostname, port: new URL(value).port || '6379' }];
    return nodes.map(({ host, port }) => `${loopbackNames.has(host) ? 'loopback' : host.toLowerCase()}:${port}`);
  };
  const first = new Set(endpoints(a));
  return endpoints(b).some((endpoint) => first.has(endpoint));
}

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ConfigInput = z.input<typeof configSchema>;

/**
 * Environment variables and the config key each sets. Only these are read; values are
 * parsed as JSON when they look like numbers or booleans.
 */
export const environmentKeys: Readonly<Record<string, string>> = {
  BATCHLINE_BROKER_URL: 'brokerUrl',
  BATCHLINE_CACHE_URL: 'cacheUrl',
  BATCHLINE_ALLOW_SHARED_REDIS: 'allowSharedRedis',
  BATCHLINE_QUEUE_PREFIX: 'queuePrefix',
  BATCHLINE_DATA_DIR: 'dataDir',
  BATCHLINE_OUT_DIR: 'outDir',
  BATCHLINE_PIPELINE: 'pipeline',
  BATCHLINE_LOG_LEVEL: 'logLevel',
  BATCHLINE_LOG_FORMAT: 'logFormat',
  BATCHLINE_CONCURRENCY_DEFAULT: 'workers.concurrency.default',
  BATCHLINE_CONCURRENCY_BATCH: 'workers.concurrency.batch',
  BATCHLINE_CONCURRENCY_PATTERNS: 'workers.concurrency.patterns',
  BATCHLINE_WORKER_PROCESSES: 'workers.processes',
  BATCHLINE_JOB_TIMEOUT_MS: 'workers.jobTimeoutMs',
  BATCHLINE_SHUTDOWN_TIMEOUT_MS: 'workers.shutdownTimeoutMs',
  BATCHLINE_CACHE_ENABLED: 'cache.enabled',
  BATCHLINE_CACHE_TIMEOUT_MS: 'cache.opTimeoutMs',
  BATCHLINE_SEMANTIC_ENABLED: 'semantic.enabled',
  BATCHLINE_SEMANTIC_MODE: 'semantic.mode',
  BATCHLINE_PATTERNS_ENABLED: 'patterns.enabled',
  BATCHLINE_PATTERNS_MIN_DOCUMENTS: 'patterns.minDocuments',
  BATCHLINE_MAX_DOC_BYTES: 'ingest.maxDocBytes',
  BATCHLINE_MAX_ID_LENGTH: 'ingest.maxIdLength',
  BATCHLINE_MAX_BATCH_DOCS: 'ingest.maxBatchDocs',
  BATCHLINE_DASHBOARD_HOST: 'dashboard.host',
  BATCHLINE_DASHBOARD_PORT: 'dashboard.port',
  BATCHLINE_DASHBOARD_USER: 'dashboard.username',
  BATCHLINE_DASHBOARD_PASSWORD: 'dashboard.password',
  BATCHLINE_DASHBOARD_TOKEN: 'dashboard.token',
  BATCHLINE_DASHBOARD_READ_ONLY: 'dashboard.readOnly',
  BATCHLINE_LLM_BASE_URL: 'llm.baseUrl',
  BATCHLINE_LLM_MODEL: 'llm.model',
  BATCHLINE_LLM_API_KEY: 'llm.apiKey',
  BATCHLINE_LLM_PROMPT_FILE: 'llm.promptFile',
  BATCHLINE_LLM_TIMEOUT_MS: 'llm.timeoutMs',
  BATCHLINE_LLM_MAX_RETRIES: 'llm.maxRetries',
  BATCHLINE_LLM_MAX_INVALID_REPLIES: 'llm.maxInvalidReplies',
  BATCHLINE_LLM_RPM: 'llm.requestsPerMinute',
  BATCHLINE_LLM_RATE_WINDOW_MS: 'llm.rateLimitWindowMs',
};

/**
 * The one error module. Every error batchline raises on purpose is a `BatchlineError`
 * with a stable `code` (for logs, results and tests) and, where there is one, the
 * original `cause`. Use the type guards instead of `instanceof`, so errors that crossed a
 * process boundary (job failure reasons) or a second copy of the package still match.
 */

export const ErrorCode = {
  /** A configuration value is missing or invalid. Exit code 2. */
  CONFIG: 'E_CONFIG',
  /** The command line names something that is not there: an input path, a batch. Exit code 2. */
  USAGE: 'E_USAGE',
  /** An input record is malformed; the record is rejected, never retried. */
  BAD_INPUT: 'E_BAD_INPUT',
  /** `redis-server` is not on the PATH or an embedded server could not start. Exit code 2. */
  NO_REDIS_SERVER: 'E_NO_REDIS_SERVER',
  /** Another process owns the embedded broker's data directory. Exit code 2. */
  DATA_DIR_LOCKED: 'E_DATA_DIR_LOCKED',
  /** The broker Redis cannot be reached. */
  BROKER_UNAVAILABLE: 'E_BROKER_UNAVAILABLE',
  /**
   * The broker answers but refuses the command (out of memory, cannot persist, read-only,
   * still loading; see `brokerRefusalOf`) or rejects it with another error.
   */
  BROKER_REFUSED: 'E_BROKER_REFUSED',
  /** Documents of a batch have no result and no job that will give them one; ingesting the batch again enqueues them. */
  STRANDED: 'E_STRANDED',
  /** The pipeline threw for a document; the document is failed, the batch goes on. */
  PIPELINE: 'E_PIPELINE',
  /** The pipeline did not finish within the per-job time limit. */
  JOB_TIMEOUT: 'E_JOB_TIMEOUT',
  /** A user pipeline module could not be loaded or does not have the right shape. */
  PIPELINE_LOAD: 'E_PIPELINE_LOAD',
  /** Writing results or error files failed. */
  SINK: 'E_SINK',
  /** A cache operation ran past its time budget; it is a miss, never a job failure. */
  CACHE_TIMEOUT: 'E_CACHE_TIMEOUT',
  /** The cache Redis is not connected; the operation is a miss, never a job failure. */
  CACHE_UNAVAILABLE: 'E_CACHE_UNAVAILABLE',
  /** The LLM endpoint kept failing (429, 5xx, timeouts, network) past `llm.maxRetries`; the job is retried later. */
  LLM: 'E_LLM',
  /** The LLM endpoint refused the request (4xx other than 408/429: bad key, model, request); permanent. */
  LLM_REJECTED: 'E_LLM_REJECTED',
  /** The LLM's reply was not valid JSON or failed the reply schema, `llm.maxInvalidReplies` re-asks included; permanent. */
  LLM_INVALID_REPLY: 'E_LLM_INVALID_REPLY',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const brand = Symbol.for('batchline.error');

export class BatchlineError extends Error {
  readonly [brand] = true;
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BatchlineError';
    this.code = code;
  }
}

export function isBatchlineError(value: unknown): value is BatchlineError {
  return typeof value === 'object' && value !== null && brand in value;
}

export function hasCode(value: unknown, code: ErrorCode): value is BatchlineError {
  return isBatchlineError(value) && value.code === code;
}

/** Errors that mean "fix your setup": the CLI prints one line and exits 2. */
const usageCodes: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.CONFIG,
  ErrorCode.USAGE,
  // Thrown up to the CLI only for what the user typed (a batch id, a fingerprint); records are rejected, never thrown.
  ErrorCode.BAD_INPUT,
  ErrorCode.NO_REDIS_SERVER,
  ErrorCode.DATA_DIR_LOCKED,
  ErrorCode.PIPELINE_LOAD,
]);

export function exitCodeFor(error: unknown): number {
  return isBatchlineError(error) && usageCodes.has(error.code) ? 2 : 1;
}

/** The message of anything thrown, without assuming it is an Error. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The server a connection error is about, and where the user sets its URL. */
export interface ConnectionTarget {
  /** `broker` or `cache`. */
  readonly server: string;
  /** Its URL (only host and port are ever shown). */
  readonly url: string;
  /** The config key and the variable that hold the URL: what the user must fix. */
  readonly key: string;
  readonly variable: string;
}

/** What went wrong when connecting, as one line: the cause and the key to fix. */
export interface ConnectionProblem {
  kind: 'wrong-password' | 'no-password' | 'refused' | 'unknown-host' | 'tls-untrusted' | 'tls-to-plain' | 'plain-to-tls' | 'unreachable' | 'other';
  /** True when waiting cannot help (the config must change); false when the server may just be starting. */
  permanent: boolean;
  message: string;
}

const tlsTrustCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * The one classifier of Redis connection errors (ioredis for the broker, node-redis for the
 * cache): turns "Connection is closed." and friends into a cause a person can act on, naming
 * the config key and variable to fix. `error` is the client's last `error` event (or what the
 * call threw); `timedOutMs` says the attempt got no answer at all. Never prints a password:
 * only host and port of the URL appear, and messages are scrubbed of URL credentials.
 */
export function classifyConnectionError(cause: unknown, target: ConnectionTarget, timedOutMs?: number): ConnectionProblem {
  // ioredis's Cluster reports "Failed to refresh slots cache." and keeps the cause, the last node's error, inside.
  const error = (cause as { lastNodeError?: unknown } | undefined)?.lastNodeError ?? cause;
  const { host, port, tls } = endpointOf(target.url);
  const where = port ? `${host}:${port}` : host;
  const fix = `${target.key} (${target.variable})`;
  const code = errorCodeOf(error);
  const text = error === undefined ? '' : scrubCredentials(messageOf(error));
  const problem = (kind: ConnectionProblem['kind'], permanent: boolean, message: string): ConnectionProblem => ({ kind, permanent, message });

  if (/WRONGPASS|invalid username-password|invalid password/i.test(text)) {
    return problem('wrong-password', true, `the ${target.server} at ${where} refused the user name or password (WRONGPASS): correct them in ${fix}`);
  }
  if (/NOAUTH|Authentication required/i.test(text)) {
    return problem('no-password', true, `the ${target.server} at ${where} requires a password (NOAUTH): add it to ${fix} as ${port ? 'redis' : 'redis+cluster'}://:PASSWORD@${where}`);
  }
  if (!port && code === undefined && /Connection is closed|None of startup nodes/i.test(text)) {
    // ioredis's Cluster drops the socket error (refused, reset, TLS): name the likely causes.
    return problem(
      'unreachable',
      false,
      `no seed node of the ${target.server} cluster at ${where} answered: check that the cluster is up, the seed nodes in ${fix}, and rediss+cluster:// if it requires TLS`,
    );
  }
  if (code === 'ECONNREFUSED') {
    return problem('refused', false, `nothing listens on ${where} (connection refused): start the ${target.server}, or correct host and port in ${fix}`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return problem('unknown-host', false, `host "${host}" does not resolve (${code}): correct the host in ${fix}`);
  }
  if (code !== undefined && tlsTrustCodes.has(code)) {
    return problem(
      'tls-untrusted',
      true,
      `the ${target.server}'s TLS certificate at ${where} is not trusted (${code}): trust its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem, or correct the host in ${fix}`,
    );
  }
  if (tls && (timedOutMs !== undefined || code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'EPROTO' || /wrong version number|packet length|timeout/i.test(text))) {
    return problem(
      'tls-to-plain',
      false,
      `no TLS handshake with ${where}: the ${target.server} seems to speak plain Redis; use redis:// instead of rediss:// in ${fix}`,
    );
  }
  if (!tls && (code === 'ECONNRESET' || code === 'EPIPE' || /socket closed unexpectedly|Connection is closed/i.test(text))) {
    return problem(
      'plain-to-tls',
      false,
      `${where} closed the connection at once: the ${target.server} may require TLS; use rediss:// instead of redis:// in ${fix}`,
    );
  }
  if (timedOutMs !== undefined || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(text)) {
    const after = timedOutMs !== undefined ? ` within ${timedOutMs} ms` : '';
    return problem('unreachable', false, `no answer from ${where}${after}${code ? ` (${code})` : ''}: check that the ${target.server} is up and reachable at ${fix}`);
  }
  return problem('other', false, `${text || 'connection failed'}: check ${fix}`);
}

function endpointOf(url: string): { host: string; port: string; tls: boolean } {
  // A cluster URL names its seed nodes (h1:p1,h2:p2): they stand for the host, with no port of their own.
  const cluster = /^(rediss?)\+cluster:\/\/(?:.*@)?([^/@]+)\/?$/i.exec(url);
  if (cluster) return { host: cluster[2] as string, port: '', tls: cluster[1]?.toLowerCase() === 'rediss' };
  try {
    const parsed = new URL(url);
    return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '(no host)', port: parsed.port || '6379', tls: parsed.protocol === 'rediss:' };
  } catch {
    return { host: '(invalid url)', port: '?', tls: false };
  }
}

/** The errno-style code of an error or of its cause (node-redis wraps socket errors). */
function errorCodeOf(error: unknown): string | undefined {
  for (let cursor: unknown = error, depth = 0; cursor && depth < 4; depth++) {
    const code = (cursor as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cursor = (cursor as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `//user:password@` in any text becomes `//***@`. */
export function scrubCredentials(text: string): string {
  return text.replace(/(\/\/)[^@/\s"]*@/g, '$1***@');
}

/**
 * Replies by which a reachable broker refuses commands for a while: infrastructure
 * failures, never a document's fault. Each with the cause to name in messages.
 */
const brokerRefusals: Readonly<Record<string, string>> = {
  OOM: 'out of memory (used memory is above maxmemory, and noeviction keeps every key)',
  MISCONF: 'unable to persist (MISCONF: its last background save failed, so it refuses writes)',
  READONLY: 'read-only (this is a replica, not the primary)',
  LOADING: 'still loading its data set into memory',
  BUSY: 'busy running a long script',
  MASTERDOWN: 'a replica that lost its primary',
  TRYAGAIN: 'moving keys between cluster nodes',
  CLUSTERDOWN: 'a cluster that is down',
};

/**
 * The cause, in words, when the error is a broker refusal (`OOM`, `MISCONF`, `READONLY`,
 * `LOADING`, ...), also inside a script or a transaction; undefined for anything else.
 */
export function brokerRefusalOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const prefix = /^([A-Z]+)\b/.exec(messageOf(error))?.[1];
  if (prefix !== undefined && prefix in brokerRefusals) return brokerRefusals[prefix];
  // EXECABORT: a transaction refused because a queued command was; ioredis keeps those errors.
  const previous = (error as { previousErrors?: unknown }).previousErrors;
  if (Array.isArray(previous)) for (const inner of previous) {
    const cause = brokerRefusalOf(inner);
    if (cause) return cause;
  }
  return undefined;
}

/** True for an error reply from the broker (as opposed to a connection that failed). */
export function isBrokerReply(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ReplyError';
}

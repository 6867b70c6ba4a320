/**
 * Whether a failure is the infrastructure's (a dependency down, busy or full: the same call succeeds
 * once it is back) and, if so, a short bounded label for it (a metric label): `ECONNREFUSED`,
 * `postgres:57P01`, `redis:LOADING`, `kafka:retriable`. Shared by the Kafka consumers (pause and
 * retry a record, never dead-letter it) and by `startService` (wait for a dependency at start
 * instead of exiting).
 */

/** Node system errors (network, file system) that say the infrastructure, not the record, failed. */
const transientSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND', // a compose service name that does not resolve while its container restarts
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOSPC',
  'EDQUOT',
  'EMFILE',
  'ENFILE',
  'EIO',
  'EAGAIN',
  'EBUSY',
  // permissions of a data directory (a volume mounted read-only, an owner changed): fixed by an operator
  'EACCES',
  'EPERM',
  'EROFS',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'PLT_KFK_NETWORK',
  'PLT_KFK_TIMEOUT',
]);

/** SQLSTATEs of an unavailable or overloaded PostgreSQL (by class, or exactly). */
const transientSqlStateClasses = ['08', '53', '58']; // connection, insufficient resources, system (I/O) error
const transientSqlStates = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '55P03']);

/** Redis replies that say the server cannot serve now (loading, a replica, a failover, out of memory or disk). */
const transientRedisReply =
  /^(LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY|NOREPLICAS|MISCONF|OOM)\b/;

/** Errors without a code whose message names a broken connection (pg, pg-pool, ioredis, node-redis). */
const transientMessages: readonly [RegExp, string][] = [
  [/Connection terminated|not queryable|timeout exceeded when trying to connect/i, 'postgres:connection'],
  [
    /Connection is closed|Stream isn't writeable|max retries per request|Command timed out/i,
    'redis:connection',
  ],
  [/Socket closed unexpectedly|The client is closed/i, 'redis:connection'],
  // DuckDB and other native writers report I/O failures in text only
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
  [/Permission denied/i, 'EACCES'],
];

const transientNames: ReadonlyMap<string, string> = new Map([
  ['MaxRetriesPerRequestError', 'redis:connection'],
  ['ClientClosedError', 'redis:connection'],
  ['SocketClosedUnexpectedlyError', 'redis:connection'],
  ['ConnectionTimeoutError', 'redis:connection'],
  ['TimeoutError', 'timeout'], // AbortSignal.timeout
  ['AbortError', 'aborted'], // the runner is stopping: the run is abandoned, not dead-lettered
]);

export interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly severity?: unknown;
  readonly retriable?: unknown;
  readonly canRetry?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
  readonly originalError?: unknown;
  readonly syscall?: unknown;
}

/** The error, its causes, and the members of aggregate errors, outermost first (bounded, cycle-safe). */
export function causeChain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 32) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null || seen.has(e)) continue;
    seen.add(e);
    const like = e as ErrorLike;
    out.push(like);
    queue.push(like.cause, like.originalError);
    if (Array.isArray(like.errors)) queue.push(...like.errors);
  }
  return out;
}

/** The first infrastructure failure in the error's cause chain, or undefined. */
export function infrastructureFailureReason(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    const reason = infrastructureReason(e);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/** Wrappers whose `retriable` says nothing of their cause (a consumer's handler wrapper, a failed start step). */
const verdictlessWrappers = new Set(['HandlerError', 'StartupError']);

/**
 * A library's own verdict (kafkajs `retriable`, @platformatic/kafka `canRetry`, StreamkitError
 * `retriable`) somewhere in the chain, as a reason label; undefined when none says retriable.
 */
export function retriableVerdictReason(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    if (typeof e.name === 'string' && verdictlessWrappers.has(e.name)) continue;
    if (e.retriable === true || e.canRetry === true) return retriableReason(e);
  }
  return undefined;
}

/** Infrastructure first, then a library's retriable verdict: what a start step may wait out. */
export function transientFailureReason(error: unknown): string | undefined {
  return infrastructureFailureReason(error) ?? retriableVerdictReason(error);
}

/** One error's infrastructure label (not its causes'), or undefined. */
function infrastructureReason(e: ErrorLike): string | undefined {
  const state = sqlState(e);
  if (state !== undefined) {
    // FATAL and PANIC end the session: the server (or its configuration) is the problem, not the row
    const fatal = e.severity === 'FATAL' || e.severity === 'PANIC';
    if (fatal || transientSqlStates.has(state) || transientSqlStateClasses.includes(state.slice(0, 2)))
      return `postgres:${state}`;
    return undefined;
  }
  if (typeof e.code === 'string' && transientSystemCodes.has(e.code)) return e.code;
  const message = typeof e.message === 'string' ? e.message : '';
  const reply = transientRedisReply.exec(message);
  // ioredis ReplyError, node-redis ErrorReply / SimpleError
  if (reply !== null && typeof e.name === 'string' && /Reply|SimpleError/.test(e.name))
    return `redis:${reply[1]}`;
  if (typeof e.name === 'string') {
    const named = transientNames.get(e.name);
    if (named !== undefined) return named;
  }
  if (e.code === undefined)
    for (const [pattern, reason] of transientMessages) if (pattern.test(message)) return reason;
  return undefined;
}

/** A PostgreSQL error's SQLSTATE (pg's DatabaseError carries `code` and `severity`). */
export function sqlState(e: ErrorLike): string | undefined {
  return typeof e.code === 'string' && typeof e.severity === 'string' && /^[0-9A-Z]{5}$/.test(e.code)
    ? e.code
    : undefined;
}

function retriableReason(e: ErrorLike): string {
  const name = typeof e.name === 'string' ? e.name : 'Error';
  if (
    name.startsWith('KafkaJS') ||
    (typeof e.code === 'string' && e.code.startsWith('PLT_KFK_')) ||
    /Kafka/.test(name)
  )
    return 'kafka:retriable';
  return `retriable:${name}`;
}

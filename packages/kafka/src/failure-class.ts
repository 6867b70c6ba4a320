import { describeError, PoisonError } from '@streamkit/runtime';
import { SchemaValidationError } from '@streamkit/schemas';

/**
 * Transient versus poison: what a consumer does with a handler's failure.
 * - transient: what the service stands on is down or busy (network, PostgreSQL, Redis, Kafka, the
 *   disk). The same record will succeed once it is back: pause and retry for as long as it takes,
 *   never dead-letter. `reason` is a short, bounded label (a metric label), e.g. `ECONNREFUSED`,
 *   `postgres:57P01`, `redis:LOADING`, `kafka:retriable`.
 * - poison: the record itself fails. `marked` (a PoisonError of @streamkit/runtime: the handler says so) and
 *   `invalid-data` (schema validation, PostgreSQL data and constraint errors) fail the same way
 *   every time and are dead-lettered without retries; `unclassified` (anything else, e.g. a bug)
 *   gets the bounded retry policy first.
 */
export type FailureClass =
  | { readonly kind: 'transient'; readonly reason: string; readonly message: string }
  | {
      readonly kind: 'poison';
      readonly reason: 'marked' | 'invalid-data' | 'unclassified';
      readonly message: string;
    };

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
/** Data exceptions and integrity constraint violations: the record's values are the problem. */
const invalidDataSqlStateClasses = ['22', '23'];

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

interface ErrorLike {
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

/** Classifies a handler's failure (its cause chain and aggregated errors included). */
export function classifyFailure(error: unknown): FailureClass {
  const chain = causeChain(error);
  const message = chainMessage(error);
  if (chain.some(isMarkedPoison)) return { kind: 'poison', reason: 'marked', message };
  for (const e of chain) {
    const reason = infrastructureReason(e);
    if (reason !== undefined) return { kind: 'transient', reason, message };
  }
  if (chain.some(isInvalidData)) return { kind: 'poison', reason: 'invalid-data', message };
  // a library's own verdict (kafkajs `retriable`, @platformatic/kafka `canRetry`, StreamkitError)
  for (const e of chain) {
    if (e.name === 'HandlerError') continue; // our wrapper of every handler failure says nothing
    if (e.retriable === true || e.canRetry === true)
      return { kind: 'transient', reason: retriableReason(e), message };
  }
  return { kind: 'poison', reason: 'unclassified', message };
}

/** The error, its causes, and the members of aggregate errors, outermost first (bounded, cycle-safe). */
function causeChain(error: unknown): ErrorLike[] {
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

/**
 * What failed, from the outside in ("reading card states failed: Connection is closed."): each
 * cause's message once, without our HandlerError wrapper (its topic, partition and offsets are said
 * elsewhere).
 */
function chainMessage(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (
    let e = error;
    e !== undefined && e !== null && !seen.has(e) && parts.length < 8;
    e = (e as ErrorLike).cause
  ) {
    seen.add(e);
    if ((e as ErrorLike).name === 'HandlerError') continue;
    const text = describeError(e);
    if (!parts.some((p) => p.includes(text))) parts.push(text);
  }
  return parts.join(': ') || describeError(error);
}

function isMarkedPoison(e: ErrorLike): boolean {
  return PoisonError.is(e);
}

function isInvalidData(e: ErrorLike): boolean {
  if (e instanceof SchemaValidationError || e.name === 'SchemaValidationError') return true;
  const state = sqlState(e);
  return state !== undefined && invalidDataSqlStateClasses.includes(state.slice(0, 2));
}

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
function sqlState(e: ErrorLike): string | undefined {
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

import {
  causeChain,
  describeError,
  type ErrorLike,
  infrastructureFailureReason,
  PoisonError,
  retriableVerdictReason,
  sqlState,
} from '@streamkit/runtime';
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

/** Data exceptions and integrity constraint violations: the record's values are the problem. */
const invalidDataSqlStateClasses = ['22', '23'];

/** Classifies a handler's failure (its cause chain and aggregated errors included). */
export function classifyFailure(error: unknown): FailureClass {
  const chain = causeChain(error);
  const message = chainMessage(error);
  if (chain.some(isMarkedPoison)) return { kind: 'poison', reason: 'marked', message };
  const infrastructure = infrastructureFailureReason(error);
  if (infrastructure !== undefined) return { kind: 'transient', reason: infrastructure, message };
  if (chain.some(isInvalidData)) return { kind: 'poison', reason: 'invalid-data', message };
  // a library's own verdict (kafkajs `retriable`, @platformatic/kafka `canRetry`, StreamkitError)
  const verdict = retriableVerdictReason(error);
  if (verdict !== undefined) return { kind: 'transient', reason: verdict, message };
  return { kind: 'poison', reason: 'unclassified', message };
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

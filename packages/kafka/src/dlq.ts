import { dlqTopicName } from '@streamkit/schemas';
import type { RawRecord } from './entries.ts';
import type { FailureClass } from './failure-class.ts';
import type { OutgoingRecord } from './records.ts';

/**
 * invalid: undecodable or schema-invalid; poison: the handler marked it (PoisonError) or its data
 * broke a validation or constraint; unprocessable: the handler kept failing on it for another reason.
 * Never an outage: transient failures are retried until they pass.
 */
export type DlqErrorKind = 'invalid' | 'poison' | 'unprocessable';

/** The kind a quarantined record's DLQ entry carries. */
export function dlqKindOf(failure: FailureClass): DlqErrorKind {
  return failure.kind === 'poison' && failure.reason !== 'unclassified' ? 'poison' : 'unprocessable';
}

/** Headers every dead-lettered record carries (beside the original headers). */
export const dlqHeaders = Object.freeze({
  reason: 'x-dlq-reason',
  sourceTopic: 'x-dlq-source-topic',
  sourcePartition: 'x-dlq-source-partition',
  sourceOffset: 'x-dlq-source-offset',
  errorKind: 'x-dlq-error-kind',
});

const MAX_REASON_LENGTH = 2000;

/** The record to write to `<topic>.dlq`: same key, original value bytes and headers, plus why and from where. */
export function dlqRecord(
  raw: RawRecord,
  kind: DlqErrorKind,
  reason: string,
): { topic: string; message: OutgoingRecord } {
  const clipped = reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
  return {
    topic: dlqTopicName(raw.topic),
    message: {
      key: raw.key,
      value: raw.value,
      headers: {
        ...raw.headers,
        [dlqHeaders.reason]: clipped,
        [dlqHeaders.sourceTopic]: raw.topic,
        [dlqHeaders.sourcePartition]: String(raw.partition),
        [dlqHeaders.sourceOffset]: raw.offset,
        [dlqHeaders.errorKind]: kind,
      },
    },
  };
}

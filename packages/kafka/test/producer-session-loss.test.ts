import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { sessionLossReason } from '../src/producer-session.ts';

// the errors as kafkajs's retrier hands them to sendBatch's caller (src/retry/index.js)
// (the kafkajs typings leave out the protocol error's fields and the wrapper's cause)
const protocolError = (type: string, code: number) =>
  Object.assign(new KafkaJSProtocolError(`broker said ${type}`), { type, code, retriable: false });
const nonRetriable = (cause: Error) => Object.assign(new KafkaJSNonRetriableError(cause), { cause });

describe('kafkajs producer session', () => {
  it('is renewed after the errors that leave kafkajs with sequences the broker refuses, not others', () => {
    const outOfOrder = protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
    expect(sessionLossReason(nonRetriable(outOfOrder))).toBe('out_of_order_sequence');
    expect(sessionLossReason(protocolError('UNKNOWN_PRODUCER_ID', 59))).toBe('unknown_producer_id');
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', 10);
    expect(sessionLossReason(nonRetriable(tooLarge))).toBeUndefined();
    expect(sessionLossReason(new Error('Connection error: connect ECONNREFUSED'))).toBeUndefined();
  });
});

import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { lostSession } from '../src/kafkajs/producer.ts';

// the errors as kafkajs's retrier hands them to sendBatch's caller (src/retry/index.js)
const protocolError = (type: string, code: number) =>
  new KafkaJSProtocolError({ type, code, retriable: false, message: `broker said ${type}` });

describe('kafkajs producer session', () => {
  it('is renewed after the errors that leave kafkajs with sequences the broker refuses, not others', () => {
    const outOfOrder = protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 45);
    expect(lostSession(new KafkaJSNonRetriableError(outOfOrder, { cause: outOfOrder }))).toBe(true);
    expect(lostSession(protocolError('UNKNOWN_PRODUCER_ID', 59))).toBe(true);
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', 10);
    expect(lostSession(new KafkaJSNonRetriableError(tooLarge, { cause: tooLarge }))).toBe(false);
    expect(lostSession(new Error('Connection error: connect ECONNREFUSED'))).toBe(false);
  });
});

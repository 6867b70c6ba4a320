import type { Logger } from '@streamkit/runtime';
import { defineTopic, type Payment, paymentValidator, type TopicDef } from '@streamkit/schemas';
import { uniqueName } from '@streamkit/testkit';
import { createKafka, type KafkaClient, type KafkaClientKind } from '../src/index.ts';

/** A fresh payments topic (name unique to this test file), keyed by card like the real one. */
export function freshPaymentsTopic(prefix = 'payments'): TopicDef<Payment> {
  return defineTopic(uniqueName(prefix), paymentValidator, (p) => p.cardId);
}

export function payment(cardId: string, seq: number, overrides: Partial<Payment> = {}): Payment {
  return {
    paymentId: `${cardId}-p${seq}`,
    cardId,
    accountId: `acct-${cardId}`,
    merchantId: 'm-1',
    mcc: '5411',
    amount: seq + 1,
    currency: 'EUR',
    country: 'DE',
    ts: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)).toISOString(),
    ...overrides,
  };
}

/** Collects warnings and errors so a test can assert on them; quiet otherwise. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, fields?: Readonly<Record<string, unknown>>) => {
    lines.push(
      fields?.error === undefined ? `${level} ${message}` : `${level} ${message}: ${String(fields.error)}`,
    );
  };
  return { lines, error: keep('error'), warn: keep('warn'), info: () => undefined, debug: () => undefined };
}

/** The client libraries the behaviour tests run against (describe.each). */
export const clientKinds: readonly KafkaClientKind[] = ['kafkajs', 'platformatic'];

export function testKafka(
  brokers: readonly string[],
  logger: Logger = recordingLogger(),
  client: KafkaClientKind = 'kafkajs',
): KafkaClient {
  return createKafka({ brokers, clientId: uniqueName('kafka-test'), logger, client });
}

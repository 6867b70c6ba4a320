import { describe, expect, it } from 'vitest';
import {
  defineTopic,
  dlqTopicName,
  prevalidatedTopic,
  type TopicDef,
  topics,
  userEventValidator,
} from '../src/index.ts';
import {
  exampleAccessLog,
  exampleFraudAlert,
  exampleIotAlert,
  examplePayment,
  examplePaymentDecision,
  exampleSensorReading,
  exampleUserEvent,
} from './examples.ts';

// each topic with a valid example, its expected name and the key that example must be partitioned by
const expected: ReadonlyArray<[keyof typeof topics, string, unknown, string]> = [
  ['payments', 'payments', examplePayment, examplePayment.cardId],
  ['paymentDecisions', 'payments.decisions', examplePaymentDecision, examplePaymentDecision.cardId],
  ['fraudAlerts', 'fraud.alerts', exampleFraudAlert, exampleFraudAlert.cardId],
  ['ecommerceEvents', 'ecommerce.events', exampleUserEvent, exampleUserEvent.userId],
  ['iotTelemetry', 'iot.telemetry', exampleSensorReading, exampleSensorReading.deviceId],
  ['iotAlerts', 'iot.alerts', exampleIotAlert, exampleIotAlert.deviceId],
  ['logsHttp', 'logs.http', exampleAccessLog, exampleAccessLog.host],
];

describe('topics', () => {
  it('covers exactly the listed topics', () => {
    expect(Object.keys(topics).sort()).toEqual(expected.map(([key]) => key).sort());
  });

  it.each(expected)(
    '%s is named %s, validates its event and keys it by entity',
    (key, name, example, partitionKey) => {
      const topic = topics[key] as TopicDef<unknown>;
      expect(topic.name).toBe(name);
      expect(topic.validator.validate(example)).toEqual({ ok: true, value: example });
      expect(topic.keyOf(example)).toBe(partitionKey);
    },
  );

  it('has unique names that are valid, lower-case Kafka topic names', () => {
    const names = Object.values(topics).map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9.]*$/);
  });

  it('never lets one topic accept another topic’s events', () => {
    for (const [key, , example] of expected) {
      for (const [otherKey] of expected) {
        if (otherKey === key) continue;
        expect(topics[otherKey].validator.is(example), `${otherKey} accepted a ${key} event`).toBe(false);
      }
    }
  });

  it('is frozen, as is each topic', () => {
    expect(Object.isFrozen(topics)).toBe(true);
    for (const topic of Object.values(topics)) expect(Object.isFrozen(topic)).toBe(true);
  });
});

describe('dlqTopicName and defineTopic', () => {
  it('appends ".dlq"', () => {
    expect(dlqTopicName('payments')).toBe('payments.dlq');
    expect(dlqTopicName(topics.iotTelemetry.name)).toBe('iot.telemetry.dlq');
  });

  it('builds a topic from a name, a validator and a key function', () => {
    const topic = defineTopic('test.events', userEventValidator, (e) => e.sessionId);
    expect(topic.name).toBe('test.events');
    expect(topic.validator).toBe(userEventValidator);
    expect(topic.keyOf(exampleUserEvent)).toBe('sess-77');
  });
});

describe('prevalidatedTopic', () => {
  it('keeps name, key and schema, skips the check, and is one instance per topic', () => {
    const topic = defineTopic('test.events', userEventValidator, (e) => e.sessionId);
    const trusted = prevalidatedTopic(topic);
    expect(trusted.name).toBe('test.events');
    expect(trusted.validator.schema).toBe(topic.validator.schema);
    expect(trusted.validator.validate({ not: 'an event' }).ok).toBe(true);
    expect(topic.validator.validate({ not: 'an event' }).ok).toBe(false);
    expect(prevalidatedTopic(topic)).toBe(trusted);
  });
});

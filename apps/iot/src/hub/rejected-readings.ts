import { dlqHeaders, type TypedProducer } from '@streamkit/kafka';
import { compileValidator, defineTopic, dlqTopicName, type TopicDef } from '@streamkit/schemas';
import Type from 'typebox';
import type { IotTopics } from '../common/topics.ts';

// A DLQ record keeps what the device sent, so any JSON value is acceptable here.
const anyValue = compileValidator('rejected reading', Type.Unknown());

/** `<telemetry>.dlq`, written by the hub with readings that failed validation. */
export function rejectedReadingsTopic(topics: IotTopics): TopicDef<unknown> {
  return defineTopic(dlqTopicName(topics.telemetry.name), anyValue, () => 'unknown');
}

export interface RejectedReading {
  /** The payload as parsed JSON, or its text when it was not JSON. */
  readonly value: unknown;
  /** The device the payload claims or the topic names, used as the record key. */
  readonly deviceId: string | undefined;
  readonly reason: string;
  /** Where it came from, e.g. "mqtt:devices/d-1/telemetry" or "http:/ingest". */
  readonly source: string;
}

/** Writes rejected readings to the DLQ with the same headers as @streamkit/kafka's consumers use. */
export function sendRejected(producer: TypedProducer, topic: TopicDef<unknown>, rejected: RejectedReading) {
  return producer.send(topic, [
    {
      value: rejected.value,
      key: rejected.deviceId ?? 'unknown',
      headers: {
        [dlqHeaders.reason]: rejected.reason.slice(0, 2000),
        [dlqHeaders.errorKind]: 'invalid',
        [dlqHeaders.sourceTopic]: rejected.source,
      },
    },
  ]);
}

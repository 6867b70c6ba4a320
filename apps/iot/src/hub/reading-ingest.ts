import type { TypedProducer } from '@streamkit/kafka';
import {
  type FieldError,
  formatFieldErrors,
  futureEventTime,
  type SensorReading,
  type TopicDef,
} from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { IotTopics } from '../common/topics.ts';
import type { DeviceCache } from './device-cache.ts';
import type { HubMetrics, IngestChannel, IngestOutcomeKind } from './hub-metrics.ts';
import type { LastSeenTracker } from './last-seen.ts';
import { createPerDeviceOrder } from './per-device-order.ts';
import { rejectedReadingsTopic, sendRejected } from './rejected-readings.ts';

export type IngestOutcome =
  | { readonly kind: 'accepted'; readonly reading: SensorReading }
  | { readonly kind: 'invalid'; readonly errors: readonly FieldError[] }
  | { readonly kind: 'unknown_device'; readonly deviceId: string }
  | { readonly kind: 'disabled_device'; readonly deviceId: string }
  | { readonly kind: 'wrong_device'; readonly deviceId: string; readonly expected: string };

export interface IngestSource {
  readonly channel: IngestChannel;
  /** The MQTT topic or HTTP route, recorded in DLQ headers. */
  readonly origin: string;
  /** The device the channel vouches for (topic's deviceId, token's device): the payload must match. */
  readonly deviceId: string | undefined;
}

export interface ReadingIngestDeps {
  readonly producer: TypedProducer;
  readonly topics: IotTopics;
  readonly devices: DeviceCache;
  readonly lastSeen: LastSeenTracker;
  readonly metrics: PipelineMetrics;
  readonly hubMetrics: HubMetrics;
  /** A reading whose `ts` lies further ahead of the clock is invalid: it would pin its device's watermark. */
  readonly maxFutureSkewMs: number;
  /**
   * Until aborted (the hub stops), an MQTT reading whose device status cannot be read (the registry
   * is down and never answered for that device) waits for the registry instead of failing: a failure
   * would drop the MQTT connection and have the broker resend every unacknowledged reading.
   */
  readonly mqttLookupsWaitUntil?: AbortSignal;
}

export interface ReadingIngest {
  /**
   * Validates a reading, checks its device and produces it to the telemetry topic keyed by deviceId.
   * Resolves once Kafka acknowledged the reading (or, for an invalid one, its DLQ record); rejects
   * when Kafka did not, so the caller must not acknowledge it to the device.
   */
  ingest(value: unknown, source: IngestSource): Promise<IngestOutcome>;
  /** The same for raw bytes (an MQTT payload): not JSON counts as invalid. */
  ingestBytes(payload: Buffer, source: IngestSource): Promise<IngestOutcome>;
  /** Dead-letters a payload larger than `limit` bytes unparsed, with its first KiB as text. */
  rejectOversized(payload: Buffer, limit: number, source: IngestSource): Promise<IngestOutcome>;
}

/** What a DLQ record keeps of a payload that is not JSON or too large to keep whole. */
const EXCERPT_BYTES = 1024;

export function createReadingIngest(deps: ReadingIngestDeps): ReadingIngest {
  const { producer, topics, devices, lastSeen, metrics, hubMetrics } = deps;
  const telemetry: TopicDef<SensorReading> = topics.telemetry;
  const dlq = rejectedReadingsTopic(topics);
  const topicLabel = { topic: telemetry.name };
  const order = createPerDeviceOrder();

  function count(source: IngestSource, outcome: IngestOutcomeKind): void {
    hubMetrics.readings.inc({ channel: source.channel, outcome });
    if (outcome !== 'accepted') metrics.eventsFailed.inc({ ...topicLabel, reason: outcome });
  }

  async function reject(value: unknown, errors: FieldError[], source: IngestSource): Promise<IngestOutcome> {
    const claimed = (value as { deviceId?: unknown } | null)?.deviceId;
    await sendRejected(producer, dlq, {
      value,
      deviceId: typeof claimed === 'string' && claimed.length <= 64 ? claimed : source.deviceId,
      reason: `invalid SensorReading: ${formatFieldErrors(errors)}`,
      source: `${source.channel}:${source.origin}`,
    });
    count(source, 'invalid');
    return { kind: 'invalid', errors };
  }

  async function ingest(value: unknown, source: IngestSource): Promise<IngestOutcome> {
    metrics.eventsIn.inc(topicLabel);
    const checked = telemetry.validator.validate(value);
    if (!checked.ok) return reject(value, [...checked.errors], source);
    const reading = checked.value;
    const future = futureEventTime('ts', reading.ts, Date.now(), deps.maxFutureSkewMs);
    if (future !== undefined) return reject(value, [future], source);
    if (source.deviceId !== undefined && reading.deviceId !== source.deviceId) {
      count(source, 'wrong_device');
      return { kind: 'wrong_device', deviceId: reading.deviceId, expected: source.deviceId };
    }
    // taken before the first await, so a device's readings are produced in the order they came
    const turn = order.take(reading.deviceId);
    let sent: Promise<unknown>;
    try {
      const verdict = await devices.verdict(
        reading.deviceId,
        source.channel === 'mqtt' ? deps.mqttLookupsWaitUntil : undefined,
      );
      if (verdict !== 'active') {
        const kind = verdict === 'unknown' ? 'unknown_device' : 'disabled_device';
        count(source, kind);
        return { kind, deviceId: reading.deviceId };
      }
      await turn.ready;
      // the producer keeps the order of its send calls; the next reading may be sent before this one's ack
      sent = producer.send(telemetry, [{ value: reading }]);
    } finally {
      turn.release();
    }
    await sent;
    lastSeen.seen(reading.deviceId, reading.ts);
    count(source, 'accepted');
    return { kind: 'accepted', reading };
  }

  return {
    ingest,
    ingestBytes(payload, source) {
      let value: unknown;
      try {
        value = JSON.parse(payload.toString('utf8'));
      } catch (error) {
        metrics.eventsIn.inc(topicLabel);
        const message = `not JSON: ${error instanceof Error ? error.message : String(error)}`;
        return reject(payload.toString('utf8').slice(0, 10_000), [{ field: '', message }], source);
      }
      return ingest(value, source);
    },
    rejectOversized(payload, limit, source) {
      metrics.eventsIn.inc(topicLabel);
      const message = `payload of ${payload.length} bytes exceeds the limit of ${limit} bytes`;
      return reject(payload.subarray(0, EXCERPT_BYTES).toString('utf8'), [{ field: '', message }], source);
    },
  };
}

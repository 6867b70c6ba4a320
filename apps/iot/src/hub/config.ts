import { env, httpServerEnv } from '@streamkit/config';
import { iotCommonEnv } from '../common/env.ts';
import { iotTopicsEnv } from '../common/topics.ts';
import { defaultHubHttpSettings } from './settings.ts';

/** The hub's environment (loaded by the runtime when the service starts). */
export const hubEnv = Object.freeze({
  ...iotCommonEnv,
  ...iotTopicsEnv,
  ...httpServerEnv(8091),
  adminKey: env.secret('HUB_ADMIN_KEY', { minLength: 16 }),
  instanceId: env.string('INSTANCE_ID', { optional: true, pattern: /^[A-Za-z0-9._-]+$/ }),
  shareGroup: env.string('HUB_SHARE_GROUP', { default: 'iot-hub', pattern: /^[A-Za-z0-9_-]+$/ }),
  mqttUsername: env.string('HUB_MQTT_USERNAME', { optional: true }),
  mqttPassword: env.secret('HUB_MQTT_PASSWORD', { optional: true }),
  /** An identity with the broker's dynamic-security admin role: set, the hub keeps device credentials at the broker. */
  mqttAdminUsername: env.string('HUB_MQTT_ADMIN_USERNAME', { optional: true }),
  mqttAdminPassword: env.secret('HUB_MQTT_ADMIN_PASSWORD', { optional: true }),
  /** The bulk identity for simulators publishing for many devices (development and load tests only). */
  mqttGatewayUsername: env.string('HUB_MQTT_GATEWAY_USERNAME', { optional: true }),
  mqttGatewayPassword: env.secret('HUB_MQTT_GATEWAY_PASSWORD', { optional: true, minLength: 12 }),
  /** Larger MQTT payloads are dead-lettered (an excerpt) unread: well below Kafka's 1 MB record limit. */
  mqttMaxPayloadBytes: env.int('HUB_MQTT_MAX_PAYLOAD_BYTES', { default: 65_536, min: 1024, max: 512 * 1024 }),
  mqttMaxInFlight: env.int('HUB_MQTT_MAX_IN_FLIGHT', { default: 10_000, min: 1, max: 65_535 }),
  bodyLimitBytes: env.int('HUB_BODY_LIMIT_BYTES', {
    default: defaultHubHttpSettings.bodyLimitBytes,
    min: 1024,
    max: 64 * 1024 * 1024,
  }),
  maxLinesPerRequest: env.int('HUB_MAX_LINES', {
    default: defaultHubHttpSettings.maxLinesPerRequest,
    min: 1,
  }),
  maxInFlight: env.int('HUB_MAX_IN_FLIGHT', { default: defaultHubHttpSettings.maxInFlight, min: 1 }),
  deviceCacheTtlMs: env.int('HUB_DEVICE_CACHE_TTL_MS', { default: 10_000, min: 0 }),
  /** While PostgreSQL is unreachable, device statuses expired at most this long ago are still answered. */
  deviceStaleIfErrorMs: env.int('HUB_DEVICE_STALE_IF_ERROR_MS', { default: 300_000, min: 0 }),
  lastSeenFlushMs: env.int('HUB_LAST_SEEN_FLUSH_MS', { default: 1000, min: 50 }),
  producerMaxBuffered: env.int('HUB_PRODUCER_MAX_BUFFERED', { default: 50_000, min: 1 }),
  producerLingerMs: env.int('HUB_PRODUCER_LINGER_MS', { default: 5, min: 0, max: 1000 }),
  producerMaxBatch: env.int('HUB_PRODUCER_MAX_BATCH', { default: 2000, min: 1, max: 100_000 }),
});

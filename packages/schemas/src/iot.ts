import Type, { type Static } from 'typebox';
import { Id, Text, Timestamp } from './common.ts';
import { compileValidator } from './validator.ts';

/**
 * A sensor's readings at one instant. Bounds are what the physical sensors can report; a value outside
 * them is a broken device or a forged message, not an anomaly to score.
 */
export const SensorMetrics = Type.Object(
  {
    temperature: Type.Number({ minimum: -50, maximum: 150, description: '°C' }),
    humidity: Type.Number({ minimum: 0, maximum: 100, description: '% relative humidity' }),
    pressure: Type.Number({ minimum: 300, maximum: 1100, description: 'hPa' }),
    battery: Type.Number({ minimum: 0, maximum: 100, description: '% charge' }),
    vibration: Type.Number({ minimum: 0, maximum: 1000, description: 'RMS velocity, mm/s' }),
  },
  { additionalProperties: false },
);
export type SensorMetrics = Static<typeof SensorMetrics>;

export const SENSOR_METRIC_NAMES = ['temperature', 'humidity', 'pressure', 'battery', 'vibration'] as const;
export type SensorMetricName = (typeof SENSOR_METRIC_NAMES)[number];

export const SensorReading = Type.Object(
  {
    deviceId: Id,
    ts: Timestamp,
    seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'per-device counter' }),
    metrics: SensorMetrics,
  },
  { additionalProperties: false },
);
export type SensorReading = Static<typeof SensorReading>;
export const sensorReadingValidator = compileValidator('SensorReading', SensorReading);

export const IotAlertKind = Type.Enum(['zscore', 'threshold', 'stuck', 'offline']);
export type IotAlertKind = Static<typeof IotAlertKind>;

/** An anomaly found in a device's stream. */
export const IotAlert = Type.Object(
  {
    alertId: Id,
    deviceId: Id,
    /** event time of the reading (or of the silence, for "offline") that raised the alert */
    ts: Timestamp,
    /** start of the window the detector looked at, for windowed detectors */
    windowStart: Type.Optional(Timestamp),
    kind: IotAlertKind,
    /** a metric name such as "temperature", or what "offline"/"stuck" measured, e.g. "silenceSeconds" */
    metric: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[a-z][A-Za-z0-9_]*$',
      errorMessage: { pattern: 'must be a metric name such as "temperature"' },
    }),
    value: Type.Number(),
    threshold: Type.Optional(Type.Number()),
    zScore: Type.Optional(Type.Number()),
    message: Text(500),
    createdAt: Timestamp,
  },
  { additionalProperties: false },
);
export type IotAlert = Static<typeof IotAlert>;
export const iotAlertValidator = compileValidator('IotAlert', IotAlert);

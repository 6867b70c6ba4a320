import { describe, expect, it } from 'vitest';
import {
  iotAlertValidator,
  SENSOR_METRIC_NAMES,
  SensorMetrics,
  sensorReadingValidator,
} from '../src/index.ts';
import { errorsOf, exampleIotAlert, exampleSensorReading, itRejects, withFields } from './examples.ts';

function withMetrics(changes: Record<string, unknown>): Record<string, unknown> {
  return withFields(exampleSensorReading, { metrics: withFields(exampleSensorReading.metrics, changes) });
}

describe('SensorReading', () => {
  it('accepts a valid reading, and readings at the physical bounds', () => {
    expect(errorsOf(sensorReadingValidator, exampleSensorReading)).toEqual([]);
    const low = { temperature: -50, humidity: 0, pressure: 300, battery: 0, vibration: 0 };
    const high = { temperature: 150, humidity: 100, pressure: 1100, battery: 100, vibration: 1000 };
    expect(errorsOf(sensorReadingValidator, withMetrics(low))).toEqual([]);
    expect(errorsOf(sensorReadingValidator, withMetrics(high))).toEqual([]);
  });

  it('names the metrics schema keys exactly as SENSOR_METRIC_NAMES', () => {
    expect(Object.keys(SensorMetrics.properties).sort()).toEqual([...SENSOR_METRIC_NAMES].sort());
  });

  it.each([
    ['temperature below -50', { temperature: -50.1 }, 'metrics/temperature', 'must be >= -50'],
    ['temperature above 150', { temperature: 151 }, 'metrics/temperature', 'must be <= 150'],
    ['humidity above 100', { humidity: 100.5 }, 'metrics/humidity', 'must be <= 100'],
    ['pressure below 300', { pressure: 12 }, 'metrics/pressure', 'must be >= 300'],
    ['negative battery', { battery: -1 }, 'metrics/battery', 'must be >= 0'],
    ['negative vibration', { vibration: -0.01 }, 'metrics/vibration', 'must be >= 0'],
    ['string humidity', { humidity: '40' }, 'metrics/humidity', 'must be a number'],
    ['missing pressure', { pressure: undefined }, 'metrics/pressure', 'is required'],
    ['unknown metric', { co2: 400 }, 'metrics/co2', 'is not allowed'],
  ])('rejects a reading with %s', (_kind, changes, field, message) => {
    expect(errorsOf(sensorReadingValidator, withMetrics(changes))).toContainEqual({ field, message });
  });

  itRejects('rejects a reading with a %s', sensorReadingValidator, exampleSensorReading, [
    ['negative seq', { seq: -1 }, 'seq', 'must be >= 0'],
    ['fractional seq', { seq: 1.5 }, 'seq', 'must be an integer'],
    ['missing metrics', { metrics: undefined }, 'metrics', 'is required'],
    ['metrics as an array', { metrics: [1, 2] }, 'metrics', 'must be an object'],
    [
      'bad ts',
      { ts: '2025-01-31T25:00:00Z' },
      'ts',
      'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
    ],
    ['extra field', { firmware: '1.2' }, 'firmware', 'is not allowed'],
  ]);

  it('rejects non-finite numbers that JSON cannot carry but code can produce', () => {
    expect(errorsOf(sensorReadingValidator, withMetrics({ temperature: Number.NaN }))).toContainEqual({
      field: 'metrics/temperature',
      message: 'must be a number',
    });
  });
});

describe('IotAlert', () => {
  it('accepts a valid alert, with and without the optional fields', () => {
    expect(errorsOf(iotAlertValidator, exampleIotAlert)).toEqual([]);
    const offline = withFields(exampleIotAlert, {
      kind: 'offline',
      metric: 'silenceSeconds',
      value: 120,
      threshold: 60,
      windowStart: undefined,
      zScore: undefined,
      message: 'no reading for 120 s',
    });
    expect(errorsOf(iotAlertValidator, offline)).toEqual([]);
  });

  itRejects('rejects an alert with a %s', iotAlertValidator, exampleIotAlert, [
    ['unknown kind', { kind: 'weird' }, 'kind', 'must be one of "zscore", "threshold", "stuck", "offline"'],
    ['metric with spaces', { metric: 'Temp C' }, 'metric', 'must be a metric name such as "temperature"'],
    ['empty message', { message: '' }, 'message', 'must not be empty'],
    ['string value', { value: '87.1' }, 'value', 'must be a number'],
    [
      'bad windowStart',
      { windowStart: 'now' },
      'windowStart',
      'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-31T12:00:00Z',
    ],
    ['missing createdAt', { createdAt: undefined }, 'createdAt', 'is required'],
  ]);
});

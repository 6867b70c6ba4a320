import { metricsOn } from '@streamkit/telemetry';
import type { Counter, Gauge, Registry } from 'prom-client';

/** The detector's own metrics, beside the standard PipelineMetrics of @streamkit/telemetry. */
export interface DetectorMetrics {
  readonly decisions: Counter<'decision'>;
  /** Decided but too late (behind watermark − allowed lateness) to enter the card's windows. */
  readonly latePayments: Counter;
  /** A paymentId seen again: `replay` re-emits its stored decision, `duplicate` emits nothing. */
  readonly repeatedPayments: Counter<'kind'>;
  /** Redis values that could not be read (treated as absent). */
  readonly corruptState: Counter;
  readonly ruleReloads: Counter<'result'>;
  readonly rulesActive: Gauge;
  /** Stored rules skipped because they do not parse. */
  readonly rulesInvalid: Gauge;
  readonly modelReloads: Counter<'result'>;
  /** 1 for the version in use (label `version`, "none" without a model). */
  readonly modelActive: Gauge<'version'>;
}

export function createDetectorMetrics(registry: Registry): DetectorMetrics {
  const metric = metricsOn(registry);
  return {
    decisions: metric.counter('fraud_detector_decisions_total', 'Decisions emitted, by outcome', [
      'decision',
    ]),
    latePayments: metric.counter(
      'fraud_detector_late_payments_total',
      'Payments behind the card watermark minus allowed lateness (decided, not windowed)',
    ),
    repeatedPayments: metric.counter(
      'fraud_detector_repeated_payments_total',
      'Payments already decided: replay (decision re-emitted) or duplicate (nothing emitted)',
      ['kind'],
    ),
    corruptState: metric.counter(
      'fraud_detector_corrupt_state_total',
      'Card states or decisions in Redis that could not be read (treated as absent)',
    ),
    ruleReloads: metric.counter(
      'fraud_detector_rule_reloads_total',
      'Rule set reloads from Postgres, by result',
      ['result'],
    ),
    rulesActive: metric.gauge('fraud_detector_rules_active', 'Enabled, valid rules in use'),
    rulesInvalid: metric.gauge(
      'fraud_detector_rules_invalid',
      'Stored rules skipped because they are invalid',
    ),
    modelReloads: metric.counter(
      'fraud_detector_model_reloads_total',
      'Model loads from Postgres, by result',
      ['result'],
    ),
    modelActive: metric.gauge('fraud_detector_model_active', '1 for the model version in use', ['version']),
  };
}

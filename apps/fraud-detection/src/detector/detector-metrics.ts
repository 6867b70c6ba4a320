import { Counter, Gauge, type Registry } from 'prom-client';

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
  const registers = [registry];
  return {
    decisions: new Counter({
      name: 'fraud_detector_decisions_total',
      help: 'Decisions emitted, by outcome',
      labelNames: ['decision'],
      registers,
    }),
    latePayments: new Counter({
      name: 'fraud_detector_late_payments_total',
      help: 'Payments behind the card watermark minus allowed lateness (decided, not windowed)',
      registers,
    }),
    repeatedPayments: new Counter({
      name: 'fraud_detector_repeated_payments_total',
      help: 'Payments already decided: replay (decision re-emitted) or duplicate (nothing emitted)',
      labelNames: ['kind'],
      registers,
    }),
    corruptState: new Counter({
      name: 'fraud_detector_corrupt_state_total',
      help: 'Card states or decisions in Redis that could not be read (treated as absent)',
      registers,
    }),
    ruleReloads: new Counter({
      name: 'fraud_detector_rule_reloads_total',
      help: 'Rule set reloads from Postgres, by result',
      labelNames: ['result'],
      registers,
    }),
    rulesActive: new Gauge({
      name: 'fraud_detector_rules_active',
      help: 'Enabled, valid rules in use',
      registers,
    }),
    rulesInvalid: new Gauge({
      name: 'fraud_detector_rules_invalid',
      help: 'Stored rules skipped because they are invalid',
      registers,
    }),
    modelReloads: new Counter({
      name: 'fraud_detector_model_reloads_total',
      help: 'Model loads from Postgres, by result',
      labelNames: ['result'],
      registers,
    }),
    modelActive: new Gauge({
      name: 'fraud_detector_model_active',
      help: '1 for the model version in use',
      labelNames: ['version'],
      registers,
    }),
  };
}

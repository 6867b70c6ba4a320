import { userEventValidator } from './ecommerce.ts';
import { fraudAlertValidator, paymentDecisionValidator, paymentValidator } from './fraud.ts';
import { iotAlertValidator, sensorReadingValidator } from './iot.ts';
import { accessLogValidator } from './logs.ts';
import { defineTopic } from './topic.ts';

/**
 * Every topic of the four pipelines. Each is keyed by the entity whose events must stay in order
 * (card, user, device, host), so that entity's state lives on one partition and one consumer.
 */
export const topics = Object.freeze({
  payments: defineTopic('payments', paymentValidator, (p) => p.cardId),
  paymentDecisions: defineTopic('payments.decisions', paymentDecisionValidator, (d) => d.cardId),
  fraudAlerts: defineTopic('fraud.alerts', fraudAlertValidator, (a) => a.cardId),
  ecommerceEvents: defineTopic('ecommerce.events', userEventValidator, (e) => e.userId),
  iotTelemetry: defineTopic('iot.telemetry', sensorReadingValidator, (r) => r.deviceId),
  iotAlerts: defineTopic('iot.alerts', iotAlertValidator, (a) => a.deviceId),
  logsHttp: defineTopic('logs.http', accessLogValidator, (l) => l.host),
});

export type Topics = typeof topics;

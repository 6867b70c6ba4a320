// The whole fraud path in this process for one test file: its own topics, keys and database, the
// detector, the gateway and the alert service on them, closed in the reverse order.
import { inject } from 'vitest';
import { createDetectorTestEnv, type DetectorTestEnv } from '../detector.harness.ts';
import { type AlertsHarness, startAlertsHarness } from './alerts-harness.ts';
import { startTestGateway, type TestGateway } from './gateway-harness.ts';

export interface FraudPipeline {
  readonly env: DetectorTestEnv;
  readonly gateway: TestGateway;
  readonly alerts: AlertsHarness;
  close(): Promise<void>;
}

export async function startFraudPipeline(
  label: string,
  options: { readonly alertsSettings?: Record<string, string> } = {},
): Promise<FraudPipeline> {
  const env = await createDetectorTestEnv(inject('infrastructure'), label);
  await env.startDetector();
  const gateway = await startTestGateway(env);
  const alerts = await startAlertsHarness({
    shared: { topicPrefix: env.topicPrefix, database: env.db },
    ...(options.alertsSettings === undefined ? {} : { settings: options.alertsSettings }),
  });
  return {
    env,
    gateway,
    alerts,
    async close() {
      await alerts.close();
      await gateway.stop();
      await env.close();
    },
  };
}

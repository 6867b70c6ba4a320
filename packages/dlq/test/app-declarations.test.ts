import { describe, expect, it } from 'vitest';
import { defaultAppsRoot, discoverDlqPipelines } from '../src/index.ts';

describe("the repository's apps", () => {
  it('each declare their dead letters: pnpm dlq knows the four pipelines and their topics', async () => {
    const pipelines = await discoverDlqPipelines(defaultAppsRoot());
    const topics = Object.fromEntries(
      pipelines.map((p) => [p.sources.pipeline, p.sources.sourceTopics('t.')]),
    );
    expect(topics).toEqual({
      dashboard: ['t.logs.http'],
      fraud: ['t.payments', 't.payments.decisions', 't.fraud.alerts'],
      iot: ['t.iot.telemetry', 't.iot.alerts'],
      recommendations: ['t.ecommerce.events'],
    });
  });
});

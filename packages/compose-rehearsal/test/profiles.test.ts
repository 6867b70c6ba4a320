// Each pipeline profile rehearsed as `docker compose --profile <p> --profile observability up` would
// run it: every service of ours healthy, one event from ingress to output, its spans at the collector.
// Each rehearsal isolates itself (its own topic prefix, consumer groups, database, Redis key and MQTT
// prefixes: the compose files' KAFKA_TOPIC_PREFIX, REDIS_KEY_PREFIX, MQTT_TOPIC_PREFIX, POSTGRES_DB).
// The images are built once for the whole file and shared, as `docker compose` shares one per app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ImageCache } from '../src/image/image-cache.ts';
import { rehearse } from '../src/rehearsal/rehearse.ts';
import { formatReport, type RehearsalReport } from '../src/rehearsal/report.ts';

const infra = inject('infrastructure');
const repoRoot = findRepoRoot();
let cacheDir: string;
let cache: ImageCache;

beforeAll(() => {
  if (process.getuid?.() !== 0)
    throw new Error(
      'the compose rehearsal needs root (network and mount namespaces, setpriv): run these tests as root',
    );
  cacheDir = mkdtempSync(join(tmpdir(), 'rehearsal-images-'));
  cache = new ImageCache(cacheDir);
});
afterAll(() => {
  if (cacheDir !== undefined) rmSync(cacheDir, { recursive: true, force: true });
});

async function rehearseProfile(profile: string): Promise<RehearsalReport> {
  const lines: string[] = [];
  const report = await rehearse({
    repoRoot,
    profiles: [profile, 'observability'],
    // a fresh checkout's shell: no .env, no variables set
    shellEnvironment: {},
    infra,
    imageCache: cache,
    log: (line) => lines.push(line),
  });
  if (!report.passed) console.error([...lines, ...formatReport(report)].join('\n'));
  return report;
}

/** The services of ours and their states; the stand-ins and what is not rehearsed are listed apart. */
function states(report: RehearsalReport): Record<string, string> {
  return Object.fromEntries(
    report.services
      .filter((s) => !['stand-in', 'not rehearsed'].includes(s.state))
      .map((s) => [s.name, s.state]),
  );
}

const notRehearsed = ['prometheus', 'jaeger', 'grafana'];
// the check's answer names a trained model (its model-init one-shot's), not none / default-0
const trainedModelIn: Record<string, RegExp> = {
  fraud: /model lr-\d{8}T\d{6}Z-[0-9a-f]+\)$/,
  recommendations: /model v\d{8}T\d{6}Z\)$/,
};

describe.each([
  [
    'fraud',
    {
      'fraud-model-init': 'completed',
      'fraud-detector': 'healthy',
      'fraud-alerts': 'healthy',
      'fraud-gateway': 'healthy',
      'fraud-generator': 'healthy',
    },
  ],
  [
    'recommendations',
    {
      'recs-model-init': 'completed',
      'recs-web': 'healthy',
      'recs-features': 'healthy',
      'recs-recommender': 'healthy',
      'recs-shoppers': 'healthy',
    },
  ],
  [
    'iot',
    {
      'iot-hub': 'healthy',
      'iot-processor': 'healthy',
      'iot-analytics': 'healthy',
      'iot-devices': 'healthy',
    },
  ],
  [
    'dashboard-postgres',
    {
      'dashboard-loggen': 'healthy',
      'dashboard-shipper': 'healthy',
      'dashboard-sink': 'healthy',
      'dashboard-web-postgres': 'healthy',
    },
  ],
])('compose profile %s (with observability)', (profile, expected) => {
  it('runs every service healthy, an event from ingress to output, and its spans reach the collector', async () => {
    const report = await rehearseProfile(profile);
    expect(report.failures).toEqual([]);
    expect(states(report)).toEqual(expected);
    expect(report.checks.map((c) => [c.profile, c.result])).toEqual([[profile, 'passed']]);
    const trainedModel = trainedModelIn[profile];
    if (trainedModel !== undefined) expect(report.checks[0]?.detail).toMatch(trainedModel);
    expect(report.services.filter((s) => s.state === 'not rehearsed').map((s) => s.name)).toEqual(
      notRehearsed,
    );
    expect(
      report.services
        .filter((s) => s.state === 'stand-in')
        .map((s) => s.name)
        .sort(),
    ).toEqual(['kafka', 'mosquitto', 'otel-collector', 'postgres', 'redis']);
    expect(report.passed).toBe(true);
  });
});

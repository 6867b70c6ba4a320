// How each service of a profile is played: ours (built from infra/docker/Dockerfile), a stand-in, or
// not rehearsed — never silently left out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@streamkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../src/compose/load-project.ts';
import { selectServices } from '../src/compose/select-services.ts';
import { planRehearsal } from '../src/rehearsal/plan.ts';

const root = findRepoRoot();
const infra = {
  kafkaBrokers: ['127.0.0.1:9092'],
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
  mqttUrl: 'mqtt://127.0.0.1:1883',
};
const project = loadProject(join(root, 'compose.yaml'), { environment: {} });
const plan = (profiles: string[]) => planRehearsal(project, selectServices(project, profiles), root, infra);
const kinds = (p: ReturnType<typeof plan>) =>
  Object.fromEntries([...p.roles].map(([name, role]) => [name, role.kind]));

const dir = mkdtempSync(join(tmpdir(), 'plan-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('planRehearsal', () => {
  it('builds one image per app and runs it in every service of the profile', () => {
    const p = plan(['fraud']);
    expect(p.problems).toEqual([]);
    expect([...p.images.keys()]).toEqual(['streamkit/fraud-detection:dev']);
    expect(p.images.get('streamkit/fraud-detection:dev')?.builder).toBe('fraud-detector');
    expect(p.images.get('streamkit/fraud-detection:dev')?.services).toEqual([
      'fraud-model-init',
      'fraud-detector',
      'fraud-alerts',
      'fraud-gateway',
      'fraud-generator',
    ]);
    expect(kinds(p)).toMatchObject({ kafka: 'stand-in', postgres: 'stand-in', 'fraud-gateway': 'ours' });
  });

  it('lists images not built here as not rehearsed, with the services that depend on them', () => {
    const p = plan(['dashboard', 'observability']);
    expect(kinds(p)).toMatchObject({
      risingwave: 'not rehearsed',
      'dashboard-views-migrate': 'not rehearsed',
      'dashboard-web': 'not rehearsed',
      'dashboard-shipper': 'ours',
      prometheus: 'not rehearsed',
      'otel-collector': 'stand-in',
    });
    const web = p.roles.get('dashboard-web');
    expect(web?.kind === 'not rehearsed' ? web.reason : '').toMatch(/depends on risingwave/);
  });

  it('reports a service running an image of ours that no selected service builds', () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      'services:\n  a:\n    image: streamkit/app:dev\n    pull_policy: never\n    profiles: [p]\n',
    );
    const fixture = loadProject(file, { environment: {} });
    const p = planRehearsal(fixture, selectServices(fixture, ['p']), root, infra);
    expect(p.problems).toEqual([
      'a runs streamkit/app:dev (pull_policy: never), which no selected service builds',
    ]);
  });
});

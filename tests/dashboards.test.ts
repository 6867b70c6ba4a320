// The Grafana provisioning where no Grafana runs: dashboards are well-formed, provisioned from the
// folder they live in, query only by service, and Prometheus scrapes every service they name.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { allPanels, loadDashboards, metricQueries } from './support/dashboard-queries.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dashboardsDir = join(root, 'infra/grafana/dashboards');
const dashboards = loadDashboards(dashboardsDir);
const pipelineApps = ['fraud-detection', 'recommendations', 'iot', 'analytics-dashboard'];

type Yaml = Record<string, unknown>;
const readYaml = (path: string) => parseYaml(readFileSync(path, 'utf8')) as Yaml;

interface ComposeService {
  environment?: Record<string, string>;
  volumes?: string[];
}
function composeServices(): Map<string, ComposeService> {
  const found = new Map<string, ComposeService>();
  for (const file of ['fraud', 'recommendations', 'iot', 'dashboard', 'observability']) {
    const doc = readYaml(join(root, `infra/compose/${file}.yaml`)) as {
      services?: Record<string, ComposeService>;
    };
    for (const [name, service] of Object.entries(doc.services ?? {})) found.set(name, service);
  }
  return found;
}

describe('grafana dashboards', () => {
  it('has one dashboard per pipeline plus the Kafka overview, with the expected uids', () => {
    const uids = dashboards.map((d) => d.uid).sort();
    expect(uids).toEqual(
      [...pipelineApps.map((app) => `streamkit-${app}`), 'streamkit-kafka-overview'].sort(),
    );
    for (const app of pipelineApps)
      expect(dashboards.find((d) => d.file === `${app}.json`)?.uid).toBe(`streamkit-${app}`);
  });

  it.each(dashboards.map((d) => [d.file, d] as const))('%s: unique panel ids, Prometheus targets', (_, d) => {
    const panels = allPanels(d);
    expect(panels.length).toBeGreaterThan(0);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels.filter((p) => p.type !== 'row')) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.expr, panel.title).toBeTruthy();
        expect(target.datasource?.uid ?? panel.datasource?.uid, panel.title).toBe('prometheus');
      }
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
    }
  });

  it('names the service in every metric selector of every query', () => {
    const queries = dashboards.flatMap(metricQueries);
    expect(queries.length).toBeGreaterThan(40);
    const unnamed = queries
      .filter((q) => q.services.length === 0)
      .map((q) => `${q.dashboard} ${q.panel}: ${q.expr}`);
    expect(unnamed).toEqual([]);
  });

  it('covers ingress, latency percentiles, lag, DLQ, errors and RSS on every pipeline dashboard', () => {
    for (const app of pipelineApps) {
      const exprs = metricQueries(
        dashboards.find((d) => d.file === `${app}.json`) as (typeof dashboards)[number],
      ).map((q) => q.expr);
      const has = (pattern: RegExp) => exprs.some((e) => pattern.test(e));
      expect(has(/rate\(streamkit_events_in_total\{/), `${app} ingress`).toBe(true);
      expect(
        has(/histogram_quantile\(0\.99, .*streamkit_end_to_end_latency_seconds_bucket\{/),
        `${app} p99`,
      ).toBe(true);
      expect(has(/by \(topic, partition\) \(streamkit_consumer_lag_messages\{/), `${app} lag`).toBe(true);
      expect(has(/streamkit_events_failed_total\{[^}]*reason="dlq"/), `${app} dlq`).toBe(true);
      expect(has(/streamkit_events_failed_total\{[^}]*reason!="dlq"/), `${app} errors`).toBe(true);
      expect(has(/^process_resident_memory_bytes\{/), `${app} rss`).toBe(true);
    }
  });
});

describe('grafana provisioning', () => {
  const grafana = composeServices().get('grafana');

  it('loads dashboards from the folder the compose file mounts, and the panels datasource exists', () => {
    const provider = (
      readYaml(join(root, 'infra/grafana/provisioning/dashboards/dashboards.yaml')) as {
        providers: { type: string; options: { path: string } }[];
      }
    ).providers[0];
    expect(provider?.type).toBe('file');
    const mount = grafana?.volumes
      ?.map((v) => v.split(':'))
      .find(([, target]) => target === provider?.options.path);
    expect(mount, 'a volume mounted at the provider path').toBeDefined();
    expect(resolve(join(root, 'infra/compose'), mount?.[0] ?? '')).toBe(dashboardsDir);

    const datasources = (
      readYaml(join(root, 'infra/grafana/provisioning/datasources/datasources.yaml')) as {
        datasources: { uid: string; type: string }[];
      }
    ).datasources;
    expect(datasources).toContainEqual(expect.objectContaining({ uid: 'prometheus', type: 'prometheus' }));
  });
});

describe('prometheus scrape targets', () => {
  it('scrapes every service a dashboard names, on the port that service serves /metrics on', () => {
    const config = readYaml(join(root, 'infra/prometheus/prometheus.yml')) as {
      scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = new Map(
      config.scrape_configs
        .filter((job) => (job.metrics_path ?? '/metrics') === '/metrics')
        .flatMap((job) => job.static_configs.flatMap((c) => c.targets))
        .map((t) => t.split(':') as [string, string]),
    );
    const compose = composeServices();
    const named = new Set(dashboards.flatMap(metricQueries).flatMap((q) => q.services));
    expect(named.size).toBeGreaterThanOrEqual(12);
    for (const service of named) {
      const environment = compose.get(service)?.environment;
      expect(environment, `compose service ${service}`).toBeDefined();
      const port = targets.get(service);
      expect(port, `prometheus target for ${service}`).toBeDefined();
      const served = ['PORT', 'METRICS_PORT', 'ANALYTICS_PORT'].map((k) => environment?.[k]);
      expect(served, `${service} serves /metrics on ${port}`).toContain(port);
    }
  });
});

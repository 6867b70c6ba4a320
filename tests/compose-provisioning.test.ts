// What the compose services are given beside their own files: the observability provisioning they
// mount, and the V8 heap flags, which must be those `pnpm demo` runs with.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAppsRoot, discoverPipelines } from '@streamkit/demo';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  byName,
  type ComposeFile,
  composeSchemaValidator,
  files,
  hostPorts,
  type Json,
  pipelineProfiles,
  readYaml,
  rel,
  root,
  services,
} from './support/compose-project.ts';

describe('observability provisioning', () => {
  const hostOf = (address: string) =>
    new URL(address.includes('://') ? address : `tcp://${address}`).hostname;
  const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as Json;

  it('has Prometheus scrape itself and the collector, at addresses that exist in the project', () => {
    const config = readYaml(join(root, 'infra/prometheus/prometheus.yml')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual(
      expect.arrayContaining(['prometheus', 'otel-collector']),
    );
    const targets = config.scrape_configs.flatMap((j) => j.static_configs.flatMap((c) => c.targets));
    expect(targets.map(hostOf).filter((h) => h !== 'localhost' && !byName.has(h))).toEqual([]);
  });

  it('has Grafana datasources for Prometheus and Jaeger pointing at project services', () => {
    const config = readYaml(join(root, 'infra/grafana/provisioning/datasources/datasources.yaml')) as {
      datasources: { type: string; url: string }[];
    };
    expect(config.datasources.map((d) => d.type).sort()).toEqual(['jaeger', 'prometheus']);
    expect(config.datasources.map((d) => hostOf(d.url)).filter((h) => !byName.has(h))).toEqual([]);
  });

  it('provisions the Kafka overview dashboard from the mounted folder, querying metrics the services export', () => {
    const provider = readYaml(join(root, 'infra/grafana/provisioning/dashboards/dashboards.yaml')) as {
      providers: { options: { path: string } }[];
    };
    const mounts = (byName.get('grafana')?.s.volumes ?? []).map(String);
    expect(mounts).toContain(`../grafana/dashboards:${provider.providers[0]?.options.path}:ro`);

    const dashboard = readJson('infra/grafana/dashboards/kafka-overview.json') as {
      title: string;
      panels: { targets: { expr: string }[] }[];
    };
    expect(dashboard.title).toBe('Kafka overview');
    const metricsSource = readFileSync(join(root, 'packages/telemetry/src/pipeline-metrics.ts'), 'utf8');
    // every metric name the pipeline metrics declare (as `metric.counter('streamkit_…', …)` and alike)
    const exported = [...metricsSource.matchAll(/'(streamkit_\w+)'/g)].map((m) => m[1]);
    expect(exported).toContain('streamkit_events_in_total');
    const queried = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) => t.expr.match(/streamkit_\w+/g) ?? []),
    );
    const unknown = queried
      .map((m) => m.replace(/_(bucket|sum|count)$/, ''))
      .filter((m) => !exported.includes(m));
    expect(queried.length).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });

  it('has the collector receive OTLP on its published ports and export traces to Jaeger', () => {
    const config = readYaml(join(root, 'infra/otel/collector.yaml')) as {
      receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { exporters: string[] } } };
    };
    const receiving = Object.values(config.receivers.otlp.protocols).map((p) => p.endpoint.split(':').at(-1));
    const published = hostPorts(byName.get('otel-collector')?.s ?? {}).map((p) => p.split(':').at(-1));
    expect(receiving.sort()).toEqual(published.sort());
    const exporters = config.service.pipelines.traces.exporters.map(
      (name) => config.exporters[name]?.endpoint ?? '',
    );
    expect(exporters.map(hostOf)).toEqual(['jaeger']);
  });

  it('validate the overlays that compose.yaml does not include (added with -f) and pin their images', () => {
    const included = new Set(files.map((f) => f.path));
    const dir = join(root, 'infra/compose');
    const overlays = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join(dir, f))
      .filter((p) => !included.has(p));
    const validate = composeSchemaValidator();
    for (const path of overlays) {
      const doc = parseYaml(readFileSync(path, 'utf8')) as ComposeFile['doc'];
      expect(validate(doc), `${rel(path)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      for (const [name, s] of Object.entries(doc.services ?? {})) {
        const tag = s.image?.split('/').at(-1)?.split(':')[1];
        if (s.image !== undefined) expect(tag, `${rel(path)} ${name}: ${s.image}`).toMatch(/^(?!latest$)./);
      }
    }
  });
});

describe('V8 heap flags', () => {
  // `node <flags> [--import m] <script> <args>`: the flags, and the script the command runs
  const parseNode = (command: readonly string[]) => {
    const script = command.findIndex((a) => a.endsWith('.ts'));
    const options = command.slice(1, script);
    const flags = options.filter((a, i) => a !== '--import' && options[i - 1] !== '--import');
    return { flags, script: command[script] ?? '' };
  };

  it('are the same in every compose service as in `pnpm demo` for the same script', async () => {
    const { pipelines, failures } = await discoverPipelines({ appsRoot: defaultAppsRoot(), builtins: [] });
    expect(failures).toEqual([]);
    const demoFlags = new Map<string, string[]>();
    for (const { pipeline } of pipelines) {
      if (!pipelineProfiles.includes(pipeline.name)) continue;
      for (const service of pipeline.services) {
        const { flags, script } = parseNode(service.command);
        demoFlags.set(`${pipeline.name} ${script}`, flags);
      }
    }
    expect(demoFlags.size).toBeGreaterThanOrEqual(16);
    const compared: string[] = [];
    const mismatches: string[] = [];
    for (const { name, s } of services) {
      const command = (s.command ?? s.entrypoint) as unknown;
      if (!Array.isArray(command) || command[0] !== 'node') continue;
      const profile = pipelineProfiles.find((p) => s.profiles?.some((x) => x === p || x.startsWith(`${p}-`)));
      const { flags, script } = parseNode(command as string[]);
      const expected = demoFlags.get(`${profile} ${script}`);
      // one-shot commands (migrations) that the demo does not run as a service carry no flags
      if (expected === undefined && flags.length === 0) continue;
      compared.push(name);
      if (JSON.stringify(flags) !== JSON.stringify(expected))
        mismatches.push(
          `${name} (${script}): compose ${flags.join(' ')}, demo ${expected?.join(' ') ?? 'none'}`,
        );
    }
    expect(mismatches).toEqual([]);
    // every long-running service of the four pipelines was compared
    expect(compared.length).toBeGreaterThanOrEqual(16);
  });
});

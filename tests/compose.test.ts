// Keeps the compose files honest where no Docker engine runs them: every file is valid against the
// Compose Specification schema, and the project they form together is consistent.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowedProfiles,
  alternativeProfiles,
  baseServices,
  byName,
  composeSchemaValidator,
  files,
  hostPorts,
  type Json,
  noHealthcheckPossible,
  pipelineEngineImages,
  pipelineProfiles,
  rel,
  root,
  type Service,
  services,
} from './support/compose-project.ts';

describe('compose files', () => {
  it('include the base, observability and the four pipeline files from the root, named streamkit', () => {
    expect(files.map((f) => rel(f.path))).toEqual([
      'compose.yaml',
      'infra/compose/base.yaml',
      'infra/compose/observability.yaml',
      'infra/compose/fraud.yaml',
      'infra/compose/recommendations.yaml',
      'infra/compose/iot.yaml',
      'infra/compose/dashboard.yaml',
    ]);
    expect(files[0]?.doc.name).toBe('streamkit');
  });

  it('each validate against the Compose Specification JSON schema', () => {
    const validate = composeSchemaValidator();
    const invalid = files.flatMap((f) =>
      validate(f.doc) ? [] : [`${rel(f.path)}: ${JSON.stringify(validate.errors, null, 1)}`],
    );
    expect(invalid).toEqual([]);
    // The validator is not a rubber stamp: an unknown service key and a bad depends_on are rejected.
    expect(validate({ services: { a: { image: 'x:1', imagee: 'typo' } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x:1', depends_on: { b: { condition: 'ready' } } } } })).toBe(
      false,
    );
  });

  it('define each service once across the included files', () => {
    const names = services.map((x) => x.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(baseServices));
  });

  it('depend only on services that exist in the project', () => {
    const dangling = services.flatMap(({ name, s }) => {
      const targets = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      return targets.filter((t) => !byName.has(t)).map((t) => `${name} -> ${t}`);
    });
    expect(dangling).toEqual([]);
  });

  it('pin every image to a tag other than latest, and build the rest', () => {
    const unpinned = services.flatMap(({ name, s }) => {
      if (s.image === undefined) return s.build === undefined ? [`${name}: neither image nor build`] : [];
      const lastSegment = s.image.split('/').at(-1) ?? '';
      const tag = lastSegment.includes('@') ? 'digest' : lastSegment.split(':')[1];
      return tag === undefined || tag === '' || tag === 'latest' ? [`${name}: ${s.image}`] : [];
    });
    expect(unpinned).toEqual([]);
    expect(services.some(({ s }) => /bitnami\//.test(s.image ?? ''))).toBe(false);
  });

  it('give every service a healthcheck, except images with nothing to run one', () => {
    const without = services
      .filter(({ s }) => s.healthcheck?.test === undefined || s.healthcheck.disable === true)
      .map((x) => x.name);
    expect(without).toEqual(noHealthcheckPossible);
    for (const name of baseServices) expect(byName.get(name)?.s.healthcheck?.test, name).toBeDefined();
  });

  it('use only the documented profiles, and none on the base services', () => {
    const wrong = services.flatMap(({ name, s }) =>
      (s.profiles ?? []).filter((p) => !allowedProfiles.includes(p)).map((p) => `${name}: ${p}`),
    );
    expect(wrong).toEqual([]);
    for (const name of baseServices) expect(byName.get(name)?.s.profiles, name).toBeUndefined();
  });

  it('keep pipeline services in their pipeline profile, running the shared Dockerfile image built once per app', () => {
    for (const profile of pipelineProfiles) {
      const file = files.find((f) => rel(f.path) === `infra/compose/${profile}.yaml`);
      expect(file, profile).toBeDefined();
      const ownProfiles = [profile, ...(alternativeProfiles[profile] ?? [])];
      const ours = Object.entries(file?.doc.services ?? {}).filter(
        ([name]) => !(pipelineEngineImages[profile] ?? []).includes(name),
      );
      const builders = ours.filter(([, s]) => s.build !== undefined);
      // one service builds the image (`docker compose up` builds it every time); the others run it
      expect(builders.length, profile).toBe(1);
      const [builderName, builder] = builders[0] as [string, Service];
      expect(JSON.stringify(builder.build), builderName).toContain('infra/docker/Dockerfile');
      expect(builder.image, builderName).toMatch(/^streamkit\/[a-z-]+:dev$/);
      expect(builder.pull_policy, builderName).toBe('build');
      // in every profile of the file, so that whichever runs, the image is built
      expect([...(builder.profiles ?? [])].sort(), builderName).toEqual([...ownProfiles].sort());
      for (const [name, s] of Object.entries(file?.doc.services ?? {})) {
        expect(s.profiles?.length, name).toBeGreaterThan(0);
        expect(ownProfiles, name).toEqual(expect.arrayContaining(s.profiles ?? []));
        if ((pipelineEngineImages[profile] ?? []).includes(name)) expect(s.image, name).toMatch(/:v\d/);
        else if (name !== builderName) {
          expect(s.image, name).toBe(builder.image);
          expect(s.pull_policy, name).toBe('never');
        }
      }
    }
  });

  it('send the traces of every pipeline service to the collector, and start the views after logs.http exists', () => {
    const traced = services.filter(({ s }) =>
      JSON.stringify(s.command ?? []).includes('@streamkit/telemetry/register'),
    );
    expect(traced.length).toBeGreaterThan(10);
    for (const { name, s } of traced) {
      const environment = (s.environment ?? {}) as Record<string, string>;
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, not a template
      const endpoint = '${STREAMKIT_OTLP_ENDPOINT:-http://otel-collector:4318}';
      expect(environment.OTEL_EXPORTER_OTLP_ENDPOINT, name).toBe(endpoint);
      expect(environment.OTEL_SERVICE_NAME, name).toBe(name);
    }
    for (const name of ['dashboard-views-migrate', 'dashboard-views-migrate-materialize']) {
      const dependsOn = (byName.get(name)?.s.depends_on ?? {}) as Record<string, unknown>;
      expect(dependsOn['dashboard-shipper'], name).toEqual({ condition: 'service_healthy' });
    }
  });

  it('run the dashboard on RisingWave by default and on Materialize in its alternative profile', () => {
    const inProfile = (profile: string) =>
      services.filter(({ s }) => s.profiles?.includes(profile)).map(({ name, s }) => ({ name, s }));
    const engineOf = (s: Service) => (s.environment as Record<string, string> | undefined)?.VIEWS_ENGINE;
    for (const [profile, engine] of [
      ['dashboard', 'risingwave'],
      ['dashboard-materialize', 'materialize'],
    ] as const) {
      const names = inProfile(profile).map((x) => x.name);
      expect(names, profile).toEqual(
        expect.arrayContaining(['dashboard-loggen', 'dashboard-shipper', engine]),
      );
      // every service that reads or creates the views in this profile uses this profile's engine
      const engineUsers = inProfile(profile).filter((x) => engineOf(x.s) !== undefined);
      expect(engineUsers.length, profile).toBe(2);
      for (const { name, s } of engineUsers) {
        expect(engineOf(s), name).toBe(engine);
        expect(Object.keys(s.depends_on ?? {}), name).toContain(engine);
      }
      expect(names, `${profile} runs no PostgreSQL sink`).not.toContain('dashboard-sink');
      const migrate = engineUsers.find((x) => /migrate/.test(JSON.stringify(x.s.command)));
      const web = engineUsers.find((x) => x !== migrate);
      const webDependsOn = (web?.s.depends_on ?? {}) as Record<string, { condition?: string }>;
      expect(webDependsOn[migrate?.name ?? ''], profile).toEqual({
        condition: 'service_completed_successfully',
      });
    }
    expect(existsSync(join(root, 'infra/compose/dashboard-engines.yaml'))).toBe(false);
  });

  it('run Kafka at the same version as infra/kafka-local', () => {
    const pom = readFileSync(join(root, 'infra/kafka-local/pom.xml'), 'utf8');
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
    expect(version).toMatch(/^4\.\d+\.\d+$/);
    expect(byName.get('kafka')?.s.image).toBe(`apache/kafka:${version}`);
  });

  it('publish every port on 127.0.0.1 only (no password on the infrastructure, development keys on the apps)', () => {
    const exposed = services.flatMap(({ name, s }) =>
      hostPorts(s)
        .filter((p) => !p.startsWith('127.0.0.1:'))
        .map((p) => `${name} ${p}`),
    );
    expect(exposed).toEqual([]);
  });

  it('run Redis 7.4.6 or later (CVE-2025-49844)', () => {
    const [major, minor, patch] = (
      /^redis:(\d+)\.(\d+)\.(\d+)/.exec(byName.get('redis')?.s.image ?? '') ?? []
    )
      .slice(1)
      .map(Number);
    expect([major, minor, patch].every((n) => Number.isInteger(n))).toBe(true);
    expect((major as number) * 1e6 + (minor as number) * 1e3 + (patch as number)).toBeGreaterThanOrEqual(
      7_004_006,
    );
  });

  it('publish each host port once', () => {
    const published = services.flatMap(({ name, s }) => hostPorts(s).map((p) => ({ name, p })));
    // Compared by port number alone: two services on one port but different host IPs confuse people too.
    const ports = published.map((x) => x.p.split(':').at(-1));
    const clashes = published
      .filter((x) => ports.filter((p) => p === x.p.split(':').at(-1)).length > 1)
      .map((x) => `${x.name} ${x.p}`);
    expect(clashes).toEqual([]);
    expect(ports).toEqual(expect.arrayContaining(['9092', '5432', '6379', '1883']));
  });

  it('mount files that exist, and declare every named volume they use', () => {
    const problems = services.flatMap(({ name, s, file }) =>
      (s.volumes ?? []).flatMap((v) => {
        const source = typeof v === 'string' ? v.split(':')[0] : v.source;
        if (source === undefined) return [];
        if (/^[./~]/.test(source)) {
          return existsSync(resolve(dirname(file.path), source)) ? [] : [`${name}: missing ${source}`];
        }
        const declared = files.some((f) => Object.hasOwn((f.doc.volumes as Json | undefined) ?? {}, source));
        return declared ? [] : [`${name}: undeclared volume ${source}`];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('run Mosquitto with authentication (dynamic security), no anonymous access and a packet size cap', () => {
    const conf = readFileSync(join(root, 'infra/compose/mosquitto/mosquitto.conf'), 'utf8');
    const settings = new Map(
      conf
        .split('\n')
        .filter((l) => /^[a-z_]+\s/.test(l))
        .map((l) => [l.split(/\s+/)[0], l.split(/\s+/).slice(1).join(' ')]),
    );
    expect(settings.get('allow_anonymous')).toBe('false');
    expect(settings.get('plugin')).toMatch(/mosquitto_dynamic_security\.so$/);
    expect(settings.get('plugin_opt_config_file')).toMatch(/^\/mosquitto\/data\//);
    expect(Number(settings.get('max_packet_size'))).toBeGreaterThan(1024);
    expect(Number(settings.get('max_packet_size'))).toBeLessThan(1024 * 1024); // Kafka's record limit
    // the hub administers it with the admin identity the broker's init step creates
    const hub = byName.get('iot-hub')?.s.environment as Record<string, string> | undefined;
    const broker = byName.get('mosquitto')?.s.environment as Record<string, string> | undefined;
    expect(hub?.HUB_MQTT_ADMIN_PASSWORD).toBe(broker?.MQTT_ADMIN_PASSWORD);
    expect(hub?.HUB_MQTT_ADMIN_USERNAME).toBe(broker?.MQTT_ADMIN_USERNAME);
  });

  it('escape every literal $ as $$ (Compose would interpolate $SYS as an empty variable)', () => {
    const strings = (v: unknown): string[] =>
      typeof v === 'string'
        ? [v]
        : typeof v === 'object' && v !== null
          ? Object.values(v).flatMap(strings)
          : [];
    const unescaped = files.flatMap((f) =>
      strings(f.doc)
        .filter((s) => /\$[^{]|\$$/.test(s.replaceAll('$$', '')))
        .map((s) => `${rel(f.path)}: ${s}`),
    );
    expect(unescaped).toEqual([]);
  });
});

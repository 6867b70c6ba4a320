// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose interpolation syntax, not templates
// Loading a project as Compose does: include, .env, anchors and merge keys, profiles, normalization —
// on small fixture projects written per test, then on the repository's own compose.yaml.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepoRoot } from '@streamkit/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../src/compose/load-project.ts';
import { selectServices } from '../src/compose/select-services.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Writes files (path → content) into a fresh directory and returns it. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'compose-fixture-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('loadProject', () => {
  it('resolves anchors, aliases and << merge keys before interpolating values (not keys)', () => {
    const dir = fixture({
      'compose.yaml': `
name: demo
x-env: &common
  KAFKA_BROKERS: kafka:19092
  PREFIX: \${PREFIX:-none}
services:
  a:
    image: a:1
    environment:
      <<: *common
      OWN: "1"
      \${NOT_A_KEY}: kept
    command: &cmd ["node", "--flag", "main.ts"]
  b:
    image: b:1
    command: *cmd
    environment: [ "LIST=1", "FROM_SHELL" ]
`,
    });
    const project = loadProject(join(dir, 'compose.yaml'), { environment: { FROM_SHELL: 'shell' } });
    expect(project.name).toBe('demo');
    expect(project.services.get('a')?.environment).toEqual({
      KAFKA_BROKERS: 'kafka:19092',
      PREFIX: 'none',
      OWN: '1',
      '${NOT_A_KEY}': 'kept',
    });
    expect(project.services.get('b')?.command).toEqual(['node', '--flag', 'main.ts']);
    expect(project.services.get('b')?.environment).toEqual({ LIST: '1', FROM_SHELL: 'shell' });
  });

  it('takes defaults from the .env beside the first file, the shell winning over it', () => {
    const dir = fixture({
      '.env': 'KEY=from-dotenv\nOTHER=dotenv-only\n',
      'compose.yaml': 'services:\n  a:\n    image: a:1\n    environment: { K: "${KEY}", O: "${OTHER}" }\n',
    });
    const project = loadProject(join(dir, 'compose.yaml'), { environment: { KEY: 'from-shell' } });
    expect(project.services.get('a')?.environment).toEqual({ K: 'from-shell', O: 'dotenv-only' });
    expect(project.name).toBe(
      dir
        .split('/')
        .at(-1)
        ?.toLowerCase()
        .replace(/[^a-z0-9_-]/g, ''),
    );
  });

  it('loads include entries as sub-projects: own relative paths, own .env under the parent environment', () => {
    const dir = fixture({
      '.env': 'SHARED=root\n',
      'compose.yaml': 'include:\n  - sub/part.yaml\nservices:\n  top:\n    image: t:1\n',
      'sub/.env': 'SHARED=sub\nSUB_ONLY=sub\n',
      'sub/part.yaml': `
services:
  inner:
    build: { context: .., dockerfile: docker/Dockerfile }
    environment: { S: "\${SHARED}", O: "\${SUB_ONLY}" }
    volumes: [ "./conf:/etc/conf:ro", "data:/data" ]
volumes:
  data: {}
`,
    });
    const project = loadProject(join(dir, 'compose.yaml'), { environment: {} });
    expect(project.files).toEqual([join(dir, 'compose.yaml'), join(dir, 'sub/part.yaml')]);
    const inner = project.services.get('inner');
    expect(inner?.environment).toEqual({ S: 'root', O: 'sub' });
    expect(inner?.build).toEqual({ context: dir, dockerfile: join(dir, 'docker/Dockerfile'), args: {} });
    expect(inner?.volumes).toEqual([
      { type: 'bind', source: join(dir, 'sub/conf'), target: '/etc/conf', readOnly: true },
      { type: 'volume', source: 'data', target: '/data', readOnly: false },
    ]);
    expect([...project.volumes.keys()]).toEqual(['data']);
  });

  it('refuses a service defined in two files, and stops on ${VAR:?message}', () => {
    const twice = fixture({
      'compose.yaml': 'include: [other.yaml]\nservices:\n  a: { image: a:1 }\n',
      'other.yaml': 'services:\n  a: { image: a:2 }\n',
    });
    expect(() => loadProject(join(twice, 'compose.yaml'), { environment: {} })).toThrow(
      /service a is also defined/,
    );
    const required = fixture({
      'compose.yaml':
        'services:\n  a:\n    image: a:1\n    environment: { KEY: "${API_KEY:?set API_KEY}" }\n',
    });
    expect(() => loadProject(join(required, 'compose.yaml'), { environment: {} })).toThrow(
      /services\.a\.environment\.KEY: required variable API_KEY is missing a value: set API_KEY/,
    );
  });

  it('normalizes healthchecks, durations, restart policies, depends_on and ports', () => {
    const dir = fixture({
      'compose.yaml': `
services:
  a:
    image: a:1
    healthcheck: { test: "curl -f http://x", interval: 1m30s, timeout: 500ms, retries: 2, start_period: 1.5s }
    restart: on-failure:3
    ports: [ "8080", "127.0.0.1:9092:9092", "[::1]:53:53/udp", "8081:80" ]
  b:
    image: b:1
    depends_on: [a]
    healthcheck: { test: ["CMD", "true"] }
    restart: unless-stopped
  c:
    image: c:1
    depends_on: { a: { condition: service_healthy }, b: { condition: service_completed_successfully } }
    healthcheck: { disable: true }
`,
    });
    const project = loadProject(join(dir, 'compose.yaml'), { environment: {} });
    const a = project.services.get('a');
    expect(a?.healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -f http://x'],
      intervalMs: 90_000,
      timeoutMs: 500,
      retries: 2,
      startPeriodMs: 1500,
      startIntervalMs: 5000,
    });
    expect(a?.restart).toEqual({ kind: 'on-failure', maxRetries: 3 });
    expect(a?.ports).toEqual([
      { target: 8080, protocol: 'tcp' },
      { target: 9092, published: '9092', hostIp: '127.0.0.1', protocol: 'tcp' },
      { target: 53, published: '53', hostIp: '::1', protocol: 'udp' },
      { target: 80, published: '8081', protocol: 'tcp' },
    ]);
    expect(project.services.get('b')?.healthcheck?.intervalMs).toBe(30_000);
    expect(project.services.get('b')?.dependsOn).toEqual({
      a: { condition: 'service_started', required: true },
    });
    expect(project.services.get('c')?.healthcheck?.test).toEqual(['NONE']);
    expect(project.services.get('c')?.dependsOn.b?.condition).toBe('service_completed_successfully');
  });
});

describe('selectServices', () => {
  const dir = fixture({
    'compose.yaml': `
services:
  base: { image: b:1 }
  one: { image: o:1, profiles: [p1], depends_on: [base] }
  two: { image: t:1, profiles: [p2], depends_on: { one: { condition: service_started, required: false } } }
  three: { image: t:1, profiles: [p3], depends_on: [one] }
`,
  });
  const project = loadProject(join(dir, 'compose.yaml'), { environment: {} });

  it('starts services without profiles and those of an active profile, dependencies first', () => {
    expect(selectServices(project, []).map((s) => s.name)).toEqual(['base']);
    expect(selectServices(project, ['p2', 'p1']).map((s) => s.name)).toEqual(['base', 'one', 'two']);
  });

  it('drops an optional dependency that is left out, and refuses a required one', () => {
    expect(selectServices(project, ['p2']).find((s) => s.name === 'two')?.dependsOn).toEqual({});
    expect(() => selectServices(project, ['p3'])).toThrow(
      /three depends on one, which the profiles p3 leave out/,
    );
  });
});

describe("the repository's compose.yaml", () => {
  const root = findRepoRoot();
  const project = loadProject(join(root, 'compose.yaml'), { environment: {} });

  it('loads with every variable given a default, as a fresh checkout without .env runs it', () => {
    expect(project.name).toBe('streamkit');
    expect(project.unsetVariables).toEqual([]);
    // `$$` is a literal `$`: the shell of the CMD-SHELL healthcheck reads the admin from its environment
    const [form, command] = project.services.get('mosquitto')?.healthcheck?.test ?? [];
    expect(form).toBe('CMD-SHELL');
    expect(command).toContain("-t '$SYS/#'");
    expect(command).toContain('-u "$MQTT_ADMIN_USERNAME" -P "$MQTT_ADMIN_PASSWORD"');
  });
});

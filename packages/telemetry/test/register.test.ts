import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const tracedApp = fileURLToPath(new URL('./fixtures/traced-app.ts', import.meta.url));

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}
interface OtlpExport {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { spans: { name: string; attributes: OtlpAttribute[] }[] }[];
  }[];
}

/** A real OTLP/HTTP (JSON) receiver that keeps what it was sent; stands in for the collector. */
let receiver: Server;
let endpoint: string;
const received: OtlpExport[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runTracedApp(
  mode: string,
  env: Record<string, string>,
): { child: ChildProcess; exit: Promise<Exit>; stdout: () => string } {
  const child = spawn(process.execPath, ['--import', '@streamkit/telemetry/register', tracedApp, mode], {
    cwd: packageDir,
    env: processEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit, stdout: () => stdout };
}

function spansFrom(serviceName: string, mode: string) {
  return received
    .flatMap((batch) => batch.resourceSpans)
    .filter((rs) =>
      rs.resource.attributes.some((a) => a.key === 'service.name' && a.value.stringValue === serviceName),
    )
    .flatMap((rs) => rs.scopeSpans.flatMap((scope) => scope.spans))
    .filter((span) => span.attributes.some((a) => a.key === 'fixture.mode' && a.value.stringValue === mode));
}

describe('node --import @streamkit/telemetry/register', () => {
  it('exports spans on SIGTERM and still dies of SIGTERM when the app has no handler', async () => {
    const run = runTracedApp('default-signal', {
      OTEL_SERVICE_NAME: 'svc-default',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    });
    await vi.waitFor(() => expect(run.stdout()).toContain('ready'), { timeout: 15_000, interval: 50 });

    run.child.kill('SIGTERM');
    const exit = await run.exit;

    expect(exit).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(spansFrom('svc-default', 'default-signal').map((span) => span.name)).toEqual(['fixture work']);
  });

  it('leaves SIGTERM to the app when it handles it: its exit code stands, spans are exported', async () => {
    const run = runTracedApp('own-handler', {
      OTEL_SERVICE_NAME: 'svc-own',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    });
    await vi.waitFor(() => expect(run.stdout()).toContain('ready'), { timeout: 15_000, interval: 50 });

    run.child.kill('SIGTERM');
    const exit = await run.exit;

    expect(exit).toMatchObject({ code: 3, signal: null });
    expect(spansFrom('svc-own', 'own-handler')).toHaveLength(1);
  });

  it('exports spans when the app ends by itself, keeping its exit code', async () => {
    const run = runTracedApp('natural-exit', {
      OTEL_SERVICE_NAME: 'svc-natural',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    });
    const exit = await run.exit;

    expect(exit).toMatchObject({ code: 5, signal: null });
    expect(spansFrom('svc-natural', 'natural-exit')).toHaveLength(1);
  });

  it('stops before the app starts when a telemetry setting is malformed', async () => {
    const run = runTracedApp('natural-exit', { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' });
    const exit = await run.exit;

    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain('ConfigError');
    expect(exit.stderr).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: expected a URL');
  });
});

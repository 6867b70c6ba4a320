import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.ts';
import { startTracedProcess } from './support/traced-process.ts';

const tracedApp = fileURLToPath(new URL('./fixtures/traced-app.ts', import.meta.url));

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

function runTracedApp(mode: string, env: Record<string, string>) {
  return startTracedProcess(tracedApp, [mode], env);
}

function spansFrom(serviceName: string, mode: string) {
  return receiver
    .spans()
    .filter((span) => span.service === serviceName && span.attributes['fixture.mode'] === mode);
}

describe('node --import @streamkit/telemetry/register', () => {
  it('exports spans on SIGTERM and still dies of SIGTERM when the app has no handler', async () => {
    const run = runTracedApp('default-signal', {
      OTEL_SERVICE_NAME: 'svc-default',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
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
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
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
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
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

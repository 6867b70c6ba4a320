import { fileURLToPath } from 'node:url';
import { processEnvironment } from '@streamkit/config';
import { useServiceProcesses } from '@streamkit/testkit/file-env';
import { describe, expect, inject, it } from 'vitest';
import { fleetReadings, processorTestEnv, reading, useProcessorEnv } from './processor.harness.ts';

const infra = inject('infrastructure');
const appDir = fileURLToPath(new URL('..', import.meta.url));
const env = useProcessorEnv('iot-crash');
const processes = useServiceProcesses();

const count = (sql: string) => env().countLake(sql);

describe('processor crash recovery', () => {
  it('kill -9 mid-stream, restart: the lake holds every reading and every closed window exactly once', async () => {
    const devices = 30;
    const perDevice = 200;
    const input = fleetReadings('crash-dev', devices, perDevice, 1500);
    const childEnv = processEnvironment({
      ...processorTestEnv(infra, env().name, env().db.url, env().lakeDir),
      PROCESSOR_GROUP_ID: `${env().name}-child`,
      // many small micro-batches: a kill lands between checkpoints, often inside one
      PROCESSOR_TRIGGER_INTERVAL_MS: '100',
      PROCESSOR_TRIGGER_MAX_RECORDS: '150',
      PROCESSOR_MAX_RUN_SIZE: '50',
      PROCESSOR_ALLOWED_LATENESS_MS: '30000',
      PROCESSOR_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'warn',
    });
    const startChild = () => processes.start('src/processor/main.ts', { cwd: appDir, env: childEnv });
    for (let i = 0; i < input.length; i += 500) {
      await env().producer.send(
        env().topics.telemetry,
        input.slice(i, i + 500).map((value) => ({ value })),
      );
    }

    const first = startChild();
    await expect
      .poll(() => count('SELECT count(*)::INTEGER AS n FROM raw'), { timeout: 60_000, interval: 20 })
      .toBeGreaterThan(600);
    const killed = await first.stop('SIGKILL');
    expect(killed.signal, first.output()).toBe('SIGKILL');
    expect(await count('SELECT count(*)::INTEGER AS n FROM raw')).toBeLessThan(input.length); // really mid-stream

    const second = startChild();
    await expect
      .poll(() => count('SELECT count(*)::INTEGER AS n FROM raw'), { timeout: 90_000, interval: 100 })
      .toBeGreaterThanOrEqual(input.length);
    // every reading once: as many rows as distinct (device, seq), and as the input
    expect(await count('SELECT count(*)::INTEGER AS n FROM raw')).toBe(input.length);
    expect(await count('SELECT count(DISTINCT (device_id, seq))::INTEGER AS n FROM raw')).toBe(input.length);
    // closed windows: each (device, window) once, holding only readings counted once
    const windows = await env().queryLake<{ n: number; d: number; readings: number }>(
      'SELECT count(*)::INTEGER AS n, count(DISTINCT (device_id, window_start_ms))::INTEGER AS d, sum(reading_count)::INTEGER AS readings FROM windows',
    );
    expect(windows[0]?.n).toBeGreaterThan(0);
    expect(windows[0]?.n).toBe(windows[0]?.d);
    const expectedReadings = await count(
      `SELECT count(*)::INTEGER AS n FROM raw r WHERE NOT late AND EXISTS (SELECT 1 FROM windows w WHERE w.device_id = r.device_id
         AND r.ts_ms >= w.window_start_ms AND r.ts_ms < w.window_end_ms)`,
    );
    expect(windows[0]?.readings).toBe(expectedReadings);

    const stopped = await second.stop('SIGTERM');
    expect(stopped.code, second.output()).toBe(0);
  });
});

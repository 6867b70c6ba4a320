import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { defineService } from '@streamkit/runtime';
import { Counter } from 'prom-client';
import { loggenEnv } from './config.ts';
import { createLineSource } from './line-source.ts';
import { createLogWriter } from './log-writer.ts';
import { startRateWriter } from './rate-writer.ts';

/** Appends access-log lines to a file at a rate, rotating it as a web server's logrotate would. */
export const loggenService = defineService({
  name: 'dashboard-loggen',
  config: loggenEnv,
  async start({ config, registry, acquire, watch }) {
    const linesWritten = new Counter({
      name: 'loggen_lines_written_total',
      help: 'access-log lines appended to the file',
      registers: [registry],
    });
    await acquire('log directory', () => mkdir(dirname(config.file), { recursive: true }));
    const writer = createLogWriter({
      path: config.file,
      rotateAtBytes: config.rotateAtBytes,
      rotation: config.rotation,
      keep: config.keep,
    });
    const running = await acquire(
      'writer',
      () =>
        startRateWriter(writer, createLineSource(config), {
          rate: config.rate,
          onWritten: (n) => linesWritten.inc(n),
        }),
      (w) => w.stop(),
    );
    watch('writing', running.done);
    return { metrics: { port: config.metricsPort, checks: {} } };
  },
});

// The dashboard service (as `pnpm demo dashboard` starts it) over a sink test environment's database.
import { startService } from '@streamkit/runtime';
import type { FastifyInstance } from 'fastify';
import { dashboardService } from '../../src/dashboard/service.ts';
import type { SinkTestEnv } from './sink-harness.ts';

export interface TestDashboard {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

export async function startTestDashboard(env: SinkTestEnv): Promise<TestDashboard> {
  const dashboard = await startService(dashboardService, {
    env: {
      DATABASE_URL: env.db.url,
      VIEWS_ENGINE: 'postgres',
      DASHBOARD_POLL_MS: '200',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
  });
  const app = dashboard.app;
  if (app === undefined) throw new Error('the dashboard service has an HTTP app');
  return { app, url: dashboard.address, close: () => dashboard.stop() };
}

/** Reads `event: views` payloads from /api/stream until `stop()` (fetch streaming, no EventSource in Node tests). */
export function readStream(url: string): {
  events: { seq: number; views: Record<string, unknown[]> }[];
  stop(): void;
} {
  const controller = new AbortController();
  const events: { seq: number; views: Record<string, unknown[]> }[] = [];
  void (async () => {
    const res = await fetch(url, { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: views') && data !== undefined) events.push(JSON.parse(data.slice(6)));
        end = buffer.indexOf('\n\n');
      }
    }
  })().catch(() => undefined);
  return { events, stop: () => controller.abort() };
}

// The dashboard service (as `pnpm demo dashboard` starts it) over a sink test environment's database.
import { startService } from '@streamkit/runtime';
import { openEventStream } from '@streamkit/testkit';
import type { FastifyInstance } from 'fastify';
import { dashboardService } from '../../src/dashboard/service.ts';
import { demoDashboardApiKey } from '../../src/demo.ts';

/** The demo's key (what `pnpm loadgen dashboard` sends when DASHBOARD_API_KEY is unset). */
export const dashboardTestApiKey = demoDashboardApiKey;
/** What a program sends to /api routes (the page uses a session instead). */
export const dashboardKeyHeaders = Object.freeze({ 'x-api-key': dashboardTestApiKey });

import type { SinkTestEnv } from './sink-harness.ts';

export interface TestDashboard {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

export async function startTestDashboard(
  env: SinkTestEnv,
  settings: Record<string, string> = {},
): Promise<TestDashboard> {
  const dashboard = await startService(dashboardService, {
    env: {
      DATABASE_URL: env.db.url,
      VIEWS_ENGINE: 'postgres',
      DASHBOARD_POLL_MS: '200',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DASHBOARD_API_KEY: dashboardTestApiKey,
      ...settings,
    },
  });
  const app = dashboard.app;
  if (app === undefined) throw new Error('the dashboard service has an HTTP app');
  return { app, url: dashboard.address, close: () => dashboard.stop() };
}

/** The `event: views` payloads of /api/stream as they arrive, until `stop()`. */
export function readStream(url: string): {
  events: { seq: number; views: Record<string, unknown[]> }[];
  stop(): void;
} {
  const stream = openEventStream(url, { headers: dashboardKeyHeaders });
  return {
    get events() {
      return stream.events('views').map((m) => JSON.parse(m.data ?? '{}'));
    },
    stop: () => void stream.close(),
  };
}

// The dashboard app over a sink test environment's database, listening on a free port.

import { createServiceRegistry, postgresCheck } from '@streamkit/runtime';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/dashboard/app.ts';
import { createPollingChangeFeed, type ViewsChangeFeed } from '../../src/dashboard/change-feed.ts';
import { createViewsBroadcast } from '../../src/dashboard/views-broadcast.ts';
import type { SinkTestEnv } from './sink-harness.ts';

export interface TestDashboard {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

export async function startTestDashboard(env: SinkTestEnv): Promise<TestDashboard> {
  const feed: ViewsChangeFeed = createPollingChangeFeed({ db: env.pool, intervalMs: 200 });
  const broadcast = createViewsBroadcast({ reader: env.reader, feed });
  const app = await buildApp({
    reader: env.reader,
    broadcast,
    registry: createServiceRegistry(`${env.name}-dashboard`, { defaultMetrics: false }),
    checks: { postgres: postgresCheck(env.pool) },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    async close() {
      await app.close();
      await feed.close();
    },
  };
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

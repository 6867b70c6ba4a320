/**
 * `pnpm loadgen recs-serve`: GET /recommendations/:userId on the open-loop schedule over keep-alive
 * connections; latency runs from the intended send time to the whole response having arrived.
 */
import { defineScenario } from '@streamkit/loadgen';
import { createWebClient, expectHealthyWeb } from './http-client.ts';

const options = {
  'web-url': { type: 'string', default: 'http://127.0.0.1:8070', description: 'the web service' },
  users: {
    type: 'int',
    default: 2000,
    min: 1,
    max: 10_000_000,
    description: 'distinct users asked for, u-000000 … (the generator’s shoppers)',
  },
  'user-prefix': { type: 'string', default: 'u-', description: 'user id prefix (the generator’s default)' },
  limit: { type: 'int', default: 10, min: 1, max: 50, description: '?limit= of each request' },
  connections: { type: 'int', default: 32, min: 1, max: 10_000, description: 'keep-alive sockets' },
  'request-timeout-ms': { type: 'int', default: 5000, min: 100, max: 120_000, description: 'per GET' },
} as const;

export const recsServeScenario = defineScenario({
  name: 'recs-serve',
  description: 'GET /recommendations/:userId at a fixed rate; latency to the full response',
  options,
  async setup(ctx) {
    const o = ctx.options;
    await expectHealthyWeb(o['web-url']);
    const client = createWebClient({
      baseUrl: o['web-url'],
      connections: o.connections,
      timeoutMs: o['request-timeout-ms'],
    });
    // the paths are built once: the load generator should cost less than the service it measures
    const paths = Array.from(
      { length: o.users },
      (_, i) => `/recommendations/${o['user-prefix']}${String(i).padStart(6, '0')}?limit=${o.limit}`,
    );
    const sources = { personal: 0, fallback: 0 };
    ctx.log(`GET ${o['web-url']}/recommendations/… over ${o.connections} connections, ${o.users} users`);
    return {
      async send(operation) {
        const body = await client.call('GET', paths[operation % paths.length] as string, 200);
        ctx.recordLatency({ operation });
        // a cheap look at the answer's source, without parsing it
        if (body.includes('"source":"personal"')) sources.personal++;
        else sources.fallback++;
      },
      async teardown() {
        await client.close();
        ctx.log(`answers: ${sources.personal} personal, ${sources.fallback} fallback`);
      },
    };
  },
});

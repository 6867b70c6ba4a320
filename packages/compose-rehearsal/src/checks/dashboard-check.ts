import { expectStatus, type IngressCheck, request, until } from './ingress-check.ts';

const ROUTE = '/compose-rehearsal';

/**
 * dashboard: one access-log line POSTed to dashboard-shipper (port 8093) → its route in the
 * latency_per_route_per_minute view, read from the profile's dashboard. The engines' profiles differ
 * only in the dashboard that reads the view (and the engine behind it).
 */
function dashboardCheck(profile: string, web: string, port: number, engine: string[]): IngressCheck {
  return {
    profile,
    describe: `an access-log line POSTed to dashboard-shipper → a row of a view, read by ${web}`,
    path: ['dashboard-shipper', ...engine, web],
    traced: ['dashboard-shipper', ...engine.filter((s) => s.startsWith('dashboard-'))],
    async run(context) {
      const shipper = `http://${context.published('dashboard-shipper', 8093)}`;
      const now = new Date();
      const line = {
        time: now.toISOString(),
        host: 'rehearsal.example',
        remote_addr: '203.0.113.9',
        request_method: 'GET',
        request_uri: ROUTE,
        status: 200,
        body_bytes_sent: 512,
        request_time: 0.012,
        http_user_agent: 'curl/8.5.0',
      };
      const posted = await request('POST', `${shipper}/logs`, {
        headers: {
          'x-api-key': context.environment('dashboard-shipper').SHIPPER_API_KEY ?? '',
          'content-type': 'application/x-ndjson',
        },
        raw: `${JSON.stringify(line)}\n`,
      });
      expectStatus('POST /logs', posted, 202);
      const dashboard = `http://${context.published(web, port)}`;
      const headers = { 'x-api-key': context.environment(web).DASHBOARD_API_KEY ?? '' };
      const from = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
      const to = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 120_000).toISOString();
      const row = await until('the view row', context.timeoutMs, async () => {
        const got = await request(
          'GET',
          `${dashboard}/api/views/latency_per_route_per_minute?from=${from}&to=${to}&limit=1000`,
          { headers },
        );
        expectStatus('GET /api/views/latency_per_route_per_minute', got, 200);
        const rows = (got.body as { rows?: { route?: string }[] }).rows ?? [];
        return rows.find((r) => r.route === ROUTE);
      });
      // and the lines dashboard-loggen writes into the shared volume, tailed by the shipper, arrive too
      const fromFile = await until("the log file's lines in a view", context.timeoutMs, async () => {
        const got = await request('GET', `${dashboard}/api/views/top_paths_5m?limit=1000`, { headers });
        expectStatus('GET /api/views/top_paths_5m', got, 200);
        const rows = (got.body as { rows?: { route?: string }[] }).rows ?? [];
        const others = rows.filter((r) => r.route !== ROUTE);
        return others.length > 0 ? others : undefined;
      });
      return `GET ${ROUTE} at ${line.time} → latency_per_route_per_minute ${JSON.stringify(row)}; top_paths_5m also has ${fromFile.length} routes from dashboard-loggen's file`;
    },
  };
}

export const dashboardChecks: readonly IngressCheck[] = [
  dashboardCheck('dashboard', 'dashboard-web', 8094, ['risingwave']),
  dashboardCheck('dashboard-materialize', 'dashboard-web-materialize', 8095, ['materialize']),
  dashboardCheck('dashboard-postgres', 'dashboard-web-postgres', 8096, ['dashboard-sink']),
];

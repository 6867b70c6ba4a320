import { once } from 'node:events';
import { createServer } from 'node:http';
import type { StandIn } from '../network/project-network.ts';

export interface OtlpRecorder extends StandIn {
  /** service.name → spans received from it. */
  readonly spansByService: ReadonlyMap<string, number>;
  /** Requests whose body was not OTLP/JSON (counted, not read). */
  readonly unreadRequests: number;
}

interface OtlpJson {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value?: { stringValue?: string } }[] };
    scopeSpans?: { spans?: unknown[] }[];
  }[];
}

/**
 * Plays the OpenTelemetry Collector's OTLP/HTTP receiver (port 4318, POST /v1/traces) and records
 * which services sent spans: the collector image is not run, but what reaches it is what matters
 * for "traces reach the collector from every pipeline". OTLP/gRPC (4317) is not served.
 */
export function otlpRecorder(service: string): OtlpRecorder {
  const spansByService = new Map<string, number>();
  let unreadRequests = 0;
  return {
    service,
    description: 'an OTLP/HTTP receiver on :4318 recording the spans it gets',
    ports: [4318],
    spansByService,
    get unreadRequests() {
      return unreadRequests;
    },
    async listen(path) {
      const server = createServer(async (request, response) => {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks).toString();
        if (request.method === 'POST' && request.url === '/v1/traces') {
          try {
            for (const rs of (JSON.parse(body) as OtlpJson).resourceSpans ?? []) {
              const name =
                rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue ??
                'unknown';
              const spans = (rs.scopeSpans ?? []).reduce((n, s) => n + (s.spans?.length ?? 0), 0);
              spansByService.set(name, (spansByService.get(name) ?? 0) + spans);
            }
          } catch {
            unreadRequests++;
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
      server.listen(path);
      await once(server, 'listening');
      return server;
    },
    ready: async () => true,
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Answers `GET /` with what it was asked and `GET /health` with ok; everything else is 404/405. */
export function handleEchoRequest(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://echo.invalid');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    sendJson(response, 405, { error: `method ${request.method} not allowed` });
    return;
  }
  if (url.pathname === '/health') {
    sendJson(response, 200, { status: 'ok' });
    return;
  }
  if (url.pathname === '/') {
    sendJson(response, 200, {
      pipeline: 'hello',
      service: 'echo',
      query: Object.fromEntries(url.searchParams),
      userAgent: request.headers['user-agent'] ?? null,
    });
    return;
  }
  sendJson(response, 404, { error: `no route ${url.pathname}` });
}

import { describe, expect, it } from 'vitest';
import { toAccessLog } from '../src/shipper/enrich.ts';
import { processLine } from '../src/shipper/line-processor.ts';
import { parseClfTime, parseCombined } from '../src/shipper/parse-combined.ts';
import { parseLine } from '../src/shipper/parse-line.ts';
import { wholeMilliseconds } from '../src/shipper/request-time.ts';
import { normalizeRoute } from '../src/shipper/routes.ts';
import { createUserAgentClassifier } from '../src/shipper/user-agents.ts';

const agents = createUserAgentClassifier();
const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('combined format', () => {
  it('reads every field, converts the time to UTC and drops the query string', () => {
    const line =
      '198.51.100.7 - frank [10/Oct/2000:13:55:36 -0700] "GET /products/42?ref=mail HTTP/1.1" 200 2326 "https://shop.example/" "' +
      CHROME +
      '" 0.042';
    expect(parseCombined(line)).toEqual({
      ok: true,
      line: {
        ts: '2000-10-10T20:55:36.000Z',
        method: 'GET',
        path: '/products/42',
        status: 200,
        bytes: 2326,
        durationMs: 42,
        clientIp: '198.51.100.7',
        userAgent: CHROME,
        referrer: 'https://shop.example/',
      },
    });
  });

  it('takes "-" as 0 bytes / no referrer / no agent, keeps escaped quotes, and accepts the plain common format', () => {
    const result = parseCombined(
      '2001:db8::1 - - [01/Jan/2025:00:00:00 +0000] "POST /a\\"b HTTP/2.0" 304 - "-" "-"',
    );
    expect(result).toMatchObject({
      ok: true,
      line: { bytes: 0, userAgent: '', path: '/a"b', durationMs: 0 },
    });
    expect(result.ok && 'referrer' in result.line).toBe(false);
    expect(parseCombined('10.0.0.1 - - [01/Jan/2025:00:00:00 +0000] "GET / HTTP/1.0" 200 5')).toMatchObject({
      ok: true,
    });
  });

  it('keeps milliseconds in the timestamp and rejects impossible dates', () => {
    expect(parseClfTime('31/Jan/2025:23:59:59.250 +0100')).toBe('2025-01-31T22:59:59.250Z');
    expect(parseClfTime('32/Jan/2025:00:00:00 +0000')).toBeUndefined();
    expect(parseClfTime('01/Foo/2025:00:00:00 +0000')).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['free text', 'kernel: eth0 link up'],
    ['broken request line', '10.0.0.1 - - [01/Jan/2025:00:00:00 +0000] "GARBAGE" 200 5'],
    ['bad time', '10.0.0.1 - - [yesterday] "GET / HTTP/1.1" 200 5'],
  ])('rejects a malformed line (%s) with a reason', (_name, line) => {
    const result = parseLine(line);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).not.toBe('');
  });
});

describe('JSON lines', () => {
  it('reads streamkit names and nginx aliases, request_time in seconds', () => {
    const nginx = parseLine(
      JSON.stringify({
        time: '2025-03-01T10:00:00.125+01:00',
        host: 'web-2.shop.example',
        remote_addr: '203.0.113.9',
        request_method: 'DELETE',
        request_uri: '/orders/9?x=1',
        status: 503,
        body_bytes_sent: 17,
        request_time: 0.042,
        http_referer: '',
        http_user_agent: 'curl/8.5.0',
      }),
    );
    expect(nginx).toEqual({
      ok: true,
      line: {
        ts: '2025-03-01T09:00:00.125Z',
        method: 'DELETE',
        path: '/orders/9',
        status: 503,
        bytes: 17,
        durationMs: 42,
        clientIp: '203.0.113.9',
        userAgent: 'curl/8.5.0',
        host: 'web-2.shop.example',
      },
    });
  });

  it.each([
    ['not JSON', '{"ts": '],
    ['an array', '[1,2]'],
    ['no timestamp', '{"method":"GET","path":"/","status":200}'],
    ['no status', '{"ts":"2025-01-01T00:00:00Z","method":"GET","path":"/"}'],
  ])('rejects %s', (_name, line) => {
    expect(parseLine(line).ok).toBe(false);
  });
});

describe('route normalization', () => {
  it.each([
    ['/products/123', '/products/:id'],
    ['/products/123/reviews/', '/products/:id/reviews'],
    ['/orders/3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f', '/orders/:uuid'],
    ['/static/app.0123456789abcdef0123.js', '/static/app.0123456789abcdef0123.js'],
    ['/blobs/0123456789abcdef0123456789abcdef', '/blobs/:hash'],
    ['/reset/aB3dE5fG7hJ9kL1mN3pQ5rS7', '/reset/:token'],
    ['/', '/'],
    ['/search', '/search'],
  ])('%s → %s', (path, route) => {
    expect(normalizeRoute(path)).toBe(route);
  });
});

describe('enrichment', () => {
  const base = {
    ts: '2025-01-01T00:00:00.000Z',
    method: 'get',
    path: '/products/7',
    status: 404,
    bytes: 1,
    durationMs: 1.5,
    clientIp: '203.0.113.1',
  };

  it('adds route, status class, user-agent family, bot flag, id and the default host', () => {
    const result = toAccessLog(
      { ...base, userAgent: CHROME },
      { source: 'file', defaultHost: 'web-1', id: 'f.1-2-ab.0' },
      agents,
    );
    expect(result).toMatchObject({
      ok: true,
      log: {
        method: 'GET',
        route: '/products/:id',
        statusClass: '4xx',
        uaFamily: 'Chrome',
        isBot: false,
        host: 'web-1',
        id: 'f.1-2-ab.0',
        durationMs: 2,
      },
    });
  });

  it('flags crawlers and scripts as bots and names script clients by their product token', () => {
    expect(
      agents.classify('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'),
    ).toEqual({
      family: 'Googlebot',
      isBot: true,
    });
    expect(agents.classify('curl/8.5.0')).toEqual({ family: 'curl', isBot: true });
    expect(agents.classify('')).toEqual({ family: 'Other', isBot: false });
  });

  it('rejects what the schema cannot hold, with a reason naming it', () => {
    expect(
      toAccessLog({ ...base, method: 'BREW', userAgent: '' }, { source: 'http', defaultHost: 'h' }, agents),
    ).toEqual({
      ok: false,
      reason: 'unknown HTTP method "BREW"',
    });
    const badIp = processLine(
      '999.1.1.1 - - [01/Jan/2025:00:00:00 +0000] "GET / HTTP/1.1" 200 5',
      { source: 'file', defaultHost: 'h', file: '/var/log/a.log' },
      agents,
    );
    expect(badIp).toMatchObject({ ok: false, rejected: { source: 'file', file: '/var/log/a.log' } });
    expect(badIp.ok ? '' : badIp.rejected.reason).toContain('clientIp');
  });
});

describe('request time resolution', () => {
  it.each([
    [42.499, 42],
    [42.5, 43],
    [2.5, 3],
    [0.4, 0],
    [0.5, 1],
    [0.0425 * 1000, 43],
    [0.029 * 1000, 29],
    [1999.9995, 2000],
  ])('%s ms → %s ms (whole milliseconds, halves up)', (ms, whole) => {
    expect(wholeMilliseconds(ms)).toBe(whole);
  });

  it('gives the same value for every way a line can state it', () => {
    const combined = (seconds: string) =>
      `10.0.0.1 - - [01/Jan/2025:00:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8.5.0" ${seconds}`;
    const json = (fields: Record<string, unknown>) =>
      JSON.stringify({
        ts: '2025-01-01T00:00:00Z',
        method: 'GET',
        path: '/',
        status: 200,
        clientIp: '10.0.0.1',
        ...fields,
      });
    const lines = [
      combined('0.0425'),
      combined('0.042500'),
      combined('0.043'),
      json({ request_time: 0.0425 }),
      json({ request_time: '0.043' }),
      json({ durationMs: 42.5 }),
      json({ duration_ms: 43 }),
    ];
    for (const line of lines) {
      expect(processLine(line, { source: 'http', defaultHost: 'h' }, agents), line).toMatchObject({
        ok: true,
        log: { durationMs: 43 },
      });
    }
  });
});

import { readFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openCheckpointStore } from '../src/shipper/checkpoint-store.ts';
import { createFileTailer } from '../src/shipper/file-tailer.ts';
import { processLine } from '../src/shipper/line-processor.ts';
import { createUserAgentClassifier } from '../src/shipper/user-agents.ts';
import { createShipperTestEnv, type ShipperTestEnv } from './support/shipper-harness.ts';

/**
 * Lines as nginx and Apache write them (test/fixtures/real-world-access.log): nginx escapes `"`,
 * `\` and non-ASCII bytes as \xHH, Apache writes \" and \\ and C escapes, older Apache and
 * hand-written formats leave quotes in the user agent bare; and lines that are truly malformed.
 */
const fixture = new URL('./fixtures/real-world-access.log', import.meta.url);
const lines = readFileSync(fixture, 'utf8').trimEnd().split('\n');
const agents = createUserAgentClassifier();
const origin = { source: 'file', defaultHost: 'web-1.shop.example' } as const;

/** What each fixture line becomes: the fields read, or the reason it is dead-lettered. */
const expected: ({ path: string; userAgent: unknown; [field: string]: unknown } | { reason: RegExp })[] = [
  {
    path: '/search',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) "Quoted"/1.0',
    referrer: 'https://shop.example/',
    durationMs: 42,
  },
  { path: '/café/menu', userAgent: 'Mozilla/5.0 (Linux; Android 14) CaféBrowser/2.1', status: 200 },
  // a TLS handshake sent to the HTTP port, and an empty request: no method or path to record
  { reason: /^unreadable request line "\\x16\\x03\\x01\\x00\\xA5/ },
  { reason: /^unreadable request line "-"$/ },
  {
    path: '/downloads/a\\b.txt',
    userAgent: 'Mozilla/5.0 "Evil" Bot/1.0',
    clientIp: '192.0.2.10',
    ts: '2025-03-12T10:01:06.000Z',
  },
  { path: '/api/orders', userAgent: 'ops-script\twith-tab/0.1', method: 'POST', status: 201 },
  { path: '/products/42', userAgent: 'Mozilla/4.0 (compatible; MSIE 6.0; "Windows NT 5.1"; SV1)' },
  { path: '/products/43', userAgent: 'Java/1.8.0 "Apache-HttpClient" "4.5"', durationMs: 3 },
  // a bare quote in the referrer: where the referrer ends is a guess, so the line is not read
  { reason: /^not a combined-format line: expected the quoted referrer, then the quoted user agent$/ },
  { reason: /^not a combined-format line: no status and size after the request line$/ },
  { reason: /^not a combined-format line: no status and size after the request line$/ },
  { reason: /^not a combined-format line: the user agent is not closed by a quote$/ },
  // nginx: an IPv6 client, HTTP/2, a referrer with \x22 for its quotes, a request time
  {
    path: '/products/7',
    clientIp: '2001:db8:85a3::8a2e:370:7334',
    referrer: 'https://mail.example/?subject="Sale"',
    userAgent: expect.stringMatching(/^Mozilla\/5\.0 \(iPhone; .* Safari\/604\.1$/),
    uaFamily: 'Safari',
    durationMs: 118,
  },
  // Apache's %b writes `-` for no body; `-` referrer and user agent are absent, not the text "-"
  { path: '/health', method: 'HEAD', clientIp: '::1', status: 204, bytes: 0, userAgent: '' },
  // the same TLS probe as Apache writes it (lower-case hex)
  { reason: /^unreadable request line "\\x16\\x03\\x01\\x02/ },
  // Latin-1 bytes are not UTF-8: each becomes U+FFFD instead of failing the line
  { path: '/files/r\uFFFDsum\uFFFD.pdf', userAgent: 'curl/8.5.0', isBot: true },
  // Apache: a user in %u, a referrer holding \" escapes
  {
    path: '/account',
    referrer: 'http://shop.example/login?next="/account"',
    userAgent: expect.stringContaining('Chrome/122'),
    ts: '2025-03-12T10:02:05.000Z',
  },
  {
    path: '/lösung',
    status: 404,
    userAgent: expect.stringContaining('Googlebot'),
    isBot: true,
    durationMs: 1,
  },
  {
    path: '/products/9',
    clientIp: '2001:db8::1',
    userAgent: 'Dalvik/2.1.0 (Linux; U; Android 9; "SM-G960F" Build/PPR1)',
  },
  // nginx's stock `main` format: "$http_x_forwarded_for" after the user agent is read and not kept
  {
    path: '/products/9',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0',
  },
  { path: '/api/cart', status: 499, userAgent: 'okhttp/4.12.0' },
  { reason: /^not a combined-format line: the user agent is not closed by a quote$/ },
  // 31 February is not rolled over to 3 March
  { reason: /^unreadable timestamp "31\/Feb\/2025:10:02:11 \+0000"$/ },
  { reason: /^not a combined-format line: expected the quoted referrer, then the quoted user agent$/ },
];

describe('real-world access log lines', () => {
  it.each(lines.map((line, i) => [i + 1, line, expected[i]] as const))(
    'line %i is read as the server meant it, or dead-lettered with the reason',
    (_n, line, want) => {
      const outcome = processLine(line, origin, agents);
      if (want === undefined) return; // reported by the test below
      if (want.reason instanceof RegExp) {
        expect(outcome.ok).toBe(false);
        expect(outcome.ok ? '' : outcome.rejected.reason).toMatch(want.reason);
      } else {
        expect(outcome).toMatchObject({ ok: true, log: want });
      }
    },
  );

  it('has an expectation for every line of the fixture', () => {
    expect(lines).toHaveLength(expected.length);
  });
});

const infra = inject('infrastructure');
let env: ShipperTestEnv;

beforeAll(async () => {
  env = await createShipperTestEnv(infra, 'ship-real-world');
});
afterAll(async () => {
  await env?.close();
});

describe('shipping a real-world log file', () => {
  it('ships the well-formed lines to Kafka and the malformed ones to the DLQ with their reasons', async () => {
    const path = join(env.dir, 'access.log');
    await copyFile(fixture, path);
    const store = await openCheckpointStore(join(env.dir, 'checkpoint.json'));
    const tailer = createFileTailer(path, store, (batch) => env.sender.send(batch, 'file').then(() => {}), {
      maxBatchLines: 100,
      readChunkBytes: 64 * 1024,
    });
    expect(await tailer.poll()).toBe(lines.length);
    await tailer.close();

    // each accepted line once: its client (the line's first field) and the path expected of it
    const linesRead = expected.flatMap((e, i) =>
      'reason' in e ? [] : [`${lines[i]?.split(' ')[0]} ${e.path}`],
    );
    const shipped = await env.shippedLogs();
    expect(shipped.map((l) => `${l.clientIp} ${l.path}`).sort()).toEqual(linesRead.sort());
    const rejected = await env.rejectedLines();
    expect(rejected.map((r) => r.value.raw).sort()).toEqual(
      lines.filter((_, i) => 'reason' in (expected[i] ?? {})).sort(),
    );
    expect(rejected.every((r) => r.value.file === path && r.reason === r.value.reason)).toBe(true);
  });
});

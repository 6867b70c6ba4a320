import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clfTime, combinedLine, type GeneratedRequest, jsonLine } from '../src/loggen/access-line.ts';
import { createLineSource } from '../src/loggen/line-source.ts';
import { createLogWriter } from '../src/loggen/log-writer.ts';
import { startRateWriter } from '../src/loggen/rate-writer.ts';
import { createTraffic } from '../src/loggen/traffic.ts';
import { processLine } from '../src/shipper/line-processor.ts';
import { createUserAgentClassifier } from '../src/shipper/user-agents.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loggen-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const request: GeneratedRequest = {
  time: Date.UTC(2025, 0, 31, 23, 59, 59, 250),
  host: 'web-1.shop.example',
  method: 'GET',
  path: '/products/7',
  query: 'q=a"b',
  status: 200,
  bytes: 0,
  durationMs: 42.5,
  clientIp: '203.0.113.5',
  userAgent: 'Mozilla/5.0 "quoted"',
};

describe('log lines', () => {
  it('writes the combined format the shipper reads back to the same request', () => {
    expect(clfTime(request.time)).toBe('31/Jan/2025:23:59:59.250 +0000');
    const agents = createUserAgentClassifier();
    for (const line of [combinedLine(request), jsonLine(request)]) {
      const outcome = processLine(line, { source: 'file', defaultHost: 'web-1.shop.example' }, agents);
      expect(outcome).toMatchObject({
        ok: true,
        log: {
          ts: '2025-01-31T23:59:59.250Z',
          path: '/products/7',
          route: '/products/:id',
          // 0.042500 s (combined) and 0.0425 s (JSON): whole milliseconds, halves up
          durationMs: 43,
          bytes: 0,
          userAgent: 'Mozilla/5.0 "quoted"',
        },
      });
    }
  });

  it('gives combined and JSON lines of the same request the same whole-millisecond request time', () => {
    const agents = createUserAgentClassifier();
    const traffic = createTraffic({ seed: 11, hosts: ['a.example'], errorRate: 0.05 });
    for (let i = 0; i < 2000; i++) {
      const r = traffic(Date.UTC(2025, 0, 1) + i);
      const [combined, json] = [combinedLine(r), jsonLine(r)].map((line) =>
        processLine(line, { source: 'file', defaultHost: 'a.example' }, agents),
      );
      const expected = Math.round(r.durationMs);
      expect(combined?.ok && combined.log.durationMs, combinedLine(r)).toBe(expected);
      expect(json?.ok && json.log.durationMs, jsonLine(r)).toBe(expected);
    }
  });

  it('is reproducible from its seed and mixes in malformed lines at the asked rate', () => {
    const settings = {
      seed: 5,
      hosts: ['a.example'],
      format: 'mixed',
      errorRate: 0.1,
      malformedRate: 0.05,
    } as const;
    const one = createLineSource(settings);
    const two = createLineSource(settings);
    const lines = Array.from({ length: 2000 }, (_, i) => one(i * 1000));
    expect(Array.from({ length: 2000 }, (_, i) => two(i * 1000))).toEqual(lines);
    const agents = createUserAgentClassifier();
    const bad = lines.filter(
      (l) => !processLine(l, { source: 'file', defaultHost: 'a.example' }, agents).ok,
    ).length;
    expect(bad).toBeGreaterThan(50);
    expect(bad).toBeLessThan(150);
    expect(lines.some((l) => l.startsWith('{'))).toBe(true);
    expect(lines.some((l) => /^\d/.test(l))).toBe(true);
  });
});

describe('log writer', () => {
  it('rotates by rename and by copytruncate, keeping every line in some file', async () => {
    for (const rotation of ['rename', 'copytruncate'] as const) {
      const path = join(dir, `${rotation}.log`);
      const writer = createLogWriter({ path, rotateAtBytes: 100, rotation, keep: 50 });
      const lines = Array.from({ length: 12 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
      for (const line of lines) await writer.append([line]);
      const files = [path, ...Array.from({ length: 10 }, (_, i) => `${path}.${i + 1}`)];
      const contents = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
      const all = contents.reverse().join('').split('\n').filter(Boolean);
      expect(all).toEqual(lines);
      expect((await stat(path)).size).toBeLessThan(200);
    }
  });

  it('appends lines at the asked rate', async () => {
    const path = join(dir, 'rate.log');
    const writer = createLogWriter({ path, rotateAtBytes: 0, rotation: 'rename', keep: 1 });
    let written = 0;
    const running = startRateWriter(writer, (t) => `line at ${t}`, {
      rate: 200,
      tickMs: 10,
      onWritten: (n) => {
        written += n;
      },
    });
    await expect.poll(() => written, { timeout: 10_000 }).toBeGreaterThanOrEqual(50);
    await running.stop();
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBe(written);
  });
});

import { describe, expect, it } from 'vitest';
import { createCombinedLineMaker } from '../src/loadgen/line-templates.ts';
import { combinedLine, type GeneratedRequest } from '../src/loggen/access-line.ts';
import { createTraffic } from '../src/loggen/traffic.ts';

describe('the load generator line maker', () => {
  it('makes the combined line of its request with the time and path given, query left out', () => {
    const traffic = createTraffic({ seed: 5, hosts: ['web-load.example'], errorRate: 0.1 });
    const requests = Array.from({ length: 50 }, (_, i) => traffic(i));
    const line = createCombinedLineMaker(requests);
    const start = Date.UTC(2026, 11, 3, 18, 59, 59, 990);
    for (let i = 0; i < 200; i++) {
      // a few lines per millisecond, across a second and a minute boundary
      const time = start + Math.floor(i / 3);
      const path = `/loadgen-abc/r-${String.fromCharCode(97 + (i % 26))}`;
      const { query: _query, ...request } = requests[i % requests.length] as GeneratedRequest;
      expect(line(i, time, path)).toBe(combinedLine({ ...request, time, path }));
    }
  });

  it('needs a request to make lines of', () => {
    expect(() => createCombinedLineMaker([])).toThrow(RangeError);
  });
});

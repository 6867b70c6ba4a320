// POST /ingest's token check against the real registry (PostgreSQL): unknown tokens are cached and
// bounded per client address, so a flood of random tokens cannot keep the hub's small pool busy.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenLookup } from '../src/hub/token-lookup.ts';
import { createHubHarness, type HubHarness, type HubInstance, testAdminKey } from './support/hub-harness.ts';
import { reading } from './support/readings.ts';

let harness: HubHarness;
let hub: HubInstance;

beforeAll(async () => {
  harness = await createHubHarness('hub-tokens');
  hub = await harness.startInstance();
});

afterAll(async () => {
  await harness?.close();
});

const randomToken = () => `iotd_${randomBytes(32).toString('base64url')}`;

/** The real registry, counting the lookups that reach PostgreSQL. */
function countedRegistry() {
  const counted = { queries: 0 };
  return {
    counted,
    registry: {
      deviceForToken: (token: string) => {
        counted.queries++;
        return harness.registry.deviceForToken(token);
      },
    },
  };
}

describe('ingest token lookups', () => {
  it('asks PostgreSQL once per unknown token, not for a malformed one, and always for a known one', async () => {
    const { counted, registry } = countedRegistry();
    const lookup = createTokenLookup(registry, { unknownPerAddressPerMinute: 1000 });
    const unknown = randomToken();
    for (let i = 0; i < 5; i++)
      expect(await lookup.verdict(unknown, '10.0.0.1')).toEqual({ kind: 'unknown' });
    expect(counted.queries).toBe(1);
    for (const malformed of [undefined, 'iotd_forged', `${randomToken()}x`, 'x'.repeat(10_000)])
      expect(await lookup.verdict(malformed, '10.0.0.1')).toEqual({ kind: 'unknown' });
    expect(counted.queries).toBe(1);

    const { token } = await harness.registry.register('tok-known', {});
    expect(await lookup.verdict(token, '10.0.0.1')).toEqual({
      kind: 'device',
      deviceId: 'tok-known',
      status: 'active',
    });
    await harness.registry.disable('tok-known');
    expect(await lookup.verdict(token, '10.0.0.1')).toMatchObject({ kind: 'device', status: 'disabled' });
    expect(counted.queries).toBe(3);
  });

  it('forgets an unknown token after its time, and bounds what it remembers', async () => {
    let clock = 1_000_000;
    const { counted, registry } = countedRegistry();
    const lookup = createTokenLookup(registry, { negativeTtlMs: 1000, maxNegative: 2 }, () => clock);
    const [a, b, c] = [randomToken(), randomToken(), randomToken()];
    for (const t of [a, b, c]) await lookup.verdict(t, '10.0.0.2');
    expect(counted.queries).toBe(3);
    await lookup.verdict(c, '10.0.0.2'); // remembered
    expect(counted.queries).toBe(3);
    await lookup.verdict(a, '10.0.0.2'); // pushed out by c: asked again
    expect(counted.queries).toBe(4);
    clock += 1001;
    await lookup.verdict(c, '10.0.0.2'); // expired
    expect(counted.queries).toBe(5);
  });

  it("answers 401 to an address's first 60 unknown tokens a minute, then 429; its devices still get in", async () => {
    const ingest = (token: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/ingest',
        headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${token}` },
        payload: JSON.stringify(reading('tok-1', 1)),
      });
    // the bound counts unknown tokens only: a device sending its own token meanwhile gets in
    const { token } = (
      await hub.app.inject({
        method: 'PUT',
        url: '/devices/tok-1',
        headers: { 'x-api-key': testAdminKey },
        payload: {},
      })
    ).json() as { token: string };
    let refused = 0;
    let limited: Awaited<ReturnType<typeof ingest>> | undefined;
    for (let i = 0; i < 200 && limited === undefined; i++) {
      const answer = await ingest(randomToken());
      if (answer.statusCode === 401) refused++;
      else limited = answer;
      if (i === 30) expect((await ingest(token)).statusCode).toBe(200);
    }
    // 60 a minute: a minute boundary during the loop allows at most 120 before the refusal
    expect(refused).toBeGreaterThanOrEqual(60);
    expect(refused).toBeLessThanOrEqual(120);
    expect(limited?.statusCode).toBe(429);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited?.json()).toEqual({
      error: 'too_many_requests',
      message: 'too many unknown device tokens from 127.0.0.1; wait',
    });
  });
});

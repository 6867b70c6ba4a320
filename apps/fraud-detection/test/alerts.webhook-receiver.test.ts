// The receiver of the alerts README, run as it is printed there (a real node process on a real
// port): it processes a signed delivery once, and refuses altered, stale or forged ones and replays.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@streamkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DELIVERY_ID_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
} from '../src/alerts/webhook-signature.ts';
import { webhookBody } from '../src/alerts/webhook-worker.ts';
import { makeAlert } from './support/alerts-harness.ts';

const secret = 'receiver-test-secret-0123456789';
const readme = new URL('../src/alerts/README.md', import.meta.url);

let dir: string;
let receiver: ChildProcess;
let url: string;
const output: string[] = [];

beforeAll(async () => {
  const text = await readFile(readme, 'utf8');
  const block = /<!-- webhook-receiver:start -->\n```js\n([\s\S]*?)```\n<!-- webhook-receiver:end -->/.exec(
    text,
  );
  if (block?.[1] === undefined) throw new Error('the README has no webhook-receiver block');
  dir = await mkdtemp(join(tmpdir(), 'webhook-receiver-'));
  await writeFile(join(dir, 'receiver.mjs'), block[1]);
  receiver = spawn(process.execPath, [join(dir, 'receiver.mjs')], {
    env: { WEBHOOK_SECRET: secret, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  receiver.stdout
    ?.setEncoding('utf8')
    .on('data', (chunk: string) => output.push(...chunk.trim().split('\n')));
  await waitFor(() => output.some((l) => l.startsWith('listening on')), { timeoutMs: 10_000 });
  url = `http://127.0.0.1:${output[0]?.split(' ').at(-1)}/hooks/fraud`;
});

afterAll(async () => {
  receiver?.kill();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** A delivery as the worker sends it (the worker's own body and signing functions). */
function signed(deliveryId: string, alertIndex: number, timestamp = Math.floor(Date.now() / 1000)) {
  const alert = makeAlert(alertIndex);
  const body = webhookBody({ alert: { ...alert, acknowledged: false } } as Parameters<typeof webhookBody>[0]);
  const ts = String(timestamp);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [DELIVERY_ID_HEADER]: deliveryId,
      [TIMESTAMP_HEADER]: ts,
      [SIGNATURE_HEADER]: signWebhook(secret, { deliveryId, timestamp: ts, body }),
    } as Record<string, string>,
  };
}

const post = (request: { body: string; headers: Record<string, string> }) =>
  fetch(url, { method: 'POST', headers: request.headers, body: request.body });
const processed = () => output.filter((l) => l.startsWith('alert '));

describe('the README webhook receiver', () => {
  it('processes a signed delivery once; a replay of it is answered but not processed again', async () => {
    const delivery = signed('0b7c6f0e-5a7d-4a47-8e55-3f3b1f0d9a01', 700);
    expect((await post(delivery)).status).toBe(204);
    await expect
      .poll(processed)
      .toEqual(['alert alert-700 decline (delivery 0b7c6f0e-5a7d-4a47-8e55-3f3b1f0d9a01)']);
    const replay = await post(delivery);
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe('already processed\n');
    // the service's own retry of that delivery (same id, a new timestamp) is not processed twice either
    expect(
      (await post(signed('0b7c6f0e-5a7d-4a47-8e55-3f3b1f0d9a01', 700, Math.floor(Date.now() / 1000) + 1)))
        .status,
    ).toBe(200);
    expect(processed()).toHaveLength(1);
  });

  it('refuses an altered body, a stale timestamp, another delivery id and a wrong secret (401)', async () => {
    const good = signed('1c8d7a1f-6b8e-4b58-9f66-4a4c2a1e0b12', 701);
    const altered = { ...good, body: good.body.replace('"decision":"review"', '"decision":"decline"') };
    expect(altered.body).not.toBe(good.body);
    const stale = signed('2d9e8b20-7c9f-4c69-a077-5b5d3b2f1c23', 702, Math.floor(Date.now() / 1000) - 301);
    // a captured delivery replayed under a fresh id, to pass the receiver's dedupe
    const renamed = {
      ...good,
      headers: { ...good.headers, [DELIVERY_ID_HEADER]: '3eaf9c31-8da0-4d7a-b188-6c6e4c302d34' },
    };
    const forged = {
      ...good,
      headers: {
        ...good.headers,
        [SIGNATURE_HEADER]: signWebhook(`${secret}x`, {
          deliveryId: '1c8d7a1f-6b8e-4b58-9f66-4a4c2a1e0b12',
          timestamp: good.headers[TIMESTAMP_HEADER] ?? '',
          body: good.body,
        }),
      },
    };
    const unsigned = { ...good, headers: { 'content-type': 'application/json' } };
    for (const [name, request] of Object.entries({ altered, stale, renamed, forged, unsigned })) {
      const answer = await post(request);
      expect(answer.status, name).toBe(401);
      expect(await answer.text()).toBe('bad or stale signature\n');
    }
    expect((await post(good)).status).toBe(204); // the untouched one still goes through, once
    await expect.poll(() => processed()).toHaveLength(2);
  });
});

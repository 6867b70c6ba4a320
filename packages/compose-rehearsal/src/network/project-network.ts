import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RelayPlan } from './netns-relay.ts';
import { splice } from './netns-relay.ts';

/** A service the machine (or the rehearsal itself) provides in place of a container. */
export interface StandIn {
  readonly service: string;
  /** e.g. "this machine's Kafka at 127.0.0.1:9092". */
  readonly description: string;
  /** Container ports served at the service's address on the project network. */
  readonly ports: readonly number[];
  /** More listeners in the namespace served the same way (e.g. the address the machine's Kafka advertises). */
  readonly alsoAt?: readonly { readonly host: string; readonly port: number }[];
  /** Serves this machine's side: a server listening on the Unix socket `path`. */
  listen(path: string): Promise<Server>;
  /** True once the stand-in answers (its "healthcheck"). */
  ready(): Promise<boolean>;
}

export interface OwnService {
  readonly name: string;
  /** Container ports published to the host (`ports:`). */
  readonly published: readonly number[];
}

export interface ProjectNetwork {
  /** The namespace's handle for `nsenter --net=…`. */
  readonly netns: string;
  /** The service's address on the project network. */
  addressOf(service: string): string;
  /** `/etc/hosts` for a container: every service name, and the container's own host name. */
  hostsFile(service: string, hostname: string): string;
  /** Where a published container port answers on this machine, e.g. 127.0.0.1:43121. */
  published(service: string, port: number): string;
  close(): Promise<void>;
}

const relayScript = fileURLToPath(new URL('./netns-relay.ts', import.meta.url));

/**
 * The compose project's network, as a Linux network namespace of its own (so container ports never
 * clash with this machine's, nor with another rehearsal's). Each service gets an address: ours
 * 127.0.10.N, stand-ins 127.0.20.N — distinct, so a service that binds 127.0.0.1 instead of all
 * interfaces is unreachable from the others, as in Docker. Stand-ins are relayed out to this machine;
 * published ports are relayed in, each to a free port on 127.0.0.1 here.
 */
export async function startProjectNetwork(
  dir: string,
  own: readonly OwnService[],
  standIns: readonly StandIn[],
): Promise<ProjectNetwork> {
  const socketDir = join(dir, 's');
  mkdirSync(socketDir, { recursive: true });
  const addresses = new Map<string, string>();
  for (const [i, s] of own.entries()) addresses.set(s.name, `127.0.10.${i + 2}`);
  for (const [i, s] of standIns.entries()) addresses.set(s.service, `127.0.20.${i + 2}`);
  const servers: Server[] = [];

  const plan: { outbound: RelayPlan['outbound'][number][]; inbound: RelayPlan['inbound'][number][] } = {
    outbound: [],
    inbound: [],
  };
  for (const s of standIns) {
    const socket = join(socketDir, `${s.service}.sock`);
    servers.push(await s.listen(socket));
    for (const port of s.ports)
      plan.outbound.push({ host: addresses.get(s.service) as string, port, socket });
    for (const extra of s.alsoAt ?? []) plan.outbound.push({ ...extra, socket });
  }
  for (const s of own)
    for (const port of s.published)
      plan.inbound.push({
        socket: join(socketDir, `${s.name}-${port}.sock`),
        host: addresses.get(s.name) as string,
        port,
      });

  const relay = spawn(
    'unshare',
    [
      '--net',
      '--',
      '/bin/sh',
      '-c',
      'ip link set lo up && exec "$0" "$@"',
      process.execPath,
      relayScript,
      JSON.stringify(plan),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  await relayReady(relay);

  const published = new Map<string, string>();
  for (const inbound of plan.inbound) {
    const server = createServer((client) => splice(client, createConnection(inbound.socket)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    published.set(inbound.socket, `127.0.0.1:${port}`);
  }

  return {
    netns: `/proc/${relay.pid}/ns/net`,
    addressOf(service) {
      const address = addresses.get(service);
      if (address === undefined) throw new Error(`no address for ${service} on the project network`);
      return address;
    },
    hostsFile(service, hostname) {
      const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
      for (const [name, address] of addresses)
        lines.push(name === service ? `${address}\t${hostname} ${name}` : `${address}\t${name}`);
      return `${lines.join('\n')}\n`;
    },
    published(service, port) {
      const address = published.get(join(socketDir, `${service}-${port}.sock`));
      if (address === undefined) throw new Error(`${service} does not publish port ${port}`);
      return address;
    },
    async close() {
      relay.stdin?.end();
      if (relay.exitCode === null && relay.signalCode === null) {
        const exited = once(relay, 'exit');
        setTimeout(() => relay.kill('SIGKILL'), 2000).unref();
        await exited;
      }
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}

async function relayReady(relay: ChildProcess): Promise<void> {
  let stderr = '';
  relay.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    relay.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    relay.once('error', reject);
    relay.once('exit', (code) =>
      reject(new Error(`the project network's relay exited (${code}): ${stderr.trim() || 'no output'}`)),
    );
  });
}

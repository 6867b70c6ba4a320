import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import { splice } from '../network/netns-relay.ts';
import type { StandIn } from '../network/project-network.ts';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * A compose service played by a service already running on this machine: every connection to the
 * service's container ports on the project network is relayed to `target` here.
 */
export function machineService(options: {
  service: string;
  what: string;
  ports: readonly number[];
  target: HostPort;
  alsoAt?: readonly HostPort[];
}): StandIn {
  const { target } = options;
  return {
    service: options.service,
    description: `this machine's ${options.what} at ${target.host}:${target.port}`,
    ports: options.ports,
    ...(options.alsoAt === undefined ? {} : { alsoAt: options.alsoAt }),
    async listen(path) {
      const server = createServer((client) => splice(client, createConnection(target.port, target.host)));
      server.listen(path);
      await once(server, 'listening');
      return server;
    },
    ready: () => canConnect(target),
  };
}

export function canConnect(target: HostPort, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(target.port, target.host);
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** host:port of a URL or of a Kafka bootstrap address, with the scheme's default port. */
export function hostPortOf(address: string, defaultPort: number): HostPort {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? defaultPort : Number(url.port),
  };
}

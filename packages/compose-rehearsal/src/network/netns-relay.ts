// Runs inside the rehearsal's network namespace (the compose project network) and holds it open:
//   outbound: TCP listeners at a stand-in service's address (e.g. kafka:19092) → a Unix socket that the
//             rehearsal serves from this machine's network (→ the machine's Kafka);
//   inbound:  Unix sockets → TCP to a service's address in the namespace (a published port).
// Unix sockets are files, so they cross network namespaces. Prints "ready" once every listener is
// up; exits when its stdin closes (the rehearsal ended, however it ended).
//   node netns-relay.ts '<json RelayPlan>'
import { createConnection, createServer, type Socket } from 'node:net';

export interface RelayPlan {
  readonly outbound: readonly { readonly host: string; readonly port: number; readonly socket: string }[];
  readonly inbound: readonly { readonly socket: string; readonly host: string; readonly port: number }[];
}

/** Pipes two sockets both ways; either side's end or error ends the other. */
export function splice(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
}

async function main(plan: RelayPlan): Promise<void> {
  const listening: Promise<void>[] = [];
  for (const o of plan.outbound) {
    const server = createServer((client) => splice(client, createConnection(o.socket)));
    listening.push(
      new Promise((resolve, reject) => server.once('error', reject).listen(o.port, o.host, resolve)),
    );
  }
  for (const i of plan.inbound) {
    const server = createServer((client) => splice(client, createConnection(i.port, i.host)));
    listening.push(new Promise((resolve, reject) => server.once('error', reject).listen(i.socket, resolve)));
  }
  await Promise.all(listening);
  process.stdout.write('ready\n');
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(JSON.parse(process.argv[2] ?? '{}') as RelayPlan).catch((error: unknown) => {
    process.stderr.write(`netns-relay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

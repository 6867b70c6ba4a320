import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The kernel's ephemeral range: outgoing connections take their local port from it. A port of
 * ours chosen there could be taken by any client while our server is down for a restart fault,
 * and the restart would fail to bind: ours are chosen below it.
 */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const value = Number(low);
    if (Number.isInteger(value) && value > 2048) return value;
  } catch {
    // not Linux: the IANA dynamic range starts at 49152
  }
  return 49_152;
}

const lowest = 20_000;

function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A random local port below the ephemeral range that nothing listens on now: for a server that is
 * stopped and started again on the same port (a restart fault), unlike `freePort`'s OS-picked one.
 */
export async function freeStablePort(): Promise<number> {
  return findFree(1);
}

/** Two consecutive free ports (Kafka's listener and, at +1, its KRaft controller). */
export async function freePortPair(): Promise<number> {
  return findFree(2);
}

async function findFree(count: number): Promise<number> {
  const highest = Math.max(lowest + 1000, ephemeralLow() - count);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = lowest + Math.floor(Math.random() * (highest - lowest));
    let free = true;
    for (let i = 0; i < count && free; i++) free = await isFree(port + i);
    if (free) return port;
  }
  throw new Error(`no ${count} consecutive free ports found below the ephemeral range`);
}

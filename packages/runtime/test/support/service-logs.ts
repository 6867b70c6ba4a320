import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { createConsoleLogger, type Logger } from '../../src/index.ts';

/** A logger that keeps every JSON line it writes. */
export function linesLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    createConsoleLogger('debug', (line) => lines.push(line)),
    { lines },
  );
}

/** A port nothing listens on right now (the kernel's pick, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export const messages = (lines: readonly string[]) =>
  lines.map((l) => (JSON.parse(l) as { message: string }).message);

/**
 * The server half of `http-roundtrip`, run as its own process by the scenario (so, like a pipeline's
 * gateway, it has its own event loop and competes for the cores). It reads each POSTed JSON body,
 * parses it, and answers 202 with a small JSON body: the least any HTTP ingress does.
 * Tells its parent the port it listens on over IPC, and exits when the parent disconnects.
 */
import { createServer } from 'node:http';

const reply = Buffer.from('{"accepted":true}');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"body is not JSON"}');
      return;
    }
    response
      .writeHead(202, { 'content-type': 'application/json', 'content-length': reply.length })
      .end(reply);
  });
});
server.keepAliveTimeout = 30_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.send?.({ port });
});
// the scenario's teardown disconnects; a crashed load generator does too
process.on('disconnect', () => {
  server.close();
  server.closeAllConnections();
});

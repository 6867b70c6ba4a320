// Process entry of the hello pipeline's `echo` service: read config, listen, stop on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { env, loadConfig } from '@streamkit/config';
import { handleEchoRequest } from './echo-handler.ts';

const config = loadConfig({
  port: env.port('PORT', { default: 3400 }),
  host: env.string('HOST', { default: '127.0.0.1' }),
});

const server = createServer(handleEchoRequest);

function stop(signal: NodeJS.Signals): void {
  console.log(`echo: ${signal} received, closing`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

server.listen(config.port, config.host, () => {
  console.log(`echo: listening on http://${config.host}:${config.port}/`);
});

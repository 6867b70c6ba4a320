// Ports below the ephemeral range (a restarted server can bind its port again): see @streamkit/testkit.
export { freeStablePort as freePort, freePortPair } from '@streamkit/testkit';

import { defineNodeFlags } from '@streamkit/runtime';

/** V8 heap bounds per service (README of @streamkit/runtime, "V8 heap bounds"); compose carries the same. */
export const nodeFlags = defineNodeFlags({
  shipper: ['--max-old-space-size=128', '--max-semi-space-size=16'],
  sink: ['--max-old-space-size=192'],
  dashboard: ['--max-old-space-size=192'],
  loggen: ['--max-old-space-size=128'],
});
